"""Wires the pathway service (see `shared.wiring` for the shape all services share):
the runtime, the clock, the commit store sealing `personal` parts for the pathway's own
key, the repositories with the read model in step, the intake facts
and the attestation numbers. Tests call `bootstrap` with their own database and day.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from pymongo.database import Database

from shared.application import Repository
from shared.config import Config
from shared.events.envelope import REGION_TRANSFERS

from shared import clock, wiring
from services.catalog import build_registry
from services.pathway.adapters import streams
from services.pathway.adapters.intake_facts import IntakeFacts
from services.pathway.adapters.numbers import AttestationNumbers
from services.pathway.adapters.personal_cipher import SealedPersonal
from services.pathway.adapters.read_model import ReadModel
from services.pathway.adapters.referrals import Referrals
from services.pathway.domain import PathwayState
from services.pathway.domain import event_names as n
from services.pathway.domain.inbox import IncomingTransfer

ROUTES = {event_type: REGION_TRANSFERS for event_type in n.REGION_MESSAGES}
"""Transfer messages leave through the outbox like every event, to the region topic."""



@dataclass(frozen=True)
class Settings:
    """Pathway-only knobs, from the environment."""
    noncompliance_interval_s: float = 3600.0

    @staticmethod
    def from_env() -> "Settings":
        return Settings(float(os.environ.get("CRI_PATHWAY_NONCOMPLIANCE_INTERVAL_S", "3600")))


@dataclass
class PathwayServices(wiring.Services):
    settings: Settings = field(default_factory=Settings)

    @cached_property
    def read_model(self) -> ReadModel:
        rm = ReadModel(self.db)
        rm.ensure_indexes()
        return rm

    @cached_property
    def pathways(self) -> Repository[PathwayState]:
        return streams.pathways(self.store, on_commit=self.read_model.on_pathway_commit)

    @cached_property
    def transfers(self) -> Repository[IncomingTransfer]:
        return streams.transfers(self.store, on_commit=self.read_model.on_transfer_commit)

    @cached_property
    def referrals(self) -> Referrals:
        referrals = Referrals(self.db)
        referrals.ensure_indexes()
        return referrals

    @cached_property
    def facts(self) -> IntakeFacts:
        facts = IntakeFacts(self.db)
        facts.ensure_indexes()
        return facts

    @cached_property
    def numbers(self) -> AttestationNumbers:
        numbers = AttestationNumbers(self.db)
        numbers.ensure_indexes()
        return numbers


def bootstrap(config: Config, *, db: Database | None = None, today=clock.today,
              settings: Settings | None = None) -> PathwayServices:
    cipher = SealedPersonal(config.centre_private_key) if config.centre_private_key else None
    return PathwayServices(wiring.runtime(config, build_registry(), db, cipher=cipher),
                           today=today, settings=settings or Settings())


@lru_cache(maxsize=1)
def services() -> PathwayServices:
    return bootstrap(Config.from_env("pathway"), settings=Settings.from_env())
