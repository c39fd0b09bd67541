"""The reporting service's web process: `gunicorn 'services.reporting.app:create_app()'`."""
from __future__ import annotations

from shared.web.service import build_app
from shared import wiring
from services.reporting.api import dashboard, probes, publications, statistics
from services.reporting.bootstrap import ReportingServices, services


def create_app(svc: ReportingServices | None = None):
    svc = svc or services()
    app = build_app(svc.runtime, "CRI — reporting régional",
                    blueprints=[probes.blp, statistics.blp, publications.blp])
    app.register_blueprint(dashboard.bp)     # HTML, outside the OpenAPI document
    return wiring.install(app, svc)
