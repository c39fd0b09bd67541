"""The way from a reporting view to the service's wiring, and its calendar year."""
from __future__ import annotations

from shared import wiring
from services.reporting.bootstrap import ReportingServices


def svc() -> ReportingServices:
    """The services of the app serving this request (see `shared.wiring`)."""
    return wiring.current()


def this_year() -> int:
    """Figures are published per Belgian calendar year (the injected clock's)."""
    return svc().today().year
