"""The app factory every service's `create_app` builds on."""
from __future__ import annotations

import time
from typing import Callable

from flask import Flask, Response, g, jsonify, request, send_from_directory
from flask_smorest import Api
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from swagger_ui_bundle import swagger_ui_path

from shared import metrics
from shared.config import Config
from shared.errors import PreconditionRequired
from shared.web import door, limits, problems
from shared.web.door import allow, caller, config, principal, public  # noqa: F401 (the API)
from shared.web.openapi import CriApi, ErrorResponses

ReadyCheck = Callable[[], None]


def create_base_app(config: Config, title: str, ready_checks: list[ReadyCheck],
                    roles: tuple[str, ...] = ()) -> tuple[Flask, Api]:
    """`roles`: who may call this centre service at all (checked at the door, before
    any body is parsed, with the centre); each view then narrows to its own roles."""
    app = Flask(f"cri.{config.service}", static_folder=None)   # no /static route
    app.config.update(
        API_TITLE=title, API_VERSION="v1", OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1", OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="/docs",
        # Swagger UI's assets from the swagger-ui-bundle package, served here: the page
        # works on a machine without internet (no CDN)
        OPENAPI_SWAGGER_UI_URL="/api/v1/docs/assets/",
        API_SPEC_OPTIONS={"components": {"securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
            "security": [{"bearer": []}]},
        JSON_SORT_KEYS=False,
    )
    app.json.ensure_ascii = False
    app.extensions["cri_config"] = config
    api = CriApi(app, spec_kwargs={"extra_plugins": [ErrorResponses()]})
    problems.install(app)
    metrics_hooks(app)
    door.install(app, roles)
    limits.install(app)

    @app.get("/healthz")
    @public
    def healthz():
        return {"status": "ok", "service": config.service, "centre": config.centre}

    @app.get("/readyz")
    @public
    def readyz():
        failures = {}
        for check in ready_checks:
            try:
                check()
            except Exception as exc:  # noqa: BLE001 - report, do not crash the probe
                failures[check.__name__] = type(exc).__name__
        status = 503 if failures else 200
        return {"status": "ready" if not failures else "not-ready", "failures": failures}, status

    @app.get("/api/v1/docs/assets/<path:name>")
    @public
    def swagger_assets(name: str):
        return send_from_directory(swagger_ui_path, name, max_age=86400)

    @app.get("/metrics")
    @public
    def prometheus():
        return Response(generate_latest(), mimetype=CONTENT_TYPE_LATEST)

    return app, api


def metrics_hooks(app: Flask) -> None:
    @app.before_request
    def _start():
        g.t0 = time.perf_counter()

    @app.after_request
    def _observe(resp):
        endpoint = request.url_rule.rule if request.url_rule else "unmatched"
        metrics.HTTP_LATENCY.labels(request.method, endpoint, str(resp.status_code)).observe(
            time.perf_counter() - g.get("t0", time.perf_counter()))
        return resp


def if_match(required: bool = True) -> int | None:
    """The aggregate version the client last saw, from `If-Match: "<version>"`."""
    raw = request.headers.get("If-Match")
    if raw is None:
        if required:
            raise PreconditionRequired("en-tête If-Match requis (ETag reçu à la lecture)",
                                       message_en="If-Match header required")
        return None
    try:
        return int(raw.strip().removeprefix("W/").strip('"'))
    except ValueError:
        raise PreconditionRequired("If-Match doit contenir l'ETag reçu, par ex. \"3\"",
                                   message_en='If-Match must carry the ETag, e.g. "3"') from None


def with_etag(body, version: int, status: int = 200):
    resp = jsonify(body)
    resp.status_code = status
    resp.headers["ETag"] = f'"{version}"'
    return resp
