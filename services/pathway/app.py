"""The pathway service's web process: `gunicorn 'services.pathway.app:create_app()'`."""
from __future__ import annotations

from shared.web.service import build_app
from services.pathway.bootstrap import runtime


def create_app():
    return build_app(runtime(), "CRI — pathway", blueprints=[])
