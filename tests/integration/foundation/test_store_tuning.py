"""The local store's tuning holds: FerretDB's lookups and updates by `_id` and by an
indexed field are served by the GIN mirrors, never by a scan of the table.

Checked with PostgreSQL's own counters (pg_stat_user_tables / pg_stat_user_indexes)
rather than timings: a scan shows up as `seq_scan`, an index use as `idx_scan` on the
`_gin` index, whatever the machine's load. The same tuning measured by `make bench`:
append and load latency at 100,000 commits vs 1,000.
"""
from __future__ import annotations

import uuid

import pytest

from shared.messages import DomainEvent
from shared.store.commits import CommitStore, commit_id
from tests.api_client import eventually
from tests.integration.foundation.events_fixture import registry

pytestmark = pytest.mark.infra
DOCS = 20_000


@pytest.fixture
def pg(infra):
    if "postgres" not in infra:
        pytest.skip("PostgreSQL counters exist only on the launcher's FerretDB/PostgreSQL "
                    f"store, not on {infra['kind']}")
    return infra["postgres"]


def table_of(pg, db: str, collection: str) -> str:
    return pg.sql(f"SELECT _jsonb->>'table' FROM \"{db}\"._ferretdb_database_metadata "
                  f"WHERE _jsonb->>'_id' = '{collection}'").strip()


def counters(pg, db: str, table: str) -> tuple[int, int]:
    """(sequential scans of the table, scans of its GIN indexes)."""
    seq = pg.sql(f"SELECT seq_scan FROM pg_stat_user_tables WHERE schemaname = '{db}' "
                 f"AND relname = '{table}'").strip()
    gin = pg.sql(f"SELECT coalesce(sum(idx_scan), 0) FROM pg_stat_user_indexes WHERE "
                 f"schemaname = '{db}' AND relname = '{table}' "
                 f"AND indexrelname LIKE '%\\_gin'").strip()
    return int(seq or 0), int(gin or 0)


def test_every_index_ferretdb_creates_gets_a_gin_mirror(pg, fresh_db):
    store = CommitStore(fresh_db["commits"], registry())
    store.ensure_indexes()
    table = table_of(pg, fresh_db.name, "commits")
    defs = pg.sql(f"SELECT indexdef FROM pg_indexes WHERE schemaname = '{fresh_db.name}' "
                  f"AND tablename = '{table}'").splitlines()
    btree = [d for d in defs if "USING btree" in d]
    gin = [d for d in defs if "USING gin" in d]
    assert len(btree) == 3 and len(gin) == 3      # _id, (stream_id, version), bucket
    assert all("fastupdate=off" in d.replace(" ", "").replace("'", "") for d in gin)
    assert pg.sql("SHOW plan_cache_mode").strip() == "force_custom_plan"


def test_lookups_appends_and_updates_use_the_indexes_never_a_scan(pg, fresh_db):
    coll = fresh_db["commits"]
    store = CommitStore(coll, registry())
    store.ensure_indexes()
    for start in range(0, DOCS, 5_000):
        coll.insert_many([{"_id": commit_id(f"f-{k}", 1), "stream_id": f"f-{k}", "version": 1,
                           "bucket": k // 100, "events": [], "recorded_at": "t", "hash": "h",
                           "pad": "x" * 100}
                          for k in range(start, start + 5_000)])
    table = table_of(pg, fresh_db.name, "commits")
    pg.sql(f'ANALYZE "{fresh_db.name}"."{table}"')
    # Each index build is one sequential scan (of the empty table here), and a backend
    # publishes its counters at the end of a transaction at most once a second, else
    # about 10 s after going idle: on a fast machine the setup ends before that, and its
    # scans showed up among the operations'. The baseline waits for them.
    builds = int(pg.sql(f"SELECT count(*) FROM pg_indexes WHERE schemaname = "
                        f"'{fresh_db.name}' AND tablename = '{table}'"))
    eventually(lambda: counters(pg, fresh_db.name, table)[0] >= builds, 30, 0.5)
    seq0, gin0 = counters(pg, fresh_db.name, table)
    ops = 0
    for k in range(0, DOCS, DOCS // 20):
        assert coll.find_one({"_id": commit_id(f"f-{k}", 1)})["stream_id"] == f"f-{k}"
        assert len(list(coll.find({"bucket": k // 100}))) == 100
        coll.update_one({"_id": commit_id(f"f-{k}", 1)}, {"$set": {"pad": "y"}})
        assert store.load(f"f-{k}").version == 1
        ops += 4
    for i in range(5):
        sid = f"new-{uuid.uuid4().hex[:6]}"
        store.append(sid, [DomainEvent("test.CounterIncremented", {"by": i})], 0)
        store.append(sid, [DomainEvent("test.CounterIncremented", {"by": i})], 1)
    # (the operations' counters are published as above: wait for all of their index scans)
    eventually(lambda: counters(pg, fresh_db.name, table)[1] >= gin0 + ops, 30, 0.5)
    seq1, _ = counters(pg, fresh_db.name, table)
    assert seq1 == seq0, f"{seq1 - seq0} sequential scan(s) of the commit table"
