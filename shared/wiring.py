"""The one shape every service's wiring has (intake, pathway, partners, reporting).

- `bootstrap.bootstrap(config, *, db=None, today=clock.today, ...)` returns the
  service's `<Name>Services`: a `Services` (runtime, clock) plus the adapters its
  service layer needs, opened lazily (after gunicorn's fork). `db` is the fake: an
  in-memory database (`shared.store.memory`) for service-layer unit tests.
- `bootstrap.services()` builds it once per process from the environment.
- `app.create_app(svc=None)` serves it (`install`); a view reaches it with
  `api.common.svc()` (`current`), never through a process-wide global.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable, TypeVar

from flask import Flask, current_app
from pymongo.database import Database

from shared.config import Config
from shared.events.registry import EventRegistry
from shared.runtime import Runtime
from shared.store.commits import CommitStore, PayloadCipher

from shared import clock

R = TypeVar("R", bound=Runtime)
KEY = "cri_services"


def runtime(config: Config, registry: EventRegistry, db: Database | None = None,
            cls: type[R] = Runtime, cipher: PayloadCipher | None = None) -> R:
    """The process's runtime; on `db` (a fake) instead of the configured database;
    `cipher`: what the commit store does to an event's data at rest."""
    rt = cls(config, registry=registry, cipher=cipher)
    if db is not None:
        rt.db = db        # overrides the cached property: no connection is ever opened
    return rt


@dataclass
class Services:
    """What every service layer gets: the runtime and the clock."""

    runtime: Runtime
    today: Callable[[], date] = clock.today
    now: Callable[[], datetime] = clock.now

    @property
    def config(self) -> Config:
        return self.runtime.config

    @property
    def centre(self) -> str:
        return self.config.centre

    @property
    def store(self) -> CommitStore:
        return self.runtime.store

    @property
    def db(self) -> Database:
        return self.runtime.db


def install(app: Flask, svc: Any) -> Flask:
    app.extensions[KEY] = svc
    return app


def current() -> Any:
    """The services of the app serving this request."""
    return current_app.extensions[KEY]
