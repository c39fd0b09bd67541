"""Sign-in («connexion») by OpenID Connect, authorization-code flow with PKCE (Authlib),
against the configured provider (Keycloak in production, the dev provider locally).

The session cookie (signed, HttpOnly, SameSite=Lax, Secure outside plain-http
localhost) holds the user's access token and who they are; nothing else. When the token
has expired, a form being sent is kept — encrypted with the portal's key, since it may
hold personal data — and the user signs in again, then finds the form as they left it.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import json
import time
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from authlib.integrations.flask_client import OAuth
from cryptography.fernet import Fernet, InvalidToken
from flask import (Blueprint, Flask, abort, current_app, g, redirect, request, session,
                   url_for)

from shared.auth import ROLES

blp = Blueprint("auth", __name__)
SKEW = 10       # seconds: a token this close to its expiry counts as expired


@dataclass(frozen=True)
class User:
    subject: str
    name: str
    roles: frozenset[str]
    centre: str
    operator_id: str | None
    token: str
    expires_at: int

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def expired(self) -> bool:
        return self.expires_at - SKEW <= time.time()

    @property
    def role_labels(self) -> str:
        return ", ".join(ROLES.get(r, r) for r in sorted(self.roles))


class SignInRequired(Exception):
    """The user has no session or its token expired: sign in again (form kept)."""


def install(app: Flask) -> None:
    cfg = app.extensions["portal_config"]
    oauth = OAuth(app)
    oauth.register(
        "cri", client_id=cfg.client_id, client_secret=cfg.client_secret,
        server_metadata_url=f"{cfg.oidc_url.rstrip('/')}/.well-known/openid-configuration",
        client_kwargs={"scope": "openid profile", "code_challenge_method": "S256"})
    app.extensions["portal_oauth"] = oauth
    app.register_blueprint(blp)

    @app.errorhandler(SignInRequired)
    def _sign_in(_exc):
        if request.method == "POST":
            keep_form()
        return redirect(url_for("auth.login", next=_local(request.full_path.rstrip("?"))))


def _fernet() -> Fernet:
    key = hashlib.sha256(b"portal-pending-form|" + current_app.secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def keep_form() -> None:
    """The form being sent when the token expired, encrypted in the session."""
    fields = {k: request.form.getlist(k) for k in request.form if k != "csrf_token"}
    session["pending"] = {"path": request.path, "form": _fernet().encrypt(
        json.dumps(fields, ensure_ascii=False).encode()).decode()}


def pending_form() -> dict[str, str]:
    """What the user had typed on this page before signing in again (once), else {}."""
    pending = session.get("pending")
    if not pending or pending.get("path") != request.path:
        return {}
    session.pop("pending")
    try:
        fields = json.loads(_fernet().decrypt(pending["form"].encode()))
    except (InvalidToken, ValueError):
        return {}
    return {k: v[0] if len(v) == 1 else v for k, v in fields.items()}


def current_user() -> User | None:
    if "user" not in g:
        data = session.get("user")
        g.user = User(data["sub"], data["name"], frozenset(data["roles"]), data["centre"],
                      data.get("operator_id"), data["token"], data["exp"]) if data else None
    return g.user


def user() -> User:
    """The signed-in user with a live token, else sign in first."""
    who = current_user()
    if who is None or who.expired:
        raise SignInRequired()
    return who


def require(*roles: str):
    """A view for these roles of this centre's staff (403 page otherwise)."""
    def wrap(view):
        @functools.wraps(view)
        def checked(*args, **kwargs):
            who = user()
            cfg = current_app.extensions["portal_config"]
            if who.centre not in (cfg.centre, "region") or (
                    who.centre == "region" and not who.has("analyste", "auditeur")):
                abort(403)
            if roles and not who.has(*roles):
                abort(403)
            return view(*args, **kwargs)
        return checked
    return wrap


def _local(target: str | None) -> str:
    """Only a path of this portal (no open redirect after sign-in)."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@blp.get("/connexion")
def login():
    session["next"] = _local(request.args.get("next"))
    redirect_uri = url_for("auth.callback", _external=True)
    cfg = current_app.extensions["portal_config"]
    if cfg.public_base_url:
        redirect_uri = f"{cfg.public_base_url.rstrip('/')}/connexion/retour"
    return current_app.extensions["portal_oauth"].cri.authorize_redirect(redirect_uri)


@blp.get("/connexion/retour")
def callback():
    try:
        token = current_app.extensions["portal_oauth"].cri.authorize_access_token()
    except Exception:   # noqa: BLE001 - a replayed, forged or stale answer: sign in again
        current_app.logger.warning("sign-in answer refused by the OIDC client")
        abort(400, "La connexion n'a pas abouti ; recommencez.")
    claims = token.get("userinfo") or {}
    keep = {k: session[k] for k in ("next", "pending") if k in session}
    session.clear()           # a new session at sign-in (no fixation)
    session.update({k: v for k, v in keep.items() if k == "pending"})
    session["user"] = {"sub": claims["sub"], "name": claims.get("name", claims["sub"]),
                       "roles": [r for r in claims.get("roles", []) if r in ROLES],
                       "centre": claims.get("centre", ""),
                       "operator_id": claims.get("operator_id"),
                       "token": token["access_token"],
                       "exp": int(token.get("expires_at") or time.time() + 300)}
    session.permanent = True
    return redirect(keep.get("next", "/"))


@blp.post("/deconnexion")
def logout():
    session.clear()
    cfg = current_app.extensions["portal_config"]
    meta = current_app.extensions["portal_oauth"].cri.load_server_metadata()
    end = meta.get("end_session_endpoint")
    back = (cfg.public_base_url.rstrip("/") if cfg.public_base_url else
            request.host_url.rstrip("/")) + "/"
    if end:
        return redirect(f"{end}?{urlencode({'post_logout_redirect_uri': back})}")
    return redirect("/")
