"""The partners service's web process: `gunicorn 'services.partners.app:create_app()'`."""
from __future__ import annotations

from shared.web.service import build_app
from services.partners.api import attendance
from services.partners.bootstrap import runtime


def create_app():
    return build_app(runtime(), "CRI — partners", blueprints=[attendance.blp])
