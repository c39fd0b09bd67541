"""The local OpenID Connect provider («fournisseur d'identité de développement»): what
Keycloak is in production, for `make run` and the tests, on the dev issuer's key pair.

Authorization-code flow with PKCE (S256) for the portals registered in the clients file
(`CRI_DEV_OIDC_CLIENTS_FILE`: client id -> secret, redirect URIs); the sign-in page lists
the demo users of the client's centre (`CRI_DEV_OIDC_USERS_FILE`) — choosing one is
signing in as them, there is no password (local only: the stack binds to 127.0.0.1).

Codes are stateless (a short-lived JWT signed with the issuer's key, naming the user,
client, redirect URI, nonce and PKCE challenge), so the provider keeps nothing but the
codes already exchanged (each code works once). The token endpoint answers an id_token
(audience: the client) and the access token the services verify (audience
`cri-platform`, with roles, centre and operator id), both RS256 with the same key.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

import jwt
from cryptography.hazmat.primitives import serialization
from flask import Flask, abort, jsonify, render_template_string, request

from shared.auth import ROLES, DevIssuer

CODE_TTL = 120
# what the sign-in page offers: a working day, or a token that expires within the minute
# (to try what the portal does when a session ends in the middle of a form)
TTLS = ((8 * 3600, "8 heures"), (15 * 60, "15 minutes"), (20, "20 secondes (essai d'expiration)"))


def _b64(n: int) -> str:
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Connexion — fournisseur d'identité de développement</title>
<style>
body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.4rem} ul{list-style:none;padding:0} li{margin:.5rem 0}
button{font-size:1rem;padding:.6rem 1rem;width:100%;text-align:left;background:#fff;
border:2px solid #1d4f91;border-radius:4px;color:#1d4f91;cursor:pointer}
button:focus,button:hover{background:#1d4f91;color:#fff;outline:3px solid #f5a300}
.role{font-size:.9rem}
</style></head><body><main>
<h1>Connexion au portail du centre {{ centre }}</h1>
<p>Environnement local de démonstration : choisissez l'utilisateur sous lequel vous
connecter (en production, la connexion passe par le fournisseur d'identité de la
Région).</p>
<form method="post">
<input type="hidden" name="request" value="{{ signed }}">
<p><label for="ttl">Durée de validité du jeton</label>
<select id="ttl" name="ttl">{% for value, text in ttls %}
<option value="{{ value }}">{{ text }}</option>{% endfor %}</select></p>
<ul>
{% for u in users %}
<li><button type="submit" name="user" value="{{ u.sub }}">{{ u.name }}
<span class="role">— {{ u.label }}</span></button></li>
{% endfor %}
</ul></form></main></body></html>"""


