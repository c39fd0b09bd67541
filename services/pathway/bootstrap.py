"""Wires the pathway service's I/O: one Runtime per process, built on first use, and the
adapters the handlers need. Tests build `PathwayServices` on their own database and
clock; the processes use `services()`.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property, lru_cache
from typing import Callable
from zoneinfo import ZoneInfo

from shared.config import Config
from shared.events.envelope import REGION_TRANSFERS
from shared.runtime import Runtime

from services.pathway.adapters.intake_facts import IntakeFacts
from services.pathway.adapters.numbers import AttestationNumbers
from services.pathway.adapters.read_model import ReadModel
from services.pathway.adapters.streams import PathwayStreams, TransferStreams
from services.pathway.domain import event_names as n

BRUSSELS = ZoneInfo("Europe/Brussels")
ROUTES = {event_type: REGION_TRANSFERS for event_type in n.REGION_MESSAGES}
"""Transfer messages leave through the outbox like every event, to the region topic."""


def brussels_today() -> date:
    """Legal dates are Belgian calendar days, whatever the server's time zone."""
    return datetime.now(BRUSSELS).date()


@dataclass(frozen=True)
class Settings:
    """Pathway-only knobs, from the environment."""
    noncompliance_interval_s: float = 3600.0

    @staticmethod
    def from_env() -> "Settings":
        return Settings(float(os.environ.get("CRI_PATHWAY_NONCOMPLIANCE_INTERVAL_S", "3600")))


@dataclass
class PathwayServices:
    runtime: Runtime
    today: Callable[[], date] = brussels_today
    settings: Settings = field(default_factory=Settings)

    @property
    def config(self) -> Config:
        return self.runtime.config

    @property
    def centre(self) -> str:
        return self.config.centre

    @property
    def store(self):
        return self.runtime.store

    @cached_property
    def read_model(self) -> ReadModel:
        rm = ReadModel(self.runtime.db)
        rm.ensure_indexes()
        return rm

    @cached_property
    def pathways(self) -> PathwayStreams:
        return PathwayStreams(self.store, on_commit=self.read_model.project_pathway)

    @cached_property
    def transfers(self) -> TransferStreams:
        return TransferStreams(self.store, on_commit=self.read_model.project_transfer)

    @cached_property
    def facts(self) -> IntakeFacts:
        facts = IntakeFacts(self.runtime.db)
        facts.ensure_indexes()
        return facts

    @cached_property
    def numbers(self) -> AttestationNumbers:
        numbers = AttestationNumbers(self.runtime.db)
        numbers.ensure_indexes()
        return numbers


@lru_cache(maxsize=1)
def runtime() -> Runtime:
    return Runtime(Config.from_env("pathway"))


@lru_cache(maxsize=1)
def services() -> PathwayServices:
    return PathwayServices(runtime(), settings=Settings.from_env())
