"""The partners service's web process: `gunicorn 'services.partners.app:create_app()'`."""
from __future__ import annotations

from shared.web.service import build_app

from shared import wiring
from services.partners.api import attendance
from services.partners.api.common import WRITERS
from services.partners.bootstrap import PartnersServices, services


ROLES = (*WRITERS, "accueil", "dpo", "auditeur")   # the door (probes: staff); views narrow


def create_app(svc: PartnersServices | None = None):
    svc = svc or services()
    return wiring.install(build_app(svc.runtime, "CRI — partners",
                                    blueprints=[attendance.blp], roles=ROLES), svc)
