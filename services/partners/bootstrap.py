"""Wires the partners service (see `shared.wiring` for the shape all services share):
the runtime, the clock and the attendance repository. Tests call `bootstrap` with their
own database and day."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

from pymongo.database import Database

from shared.application import Repository
from shared.config import Config
from shared.messages import DomainEvent

from shared import clock, wiring
from services.catalog import build_registry
from services.partners.adapters.people import People
from services.partners.adapters.streams import attendances


@dataclass
class PartnersServices(wiring.Services):
    @cached_property
    def attendances(self) -> Repository[list[DomainEvent]]:
        return attendances(self.store)

    @cached_property
    def people(self) -> People:
        """The people this centre follows (from the pathway topic)."""
        return People(self.db["people"])


def bootstrap(config: Config, *, db: Database | None = None,
              today=clock.today) -> PartnersServices:
    return PartnersServices(wiring.runtime(config, build_registry(), db), today=today)


@lru_cache(maxsize=1)
def services() -> PartnersServices:
    return bootstrap(Config.from_env("partners"))
