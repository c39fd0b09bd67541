"""Per-client rate limits on public, unauthenticated routes (Flask-Limiter).

The counters live in the service's own store (`StoreCounters`: one document per client
address and limit, fixed windows), so every gunicorn worker and every web process of
the service counts against the same limit; without a store (unit tests' apps) they
live in the process. Over the limit: 429 problem+json in French (English with
`Accept-Language: en`) with `Retry-After`. A store outage is the route's own 503.
"""
from __future__ import annotations

import itertools
import math
import time
from typing import Callable, Iterable

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded
from flask_limiter.util import get_remote_address
from limits.storage import Storage
from pymongo.collection import Collection
from pymongo.errors import PyMongoError

from shared.store.documents import swap
from shared.web.i18n import wants_english
from shared.web.problems import problem

SWEEP_EVERY = 1000          # counts between two removals of long-expired counters
STALE_AFTER = 86400.0       # a counter expired this long ago is removed


class StoreCounters(Storage):
    """`limits` storage on a pymongo collection: `{_id: key, n: count, exp: end of the
    window (epoch s)}`, each count a compare-and-swap by `_id` (`documents.swap`: exact
    under concurrency on MongoDB and on FerretDB, whose `$inc` loses concurrent
    increments). A count that finds its window ended starts the next one."""

    STORAGE_SCHEME = ["cri-store"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False,
                 collection: Callable[[], Collection] | None = None,
                 clock: Callable[[], float] = time.time, **options) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        if collection is None:
            raise ValueError("StoreCounters needs the collection (storage_options)")
        self._collection, self._clock = collection, clock
        self._counts = itertools.count(1)

    @property
    def base_exceptions(self) -> type[Exception]:
        return PyMongoError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        coll, now = self._collection(), self._clock()
        if next(self._counts) % SWEEP_EVERY == 0:
            coll.delete_many({"exp": {"$lt": now - STALE_AFTER}})
        for _ in range(100):
            doc = coll.find_one({"_id": key})
            if doc is None or doc["exp"] <= now:       # none yet, or the window ended
                new = {"_id": key, "n": amount, "exp": now + expiry}
            else:
                new = {"_id": key, "n": doc["n"] + amount, "exp": doc["exp"]}
            if swap(coll, doc, new):
                return new["n"]
        raise RuntimeError(f"rate counter {key}: 100 writers in a row won the race")

    def get(self, key: str) -> int:
        doc = self._collection().find_one({"_id": key})
        return doc["n"] if doc and doc["exp"] > self._clock() else 0

    def get_expiry(self, key: str) -> float:
        doc = self._collection().find_one({"_id": key})
        return doc["exp"] if doc else self._clock()

    def check(self) -> bool:
        try:
            self._collection().database.command("ping")
            return True
        except PyMongoError:
            return False

    def reset(self) -> int | None:
        return self._collection().delete_many({}).deleted_count

    def clear(self, key: str) -> None:
        self._collection().delete_one({"_id": key})


def limit_public(app: Flask, endpoints: Iterable[str], rate: str, scope: str,
                 store: Callable[[], Collection] | None = None) -> Limiter:
    """One limit (`rate`, e.g. "30 per minute") shared by `endpoints`, per client
    address; counted in `store()` (a collection of the service's store) when given."""
    where = ({"storage_uri": "cri-store://", "storage_options": {"collection": store}}
             if store else {"storage_uri": "memory://"})
    limiter = Limiter(get_remote_address, app=app, default_limits=[], headers_enabled=False,
                      **where)
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
