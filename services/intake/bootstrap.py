"""Wires the intake service (see `shared.wiring` for the shape all services share).

`IntakeServices` adds intake's adapters to the runtime and the clock: the per-person
key store and the pseudonym claims (both kept in the commit collection, beside the
commits), the commit store with the per-person cipher (the relay publishes from the
same store), the directory (lists, blind name index), the regional
pseudonym index, the access log and the person repository. Everything opens lazily,
after fork. Tests call `bootstrap` with their own database and day.
"""
from __future__ import annotations

import base64
from dataclasses import dataclass
from functools import cached_property, lru_cache

from pymongo.database import Database

from shared.config import Config
from shared.runtime import COMMITS, Runtime
from shared.store.commits import CommitStore
from shared import clock, wiring
from services.catalog import build_registry
from services.intake.adapters.access_log import AccessLog
from services.intake.adapters.cipher import PersonCipher
from services.intake.adapters.claims import PseudonymClaims
from shared.store.erasure import Tombstones
from services.intake.adapters.directory import Directory
from shared.store.keys import KeyStore
from services.intake.adapters.pseudonyms import COLLECTION as PSEUDONYM_FILES, PseudonymIndex
from services.intake.adapters.repository import PersonRepository


class CipherRuntime(Runtime):
    """A runtime whose commit store encrypts each person's data under the person's key."""

    @cached_property
    def keys(self) -> KeyStore:
        """Kept in the commit collection (with the pseudonym claims): a registration
        writes its key, claims and first commit in one insert (`adapters/claims.py`)."""
        keys = KeyStore(self.db[COMMITS], self.config.master_key)
        keys.adopt(self.db["keys"])                # where earlier versions kept them
        return keys

    @cached_property
    def store(self) -> CommitStore:
        self.cipher = PersonCipher(self.keys)
        return self.commit_store(self.cipher)


@dataclass
class IntakeServices(wiring.Services):
    runtime: CipherRuntime

    @property
    def keys(self) -> KeyStore:
        return self.runtime.keys

    @cached_property
    def directory(self) -> Directory:
        directory = Directory(self.db["directory"], self.keys, self.config.master_key)
        directory.ensure_indexes()
        return directory

    @cached_property
    def claims(self) -> PseudonymClaims:
        claims = PseudonymClaims(self.keys, self.db[PSEUDONYM_FILES])
        claims.adopt(self.db["claims"])          # where earlier versions kept them
        return claims

    @cached_property
    def pseudonyms(self) -> PseudonymIndex:
        index = PseudonymIndex(self.db[PSEUDONYM_FILES], self.centre,
                               self.claims.mark_seen, Tombstones(self.db["erased"]))
        index.ensure_indexes()
        return index

    @cached_property
    def access_log(self) -> AccessLog:
        return AccessLog(self.store, self.centre)

    @cached_property
    def persons(self) -> PersonRepository:
        return PersonRepository(self.store, self.keys)

    @property
    def regional_secret(self) -> bytes:
        if not self.config.regional_secret:
            raise RuntimeError("CRI_REGIONAL_SECRET is not configured: no pseudonyms")
        return base64.b64decode(self.config.regional_secret)


def bootstrap(config: Config, *, db: Database | None = None,
              today=clock.today) -> IntakeServices:
    return IntakeServices(wiring.runtime(config, build_registry(), db, CipherRuntime),
                          today=today)


@lru_cache(maxsize=1)
def services() -> IntakeServices:
    return bootstrap(Config.from_env("intake"))
