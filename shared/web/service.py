"""Assemble a service's Flask app from the shared base, its runtime and its blueprints."""
from __future__ import annotations

from shared import logging as cri_logging
from shared.runtime import Runtime
from shared.web import probes
from shared.web.app import create_base_app


def build_app(runtime: Runtime, title: str, blueprints: list, roles: tuple[str, ...] = ()):
    """`roles`: who may call the service at all (see `create_base_app`)."""
    cfg = runtime.config
    cri_logging.setup(cfg.service, cfg.centre)
    app, api = create_base_app(cfg, title, ready_checks=[runtime.ping_store], roles=roles)
    app.extensions["cri_runtime"] = runtime
    if cfg.service != "reporting":
        api.register_blueprint(probes.make_blueprint(lambda: runtime))
    for blp in blueprints:
        api.register_blueprint(blp)
    return app
