"""Wires the intake service's I/O: one runtime per process, built on first use.

`IntakeRuntime` adds intake's adapters to the shared `Runtime`: the per-person key
store, the commit store with the per-person cipher, pseudonym
claims, the directory (lists, blind name index), the regional pseudonym index and the
access log.
Everything opens lazily, after fork.
"""
from __future__ import annotations

from functools import cached_property, lru_cache

from shared.config import Config
from shared.runtime import Runtime
from shared.store.commits import CommitStore
from services.intake.adapters.access_log import AccessLog
from services.intake.adapters.cipher import PersonCipher
from services.intake.adapters.claims import PseudonymClaims
from services.intake.adapters.directory import Directory
from services.intake.adapters.keys import KeyStore
from services.intake.adapters.pseudonyms import PseudonymIndex
from services.intake.adapters.repository import PersonRepository


class IntakeRuntime(Runtime):
    @cached_property
    def keys(self) -> KeyStore:
        return KeyStore(self.db["keys"], self.config.master_key)

    @cached_property
    def store(self) -> CommitStore:
        self.cipher = PersonCipher(self.keys)
        store = CommitStore(self.db["commits"], self.registry, self.cipher)
        store.ensure_indexes()
        return store

    @cached_property
    def directory(self) -> Directory:
        directory = Directory(self.db["directory"], self.keys, self.config.master_key)
        directory.ensure_indexes()
        return directory

    @cached_property
    def claims(self) -> PseudonymClaims:
        return PseudonymClaims(self.db["claims"])

    @cached_property
    def pseudonyms(self) -> PseudonymIndex:
        return PseudonymIndex(self.db["pseudonyms"])

    @cached_property
    def access_log(self) -> AccessLog:
        return AccessLog(self.store, self.config.centre)

    @cached_property
    def persons(self) -> PersonRepository:
        return PersonRepository(self.store, self.keys)

    @property
    def regional_secret(self) -> bytes:
        import base64
        if not self.config.regional_secret:
            raise RuntimeError("CRI_REGIONAL_SECRET is not configured: no pseudonyms")
        return base64.b64decode(self.config.regional_secret)


@lru_cache(maxsize=1)
def runtime() -> IntakeRuntime:
    return IntakeRuntime(Config.from_env("intake"))
