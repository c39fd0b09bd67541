"""The reporting service's web process: `gunicorn 'services.reporting.app:create_app()'`."""
from __future__ import annotations

from shared.web.service import build_app
from services.reporting.api import probes
from services.reporting.bootstrap import runtime


def create_app():
    return build_app(runtime(), "CRI — reporting régional", blueprints=[probes.blp])
