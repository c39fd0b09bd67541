"""The partners service's web process: `gunicorn 'services.partners.app:create_app()'`."""
from __future__ import annotations

from shared.web.service import build_app

from shared import wiring
from services.partners.api import attendance, offers, operators
from services.partners.bootstrap import PartnersServices, services


# The door (shared/web/door.py): staff of this centre or a partner with its operator id;
# each view then narrows (service_layer/access.py).
ROLES = ("partenaire", "coordination", "accueil", "dpo", "auditeur")


def create_app(svc: PartnersServices | None = None):
    svc = svc or services()
    return wiring.install(build_app(svc.runtime, "CRI — partners",
                                    blueprints=[operators.blp, offers.blp, attendance.blp],
                                    roles=ROLES), svc)
