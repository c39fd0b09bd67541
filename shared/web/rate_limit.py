"""Per-client rate limits on public, unauthenticated routes (Flask-Limiter, memory storage).

The counters live in the web process (one gunicorn worker holds its own): enough to make
enumerating a public register slow, not a distributed quota. Over the limit: 429
problem+json in French (English with `Accept-Language: en`) with `Retry-After`.
"""
from __future__ import annotations

import math
import time
from typing import Iterable

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded
from flask_limiter.util import get_remote_address

from shared.web.i18n import wants_english
from shared.web.problems import problem


def limit_public(app: Flask, endpoints: Iterable[str], rate: str, scope: str) -> Limiter:
    """One limit (`rate`, e.g. "30 per minute") shared by `endpoints`, per client address."""
    limiter = Limiter(get_remote_address, app=app, storage_uri="memory://",
                      default_limits=[], headers_enabled=False)
    shared = limiter.shared_limit(rate, scope=scope)
    for endpoint in endpoints:
        app.view_functions[endpoint] = shared(app.view_functions[endpoint])

    @app.errorhandler(RateLimitExceeded)
    def _too_many(exc: RateLimitExceeded):
        current = limiter.current_limit
        wait = max(1, math.ceil(current.reset_at - time.time())) if current else 60
        if wants_english():
            resp = problem(429, "rate-limited", "Too many requests",
                           f"Too many requests from your address; retry in {wait} s.")
        else:
            resp = problem(429, "rate-limited", "Trop de requêtes",
                           "Trop de requêtes depuis votre adresse ; réessayez dans "
                           f"{wait} secondes.")
        resp.headers["Retry-After"] = str(wait)
        return resp

    return limiter
