"""Wires the partners service (see `shared.wiring` for the shape all services share):
the runtime, the clock, the read model, the per-person keys of shared cards and one
repository per kind of stream. Tests call `bootstrap` with their own database and day."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

from pymongo.database import Database

from shared.application import Repository
from shared.config import Config
from shared.store.keys import KeyStore

from shared import clock, wiring
from services.catalog import build_registry
from services.partners.adapters import streams
from services.partners.adapters.cards import Cards
from services.partners.adapters.people import People
from services.partners.adapters.practitioners import Practitioners
from services.partners.adapters.read_model import ReadModel


@dataclass
class PartnersServices(wiring.Services):
    @cached_property
    def read_model(self) -> ReadModel:
        rm = ReadModel(self.db)
        rm.ensure_indexes()
        return rm

    @cached_property
    def people(self) -> People:
        """The people this centre follows (from the pathway topic)."""
        return People(self.db["people"])

    @cached_property
    def cards(self) -> Cards:
        return Cards(KeyStore(self.db["partners_keys"], self.config.master_key))

    @cached_property
    def practitioners(self) -> Practitioners:
        return Practitioners(KeyStore(self.db["partners_keys"], self.config.master_key))

    @cached_property
    def operators(self) -> Repository:
        return streams.operators(self.store, self.read_model)

    @cached_property
    def agreements(self) -> Repository:
        return streams.agreements(self.store, self.read_model)

    @cached_property
    def offers(self) -> Repository:
        return streams.offers(self.store, self.read_model)

    @cached_property
    def attendances(self) -> Repository:
        return streams.attendances(self.store, self.read_model)

    @cached_property
    def plans(self) -> Repository:
        return streams.plans(self.store, self.read_model)

    @cached_property
    def activities(self) -> Repository:
        return streams.activities(self.store, self.read_model)

    @cached_property
    def trainings(self) -> Repository:
        return streams.trainings(self.store, self.read_model)

    @cached_property
    def listings(self) -> Repository:
        return streams.listings(self.store, self.read_model)


def bootstrap(config: Config, *, db: Database | None = None,
              today=clock.today) -> PartnersServices:
    return PartnersServices(wiring.runtime(config, build_registry(), db), today=today)


@lru_cache(maxsize=1)
def services() -> PartnersServices:
    return bootstrap(Config.from_env("partners"))
