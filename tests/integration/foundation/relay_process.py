"""A relay in its own process, for the kill -9 test: python -m ... URI DB BOOTSTRAP TOPIC"""
from __future__ import annotations

import sys
import threading

import pymongo

from shared import bus
from shared.relay import Relay
from shared.store.commits import CommitStore
from tests.integration.foundation.events_fixture import registry


def main() -> None:
    uri, db, bootstrap, topic = sys.argv[1:5]
    store = CommitStore(pymongo.MongoClient(uri)[db]["commits"], registry())
    relay = Relay(store, lambda: bus.producer(bootstrap), topic, "/cri/test/relay",
                  batch_size=int(sys.argv[5]) if len(sys.argv) > 5 else 200)
    relay.run(threading.Event())


if __name__ == "__main__":
    main()
