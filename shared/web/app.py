"""The app factory every service's `create_app` builds on."""
from __future__ import annotations

import functools
import time
from typing import Callable

from flask import Flask, Response, g, jsonify, request
from flask_smorest import Api
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from shared import metrics
from shared.auth import Principal, verify
from shared.config import Config
from shared.errors import PreconditionRequired, Unauthorized
from shared.web import limits, problems
from shared.web.schema import check_path_id

ReadyCheck = Callable[[], None]
OPEN_BLUEPRINTS = {"api-docs"}       # flask-smorest's OpenAPI JSON and Swagger UI


def public(view):
    """Mark a view as open without a token (probes, public verification). Every other
    route of a centre service requires a token of that centre (`_centre_only`)."""
    view.cri_public = True
    return view


def is_public(app: Flask, endpoint: str | None, blueprint: str | None) -> bool:
    view = app.view_functions.get(endpoint or "")
    return view is None or blueprint in OPEN_BLUEPRINTS or getattr(view, "cri_public", False)


def create_base_app(config: Config, title: str, ready_checks: list[ReadyCheck],
                    roles: tuple[str, ...] = ()) -> tuple[Flask, Api]:
    """`roles`: who may call this centre service at all (checked at the door, before
    any body is parsed, with the centre); each view then narrows to its own roles."""
    app = Flask(f"cri.{config.service}", static_folder=None)   # no /static route
    app.config.update(
        API_TITLE=title, API_VERSION="v1", OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1", OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="/docs",
        OPENAPI_SWAGGER_UI_URL="https://cdn.jsdelivr.net/npm/swagger-ui-dist/",
        API_SPEC_OPTIONS={"components": {"securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
            "security": [{"bearer": []}]},
        JSON_SORT_KEYS=False,
    )
    app.json.ensure_ascii = False
    app.extensions["cri_config"] = config
    api = Api(app)
    problems.install(app)
    metrics_hooks(app)
    centre_service = config.service != "reporting"

    @app.before_request
    def _door():
        """Isolation, once for every route of a centre service (probes and reference
        lists included): a token of this centre (a partenaire's with its operator id)
        and one of the service's roles, or 403 before any body is parsed; the views then
        narrow roles (and partners what the operator may touch). Then the path's ids
        by shape (422), on every service's protected routes (the public verification
        page answers its own French 404 to any number)."""
        if is_public(app, request.endpoint, request.blueprint):
            return
        if centre_service:
            who = principal()
            who.require_centre(config.centre)
            who.require_operator()
            if roles:
                who.require(*roles)
        for key, value in (request.view_args or {}).items():
            check_path_id(key, value)

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


def config() -> Config:
    from flask import current_app
    return current_app.extensions["cri_config"]


def principal() -> Principal:
    """The caller, from the bearer token; 401 without a valid one."""
    if "principal" not in g:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            raise Unauthorized("jeton d'accès manquant (en-tête Authorization: Bearer …)",
                               message_en="missing bearer token")
        cfg = config()
        g.principal = verify(header[7:], cfg.jwt_public_key, cfg.jwt_issuer)
    return g.principal


def caller(*roles: str) -> Principal:
    """The caller, who must hold one of `roles` and belong to this service's centre."""
    who = principal()
    who.require(*roles)
    who.require_centre(config().centre)
    return who


def allow(*roles: str):
    """Check `caller(*roles)` before the view's arguments are parsed: place it above
    `@blp.arguments`, so a caller without the role gets 403, not 422 on its body."""
    def wrap(view):
        @functools.wraps(view)
        def checked(*args, **kwargs):
            caller(*roles)
            return view(*args, **kwargs)
        return checked
    return wrap


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
