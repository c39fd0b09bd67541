"""What every partners endpoint does first: who calls (an operator or the coordination
of this centre), and the way to the service's wiring."""
from __future__ import annotations

from shared.auth import Principal
from shared.web.app import caller

from shared import wiring
from services.partners.bootstrap import PartnersServices

WRITERS = ("partenaire", "coordination")


def svc() -> PartnersServices:
    """The services of the app serving this request (see `shared.wiring`)."""
    return wiring.current()


def writer() -> Principal:
    return caller(*WRITERS)