def create_app() -> Flask:
    issuer = DevIssuer(Path(os.environ["CRI_DEV_ISSUER_DIR"]),
                       os.environ.get("CRI_JWT_ISSUER", "cri-dev"))
    issuer.ensure_keys()
    clients = json.loads(Path(os.environ["CRI_DEV_OIDC_CLIENTS_FILE"]).read_text())
    users = json.loads(Path(os.environ["CRI_DEV_OIDC_USERS_FILE"]).read_text())
    ttl = int(os.environ.get("CRI_DEV_TOKEN_TTL", str(8 * 3600)))
    base = os.environ["CRI_PUBLIC_BASE_URL"].rstrip("/")
    private = (issuer.directory / "private.pem").read_bytes()
    public_key = serialization.load_pem_public_key(issuer.public_key_file.read_bytes())
    kid = hashlib.sha256(issuer.public_key_file.read_bytes()).hexdigest()[:16]
    used: dict[str, float] = {}
    lock = threading.Lock()
    app = Flask("cri.dev-oidc")

    def sign(claims: dict) -> str:
        return jwt.encode(claims, private, algorithm="RS256", headers={"kid": kid})

    def client_of(client_id: str) -> dict:
        client = clients.get(client_id)
        if client is None:
            abort(400, "client inconnu")
        return client

    @app.get("/.well-known/openid-configuration")
    def discovery():
        return {"issuer": issuer.issuer, "authorization_endpoint": f"{base}/authorize",
                "token_endpoint": f"{base}/token", "jwks_uri": f"{base}/jwks",
                "end_session_endpoint": f"{base}/logout",
                "response_types_supported": ["code"], "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic",
                                                          "client_secret_post"],
                "scopes_supported": ["openid", "profile"]}

    @app.get("/jwks")
    def jwks():
        numbers = public_key.public_numbers()
        return {"keys": [{"kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid,
                          "n": _b64(numbers.n), "e": _b64(numbers.e)}]}

    @app.route("/authorize", methods=["GET", "POST"])
    def authorize():
        if request.method == "GET":
            args = request.args
            client = client_of(args.get("client_id", ""))
            if args.get("redirect_uri") not in client["redirect_uris"]:
                abort(400, "adresse de retour non enregistrée pour ce client")
            if args.get("response_type") != "code" or args.get("code_challenge_method") != "S256":
                abort(400, "flux « code » avec PKCE (S256) uniquement")
            signed = sign({"aud": "authorize", "exp": int(time.time()) + 600,
                           **{k: args.get(k, "") for k in (
                               "client_id", "redirect_uri", "state", "nonce",
                               "code_challenge")}})
            mine = [dict(u, label=", ".join(ROLES[r] for r in u["roles"]))
                    for u in users if u["centre"] in (client["centre"], "region")]
            return render_template_string(PAGE, users=mine, signed=signed,
                                          centre=client["centre"],
                                          ttls=TTLS)
        try:
            req = jwt.decode(request.form.get("request", ""), public_key, algorithms=["RS256"],
                             audience="authorize")
        except jwt.PyJWTError:
            abort(400, "demande de connexion expirée : recommencez")
        user = next((u for u in users if u["sub"] == request.form.get("user")), None)
        if user is None:
            abort(400, "utilisateur inconnu")
        chosen = request.form.get("ttl", "")
        lifetime = int(chosen) if chosen.isdigit() and int(chosen) in {
            v for v, _ in TTLS} else ttl
        code = sign({"aud": "code", "exp": int(time.time()) + CODE_TTL, "jti": uuid.uuid4().hex,
                     "sub": user["sub"], "ttl": lifetime, **{k: req[k] for k in (
                         "client_id", "redirect_uri", "nonce", "code_challenge")}})
        query = urlencode({"code": code, "state": req["state"]})
        return "", 302, {"Location": f"{req['redirect_uri']}?{query}"}

    @app.post("/token")
    def token():
        form = request.form
        client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        if request.authorization and request.authorization.type == "basic":
            client_id = request.authorization.username or ""
            secret = request.authorization.password or ""
        client = clients.get(client_id)
        if client is None or not hmac.compare_digest(client["secret"], secret):
            return jsonify(error="invalid_client"), 401
        try:
            code = jwt.decode(form.get("code", ""), public_key, algorithms=["RS256"],
                              audience="code")
        except jwt.PyJWTError:
            return jsonify(error="invalid_grant"), 400
        challenge = base64.urlsafe_b64encode(hashlib.sha256(
            form.get("code_verifier", "").encode()).digest()).rstrip(b"=").decode()
        if code["client_id"] != client_id or code["redirect_uri"] != form.get("redirect_uri") \
                or not hmac.compare_digest(challenge, code["code_challenge"]):
            return jsonify(error="invalid_grant"), 400
        with lock:
            now = time.time()
            for jti in [j for j, exp in used.items() if exp < now]:
                del used[jti]
            if code["jti"] in used:
                return jsonify(error="invalid_grant"), 400   # a code works once
            used[code["jti"]] = code["exp"]
        user = next(u for u in users if u["sub"] == code["sub"])
        now, lifetime = int(time.time()), int(code.get("ttl", ttl))
        access = issuer.token(user["roles"], user["centre"], user["sub"],
                              user.get("operator_id"), lifetime, user["name"])
        id_token = sign({"iss": issuer.issuer, "aud": client_id, "sub": user["sub"],
                         "iat": now, "exp": now + lifetime, "nonce": code["nonce"],
                         "name": user["name"], "roles": user["roles"],
                         "centre": user["centre"],
                         **({"operator_id": user["operator_id"]}
                            if user.get("operator_id") else {})})
        return {"access_token": access, "token_type": "Bearer", "expires_in": lifetime,
                "id_token": id_token}

    @app.get("/logout")
    def logout():
        target = request.args.get("post_logout_redirect_uri", "")
        allowed = {u for c in clients.values() for u in c.get("post_logout_redirect_uris", [])}
        if target in allowed:
            return "", 302, {"Location": target}
        return "<p lang=\"fr\">Vous êtes déconnecté.</p>"

    @app.get("/healthz")
    @app.get("/readyz")
    def healthz():
        return {"status": "ready"}

    return app


def demo_users(centres: tuple[str, ...], operators: dict[str, list[tuple[str, str]]]) -> list[dict]:
    """The demo users per centre: a reception agent, a coordinator, a DPO, a partner's staff
    member per operator (`operators`: centre -> [(operator id, name)]), and a regional
    analyst and auditor."""
    out = [{"sub": "analyste-region", "name": "Aline Analyste (Région)", "roles": ["analyste"],
            "centre": "region"}]
    for centre in centres:
        out += [{"sub": f"accueil-{centre}", "name": f"Amina Accueil ({centre})",
                 "roles": ["accueil"], "centre": centre},
                {"sub": f"coordination-{centre}", "name": f"Cédric Coordination ({centre})",
                 "roles": ["coordination"], "centre": centre},
                {"sub": f"dpo-{centre}", "name": f"Dominique DPO ({centre})",
                 "roles": ["dpo"], "centre": centre}]
        for operator_id, name in operators.get(centre, []):
            out.append({"sub": f"partenaire-{operator_id}", "name": f"Paul Partenaire ({name})",
                        "roles": ["partenaire"], "centre": centre, "operator_id": operator_id})
    return out
