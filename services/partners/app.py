"""The partners service's web process: `gunicorn 'services.partners.app:create_app()'`."""
from __future__ import annotations

from shared.web.rate_limit import limit_public
from shared.web.service import build_app

from shared import wiring
from services.partners.api import (activities, attendance, directory, offers, operators,
                                   plans, trainings)
from services.partners.bootstrap import PartnersServices, services


PUBLIC_ENDPOINTS = ("directory.feed", "directory-page.html")   # the public directory

# The door (shared/web/door.py): staff of this centre or a partner with its operator id;
# each view then narrows (service_layer/access.py).
ROLES = ("partenaire", "coordination", "accueil", "dpo", "auditeur")


def create_app(svc: PartnersServices | None = None):
    svc = svc or services()
    app = build_app(svc.runtime, "CRI — partners",
                    blueprints=[operators.blp, offers.blp, attendance.blp, plans.blp,
                                activities.blp, trainings.blp, directory.blp], roles=ROLES)
    app.register_blueprint(directory.page)      # /annuaire: public HTML
    limit_public(app, PUBLIC_ENDPOINTS, svc.config.directory_rate_limit, "directory",
                 store=lambda: svc.db["rate_limits"])
    return wiring.install(app, svc)
