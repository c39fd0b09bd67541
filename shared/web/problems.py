"""RFC 9457 problem+json for every error, in French unless the client asks for English."""
from __future__ import annotations

import logging

from flask import Flask, jsonify, request
from pymongo.errors import (ConnectionFailure, ExecutionTimeout, NetworkTimeout,
                            PyMongoError, ServerSelectionTimeoutError)
from werkzeug.exceptions import HTTPException

from shared.errors import CriError
from shared.web.i18n import translate_tree, wants_english

log = logging.getLogger(__name__)
TYPE_BASE = "https://cri.wallonie.be/problemes/"
CONTENT_TYPE = "application/problem+json"


def problem(status: int, slug: str, title: str, detail: str, **extra):
    body = {"type": TYPE_BASE + slug, "title": title, "status": status, "detail": detail,
            "instance": request.path, **extra}
    resp = jsonify(body)
    resp.status_code = status
    resp.mimetype = CONTENT_TYPE
    return resp


HTTP_FR = {400: "Requête invalide", 401: "Authentification requise", 403: "Accès refusé",
            404: "Ressource introuvable", 405: "Méthode non permise", 409: "Conflit",
            412: "Version périmée", 413: "Contenu trop volumineux", 415: "Type de contenu non supporté",
            410: "Ressource effacée ou transférée", 414: "Adresse trop longue", 422: "Données invalides",
            428: "En-tête If-Match requis", 500: "Erreur interne",
            503: "Service momentanément indisponible"}


def install(app: Flask) -> None:
    @app.errorhandler(CriError)
    def _cri(exc: CriError):
        en = wants_english()
        extra = {}
        if exc.fields:
            extra["errors"] = exc.fields if not en else exc.extra.get("fields_en", exc.fields)
        for k, v in exc.extra.items():
            if k != "fields_en":
                extra[k] = v
        return problem(exc.status, exc.slug, exc.title, exc.message_en if en else exc.message,
                       **extra)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        en = wants_english()
        extra = {}
        messages = getattr(exc, "data", {}).get("messages") if hasattr(exc, "data") else None
        if messages:
            # webargs nests by location ("json", "query"); the field path is what users need
            flat = {}
            for location, tree in messages.items():
                flat.update(translate_tree(tree, en))
            extra["errors"] = flat
        status = exc.code or 500
        title = exc.name if en else HTTP_FR.get(status, exc.name)
        detail = exc.description if en else (
            "Certains champs sont invalides ; voir « errors »." if messages else title)
        resp = problem(status, f"http-{status}", title, detail, **extra)
        for name, value in exc.get_headers():  # e.g. 405's Allow (RFC 9110)
            if name.lower() != "content-type":
                resp.headers[name] = value
        return resp

    @app.errorhandler(PyMongoError)
    def _store_down(exc: PyMongoError):
        if not isinstance(exc, (ConnectionFailure, ServerSelectionTimeoutError,
                                NetworkTimeout, ExecutionTimeout)):
            return _unexpected(exc)
        # An outage, not a bug: one line in the log, no traceback; the client retries.
        log.warning("store unavailable on %s %s: %s", request.method, request.path,
                    type(exc).__name__)
        resp = problem(503, "store-unavailable", "Service momentanément indisponible",
                       "La base de données ne répond pas ; réessayez dans quelques secondes. "
                       "Rien n'a été perdu.")
        resp.headers["Retry-After"] = "5"
        return resp

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return problem(500, "internal-error", "Erreur interne",
                       "Une erreur inattendue s'est produite ; elle a été journalisée.")
