"""Wires the regional reporting service (see `shared.wiring` for the shape all
services share): the runtime, the clock, its settings and the published figures over
the projections, and the frozen publications. Tests call `bootstrap` with a fake
projection reader (or database)."""
from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Iterator

from pymongo import MongoClient
from pymongo.database import Database

from shared.config import Config
from shared import clock, wiring
from services.catalog import build_registry
from services.reporting.adapters.reader import ProjectionReader
from services.reporting.domain.publication import DEFAULT_K, DEFAULT_TOP_N
from services.reporting.service_layer.figures import Figures, Reader
from services.reporting.service_layer.publications import Publications


@dataclass(frozen=True)
class ReportingSettings:
    small_cell_k: int = DEFAULT_K        # CRI_SMALL_CELL_K: cells about fewer people are hidden
    top_nationalities: int = DEFAULT_TOP_N   # CRI_TOP_NATIONALITIES

    @staticmethod
    def from_env() -> "ReportingSettings":
        k = int(os.environ.get("CRI_SMALL_CELL_K", DEFAULT_K))
        top = int(os.environ.get("CRI_TOP_NATIONALITIES", DEFAULT_TOP_N))
        if k < 1 or top < 1:
            raise RuntimeError("CRI_SMALL_CELL_K and CRI_TOP_NATIONALITIES must be >= 1")
        return ReportingSettings(k, top)


@dataclass
class ReportingServices(wiring.Services):
    settings: ReportingSettings = field(default_factory=ReportingSettings)
    reader: Reader | None = None           # a fake for tests; else the projections

    @cached_property
    def figures(self) -> Figures:
        return Figures(self.reader or ProjectionReader(self.db), self.settings.small_cell_k,
                       self.settings.top_nationalities)

    @cached_property
    def publications(self) -> Publications:
        """The frozen publications: all the public ever reads."""
        return Publications(self.db, self.figures, self.today)


def bootstrap(config: Config, *, db: Database | None = None, today=clock.today,
              settings: ReportingSettings | None = None,
              reader: Reader | None = None) -> ReportingServices:
    return ReportingServices(wiring.runtime(config, build_registry(), db), today=today,
                             settings=settings or ReportingSettings(), reader=reader)


@lru_cache(maxsize=1)
def services() -> ReportingServices:
    return bootstrap(Config.from_env("reporting"), settings=ReportingSettings.from_env())



DATABASE = "cri_region_reporting"      # what Config.from_env("reporting") names it


@contextmanager
def on_store(mongodb_uri: str, db_name: str = DATABASE) -> Iterator[ReportingServices]:
    """The reporting services over the store alone, without Kafka (`cri reporting`)."""
    client: MongoClient = MongoClient(mongodb_uri, serverSelectionTimeoutMS=5000)
    config = Config(service="reporting", centre="region", kafka_bootstrap_servers="",
                    mongodb_uri=mongodb_uri, mongodb_db=db_name)
    try:
        yield bootstrap(config, db=client[db_name], settings=ReportingSettings.from_env())
    finally:
        client.close()
