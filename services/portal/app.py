"""The portal's web process: `gunicorn 'services.portal.app:create_app()'`.

Same bootstrap as the services (config from the environment, probes, metrics), but
pages instead of JSON: every screen is a Jinja2 template rendered from the answers of
the centre's services. Every form carries a CSRF token (Flask-WTF); every page is sent
with a strict Content-Security-Policy (own assets only: no CDN, no inline script).
"""
from __future__ import annotations

import time
from datetime import timedelta

from flask import Flask, Response, abort, g, render_template, request
from flask_wtf.csrf import CSRFError, CSRFProtect
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from werkzeug.exceptions import HTTPException

from shared import metrics
from services.portal import auth, formats
from services.portal.adapters.services import ApiProblem, Services
from services.portal.bootstrap import PortalConfig

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "form-action 'self' {oidc}; frame-ancestors 'none'; base-uri 'none'")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
MAX_UPLOAD = 64 * 1024 * 1024      # the partners' CSV limit; every other form is far smaller


def create_app(config: PortalConfig | None = None) -> Flask:
    cfg = config or PortalConfig.from_env()
    app = Flask(__name__, static_folder="static", static_url_path="/static")
    app.extensions["portal_config"] = cfg
    app.extensions["portal_services"] = Services(cfg)
    app.config.update(
        SECRET_KEY=cfg.secret_key, SESSION_COOKIE_NAME=f"cri_portail_{cfg.centre}",
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=cfg.secure_cookies,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=10), MAX_CONTENT_LENGTH=MAX_UPLOAD,
        WTF_CSRF_TIME_LIMIT=None,          # bound by the session, not by a clock
        WTF_CSRF_SSL_STRICT=cfg.secure_cookies, TEMPLATES_AUTO_RELOAD=False)
    if not cfg.secret_key:
        raise RuntimeError("CRI_PORTAL_SECRET_KEY(_FILE) is required: it signs the sessions")
    CSRFProtect(app)
    auth.install(app)
    formats.install(app)
    from services.portal.views import register
    register(app)
    _errors(app)
    _probes(app)

    @app.before_request
    def _start():
        g.t0 = time.perf_counter()
        if request.method == "POST" and request.mimetype in FORM_TYPES and any(
                "\ufffd" in v for v in request.form.values()):
            # bytes that are no UTF-8 (a lone surrogate, say) were decoded as U+FFFD:
            # refuse the form rather than store the replacement characters
            abort(400, "Le formulaire contient des caractères illisibles (encodage invalide) ; "
                       "retapez le texte.")

    @app.after_request
    def _headers(resp):
        resp.headers["Content-Security-Policy"] = CSP.format(oidc=cfg.oidc_url)
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "same-origin"
        if resp.mimetype == "text/html":
            resp.headers["Cache-Control"] = "no-store"    # pages hold personal data
        endpoint = request.url_rule.rule if request.url_rule else "unmatched"
        metrics.HTTP_LATENCY.labels(request.method, endpoint, str(resp.status_code)).observe(
            time.perf_counter() - g.get("t0", time.perf_counter()))
        return resp

    return app


ERROR_TITLES = {400: "Demande invalide", 403: "Accès refusé", 404: "Page introuvable",
                405: "Action non permise", 409: "Conflit", 410: "Dossier effacé ou transféré",
                412: "Le dossier a changé entre-temps", 413: "Fichier trop volumineux",
                500: "Erreur interne", 503: "Service momentanément indisponible"}
ERROR_TEXT = {403: "Cette page ou ce dossier ne relève pas de votre rôle ou de votre centre.",
              404: "Cette page n'existe pas, ou le dossier demandé n'est pas dans ce centre."}


def _errors(app: Flask) -> None:
    @app.errorhandler(ApiProblem)
    def _problem(exc: ApiProblem):
        # the portal's heading for the status, the service's French explanation under it
        return render_template("error.html", status=exc.status,
                               title=ERROR_TITLES.get(exc.status, exc.title),
                               detail=exc.detail or ERROR_TEXT.get(exc.status, "")), exc.status

    @app.errorhandler(CSRFError)
    def _csrf(exc):
        return render_template("error.html", status=400, title="Formulaire expiré",
                               detail="Le jeton de sécurité du formulaire manque ou a expiré : "
                                      "rechargez la page et envoyez-le de nouveau."), 400

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        status = exc.code or 500
        detail = ERROR_TEXT.get(status) or (exc.description if status == 400 else "")
        return render_template("error.html", status=status,
                               title=ERROR_TITLES.get(status, exc.name),
                               detail=detail), status

    @app.errorhandler(Exception)
    def _unexpected(exc):
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return render_template("error.html", status=500, title="Erreur interne",
                               detail="Une erreur inattendue s'est produite ; elle a été "
                                      "journalisée."), 500


def _probes(app: Flask) -> None:
    cfg = app.extensions["portal_config"]

    @app.get("/healthz")
    def healthz():
        return {"status": "ok", "service": "portal", "centre": cfg.centre}

    @app.get("/readyz")
    def readyz():
        import requests
        failures = {}
        for name in ("intake", "pathway", "partners"):
            try:
                requests.get(cfg.service_url(name) + "/healthz", timeout=2).raise_for_status()
            except requests.RequestException as exc:
                failures[name] = type(exc).__name__
        return {"status": "not-ready" if failures else "ready", "failures": failures}, \
            503 if failures else 200

    @app.get("/metrics")
    def prometheus():
        return Response(generate_latest(), mimetype=CONTENT_TYPE_LATEST)
