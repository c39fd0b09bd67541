"""What a service process holds: config, store connections, the commit store.

Connections open lazily, in the process that uses them (after gunicorn's fork), never at
import time. A service's `bootstrap.py` builds one `Runtime` and adds its own adapters.
"""
from __future__ import annotations

import base64
from functools import cached_property

from pymongo import MongoClient
from pymongo.database import Database

from shared import bus
from shared.anchors import Anchorer
from shared.config import Config
from shared.events import envelope
from shared.events.registry import EventRegistry
from shared.relay import Relay
from shared.store.commits import CommitStore, PayloadCipher

COMMITS = "commits"          # every service's commit collection


class Runtime:
    """`registry`: every event type of the platform, composed by the service's bootstrap
    (`services.catalog.build_registry`): shared/ never imports the services."""

    def __init__(self, config: Config, registry: EventRegistry,
                 cipher: PayloadCipher | None = None):
        self.config = config
        self.registry = registry
        self.cipher = cipher

    @cached_property
    def mongo(self) -> MongoClient:
        # Every call bounded: an unreachable store is a 503 in seconds, never a hang.
        login = {"username": self.config.mongodb_username,
                 "password": self.config.mongodb_password} if self.config.mongodb_username else {}
        return MongoClient(self.config.mongodb_uri, serverSelectionTimeoutMS=5000,
                           connectTimeoutMS=5000, socketTimeoutMS=30000, tz_aware=True, **login)

    @cached_property
    def db(self) -> Database:
        return self.mongo[self.config.mongodb_db]

    @cached_property
    def store(self) -> CommitStore:
        return self.commit_store(self.cipher)

    def commit_store(self, cipher: PayloadCipher | None) -> CommitStore:
        """The commit store, its hash chain keyed with the centre's audit key."""
        key = base64.b64decode(self.config.audit_key) if self.config.audit_key else None
        store = CommitStore(self.db[COMMITS], self.registry, cipher, audit_key=key)
        store.ensure_indexes()
        return store

    @property
    def topic(self) -> str:
        return envelope.topic(self.config.centre, self.config.service)

    def ping_store(self) -> None:
        self.mongo.admin.command("ping")

    def relay(self, routes: dict[str, str] | None = None) -> Relay:
        """`routes`: event type -> topic, for events bound elsewhere (region transfers)."""
        return Relay(self.store, lambda: bus.producer(self.config.kafka_bootstrap_servers),
                     self.topic, self.config.source, self.config.relay_batch, routes=routes)

    def anchorer(self) -> Anchorer:
        """The worker component that anchors this store's chain heads (region topic)."""
        bus.ensure_topics(self.config.kafka_bootstrap_servers, [envelope.REGION_ANCHORS])
        return Anchorer(self.store, self.config.mongodb_db, self.config.source,
                        self.producer, self.config.anchor_seconds)

    def producer(self):
        return bus.producer(self.config.kafka_bootstrap_servers)

    def consumer(self, group_id: str, **overrides):
        return bus.consumer(self.config.kafka_bootstrap_servers, group_id, **overrides)

    def ensure_topics(self, *extra: str) -> None:
        names = [self.topic, envelope.dlq(self.topic), *extra]
        bus.ensure_topics(self.config.kafka_bootstrap_servers, names)
