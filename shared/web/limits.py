"""Limits on what a request may carry, checked once before any view runs.

Why here: one 2 MB field used to be stored, then refused by the broker, and the relay
stalled behind it; deep nesting (RecursionError), a lone surrogate or a NUL byte gave
500s further in. Every service installs the same guard, so no view has to remember:
- body: at most `CRI_MAX_BODY_BYTES` (256 KiB) → 413; URL (path and query) at most
  8 KiB → 414 (gunicorn runs with `--limit-request-line 0`, its own cap of 1 MB, so
  the answer is this French problem+json, not gunicorn's English HTML page);
- JSON: valid UTF-8, nesting ≤ 32, each string ≤ 10,000 characters, no NUL, no lone
  surrogate, no other C0 control but tab and newlines → 400/422, nothing written.
"""
from __future__ import annotations

import json
import os
import re

from flask import Flask, request

from shared.errors import CriError, PayloadTooLarge, ValidationFailed

MAX_BODY_BYTES = int(os.environ.get("CRI_MAX_BODY_BYTES", 256 * 1024))
MAX_URL_BYTES = 8 * 1024
MAX_DEPTH = 32
MAX_STRING = 10_000
_BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


class MalformedBody(CriError):
    status = 400
    slug = "malformed-body"
    title = "Requête invalide"


class UriTooLong(CriError):
    status = 414
    slug = "uri-too-long"
    title = "Adresse trop longue"


def install(app: Flask) -> None:
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES

    @app.before_request
    def _guard_body():
        uri = request.environ.get("RAW_URI") or request.full_path
        if len(uri) > MAX_URL_BYTES:
            raise UriTooLong(f"l'adresse demandée dépasse {MAX_URL_BYTES // 1024} Kio ; "
                             "réduisez les paramètres",
                             message_en=f"the request URI exceeds {MAX_URL_BYTES // 1024} KiB")
        view = app.view_functions.get(request.endpoint) if request.endpoint else None
        limit = getattr(view, "cri_max_body", None)
        if limit is not None:          # a streamed upload (e.g. a CSV): its own limit
            request.max_content_length = limit
            if request.content_length is not None and request.content_length > limit:
                raise too_large(limit)
            return
        length = request.content_length
        if length is not None and length > MAX_BODY_BYTES:
            raise too_large()
        if not request.is_json:
            return
        raw = request.get_data(cache=True)
        if len(raw) > MAX_BODY_BYTES:
            raise too_large()
        if not raw.strip():
            return
        try:
            body = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise MalformedBody("le corps de la requête n'est pas de l'UTF-8 valide",
                                message_en="the request body is not valid UTF-8") from None
        except RecursionError:
            raise deep() from None
        except ValueError:
            raise MalformedBody("le corps de la requête n'est pas du JSON valide",
                                message_en="the request body is not valid JSON") from None
        check(body)


def allow_body(limit: int):
    """Marks a view that streams a larger body (an upload) than `MAX_BODY_BYTES`."""
    def mark(view):
        view.cri_max_body = limit
        return view
    return mark


def too_large(limit: int = MAX_BODY_BYTES) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"le corps de la requête dépasse {limit // 1024} Kio ; rien n'a été "
        "enregistré", message_en=f"the request body exceeds {limit // 1024} KiB")


def deep() -> ValidationFailed:
    return ValidationFailed(f"JSON imbriqué sur plus de {MAX_DEPTH} niveaux",
                            message_en=f"JSON nested deeper than {MAX_DEPTH} levels")


def check(body) -> None:
    """Walk the parsed body without recursion; field-level messages name the path."""
    errors: dict[str, list[str]] = {}
    stack = [(body, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise deep()
        if isinstance(value, dict):
            for k, v in value.items():
                where = f"{path}.{k}" if path else str(k)
                _check_string(k, where, errors, key=True)
                stack.append((v, where, depth + 1))
        elif isinstance(value, list):
            stack.extend((v, f"{path}[{i}]", depth + 1) for i, v in enumerate(value))
        elif isinstance(value, str):
            _check_string(value, path or "(corps)", errors)
    if errors:
        raise ValidationFailed("certains champs sont invalides ; voir « errors »",
                               message_en="some fields are invalid; see errors",
                               fields=errors)


def _check_string(value: str, path: str, errors: dict, key: bool = False) -> None:
    if len(value) > MAX_STRING:
        errors.setdefault(path[:200], []).append(
            f"{'nom de champ' if key else 'texte'} trop long : {MAX_STRING} caractères "
            "au plus")
    elif _BAD_CHARS.search(value):
        errors.setdefault(path[:200], []).append(
            "caractère interdit (caractère de contrôle, octet nul ou substitut isolé)")
