"""The door of every service: who calls (bearer token), for which centre, with which
role, checked once per request before any view or body parsing (issue 8: isolation).

A centre service (intake, pathway, partners) answers only tokens of its own centre
(`region` is no centre) carrying one of the service's roles, a partner's with its
operator id; views marked `@public` (probes, OpenAPI, public verification) are open.
Path ids are checked by shape on every service's protected routes.
"""
from __future__ import annotations

import functools

from flask import Flask, current_app, g, request

from shared.auth import Principal, verify
from shared.config import Config
from shared.errors import Unauthorized
from shared.web.schema import check_path_id

OPEN_BLUEPRINTS = {"api-docs"}       # flask-smorest's OpenAPI JSON and Swagger UI


def public(view):
    """Mark a view as open without a token (probes, public verification). Every other
    route of a centre service requires a token of that centre (`install`)."""
    view.cri_public = True
    return view


def is_public(app: Flask, endpoint: str | None, blueprint: str | None) -> bool:
    view = app.view_functions.get(endpoint or "")
    return view is None or blueprint in OPEN_BLUEPRINTS or getattr(view, "cri_public", False)


def install(app: Flask, roles: tuple[str, ...] = ()) -> None:
    """`roles`: who may call this centre service at all; each view then narrows."""
    centre_service = app.extensions["cri_config"].service != "reporting"   # set first

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
            who.require_centre(config().centre)
            who.require_operator()
            if roles:
                who.require(*roles)
        for key, value in (request.view_args or {}).items():
            check_path_id(key, value)


def config() -> Config:
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
