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
    """Partenaire or coordination of this centre; a partenaire carries an operator id
    (403 without; what it may touch: `service_layer/access.py`)."""
    who = caller(*WRITERS)
    who.require_operator()
    return who
