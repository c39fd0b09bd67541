"""The intake service's web process: `gunicorn 'services.intake.app:create_app()'`."""
from __future__ import annotations

from shared.web.service import build_app
from services.intake.api import blueprints, errors
from services.intake.api.common import STAFF
from shared import wiring
from services.intake.bootstrap import IntakeServices, services


def create_app(svc: IntakeServices | None = None):
    svc = svc or services()
    app = build_app(svc.runtime, "CRI — accueil (intake)", blueprints=blueprints(),
                    roles=STAFF)
    errors.install(app)
    return wiring.install(app, svc)
