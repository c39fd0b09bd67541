"""The published figures of a year, computed once per projector batch.

Publishing reads every projection and runs suppression on every table: cheap enough
per batch, too dear per request, so results are kept per (projection version, year).
"""
from __future__ import annotations

import threading
from datetime import date
from typing import Any, Callable, Protocol

from shared import clock
from services.reporting.domain.publication import Snapshot, publish
from services.reporting.domain.tables import Published

KEEP = 16    # years × versions kept; old versions simply age out


class Reader(Protocol):
    def status(self) -> dict[str, Any]: ...
    def snapshot(self) -> tuple[Any, Snapshot]: ...


class Figures:
    def __init__(self, reader: Reader, k: int, top_n: int,
                 today: Callable[[], date] = clock.today):
        self.reader = reader
        self.today = today
        self.k = k
        self.top_n = top_n
        self._lock = threading.Lock()
        self._kept: dict[tuple[Any, int], dict[str, Published]] = {}

    def status(self) -> dict[str, Any]:
        return self.reader.status()

    def tables(self, year: int) -> dict[str, Published]:
        version, snapshot = self.reader.snapshot()
        today = self.today()                # the wait table counts days up to today
        key = (version, year, today)
        with self._lock:
            if version is not None and key in self._kept:
                return self._kept[key]
        published = publish(snapshot, year, self.k, self.top_n, today=today)
        with self._lock:
            if len(self._kept) >= KEEP:
                self._kept.pop(next(iter(self._kept)))
            self._kept[key] = published
        return published
