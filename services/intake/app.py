"""The intake service's web process: `gunicorn 'services.intake.app:create_app()'`."""
from __future__ import annotations

from shared.web.service import build_app
from services.intake.api import blueprints, errors
from services.intake.bootstrap import runtime


def create_app():
    app = build_app(runtime(), "CRI — accueil (intake)", blueprints=blueprints())
    errors.install(app)
    return app
