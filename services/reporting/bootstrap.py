"""Wires the regional reporting service's I/O: one runtime per process, built on first use."""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property, lru_cache

from shared.config import Config
from shared.runtime import Runtime
from services.reporting.adapters.reader import ProjectionReader
from services.reporting.domain.publication import DEFAULT_K, DEFAULT_TOP_N
from services.reporting.service_layer.figures import Figures


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


class ReportingRuntime(Runtime):
    def __init__(self, config: Config, settings: ReportingSettings | None = None,
                 reader=None):
        super().__init__(config)
        self.settings = settings or ReportingSettings.from_env()
        self._reader = reader

    @cached_property
    def figures(self) -> Figures:
        return Figures(self._reader or ProjectionReader(self.db), self.settings.small_cell_k,
                       self.settings.top_nationalities)


@lru_cache(maxsize=1)
def runtime() -> ReportingRuntime:
    return ReportingRuntime(Config.from_env("reporting"))
