"""The reporting service's web process: `gunicorn 'services.reporting.app:create_app()'`."""
from __future__ import annotations

from shared.web.service import build_app
from services.reporting.api import dashboard, probes, statistics
from services.reporting.bootstrap import ReportingRuntime, runtime


def create_app(rt: ReportingRuntime | None = None):
    app = build_app(rt or runtime(), "CRI — reporting régional",
                    blueprints=[probes.blp, statistics.blp])
    app.register_blueprint(dashboard.bp)     # HTML, outside the OpenAPI document
    return app
