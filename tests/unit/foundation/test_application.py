"""The application core on the in-memory store: load, decide, append, If-Match, retries."""
from __future__ import annotations

import pytest

from shared.application import Repository, execute
from shared.errors import ConcurrencyError, DomainRuleViolation, PreconditionFailed
from shared.messages import DomainEvent
from shared.store.commits import CommitStore
from shared.store.memory import memory_collection
from tests.integration.foundation.events_fixture import registry


def total(events, state):
    return (state or 0) + sum(e.data["by"] for e in events)


@pytest.fixture
def repo():
    store = CommitStore(memory_collection(), registry())
    store.ensure_indexes()
    return Repository(store, lambda key: f"counter-{key}", total)


def add(n):
    return lambda loaded: [DomainEvent("test.CounterIncremented", {"by": n})]


def test_execute_folds_the_new_commit_onto_the_loaded_state(repo):
    execute(repo, "a", add(2))
    after = execute(repo, "a", add(3))
    assert (after.state, after.version) == (5, 2)
    assert repo.load("a").state == 5 and repo.load("a", up_to=1).state == 2


def test_no_events_writes_nothing(repo):
    assert execute(repo, "a", lambda loaded: []).version == 0
    assert repo.store.collection.count_documents({}) == 0


def test_if_match_on_a_stale_version_is_412_and_writes_nothing(repo):
    execute(repo, "a", add(1))
    with pytest.raises(PreconditionFailed):
        execute(repo, "a", add(1), if_match=0)
    assert repo.load("a").version == 1


def test_a_conflict_without_if_match_decides_again_on_the_new_state(repo):
    seen = []

    def decide(loaded):
        seen.append(loaded.state)
        if len(seen) == 1:                        # someone else writes meanwhile
            execute(repo, "a", add(10))
        return [DomainEvent("test.CounterIncremented", {"by": 1})]

    after = execute(repo, "a", decide)
    assert seen == [0, 10] and after.state == 11 and after.version == 2


def test_retries_that_run_out_end_in_a_clear_409(repo):
    def always_raced(loaded):
        execute(repo, "a", add(1))
        return [DomainEvent("test.CounterIncremented", {"by": 1})]

    with pytest.raises(ConcurrencyError) as err:
        execute(repo, "a", always_raced, retries=2)
    assert "réessayez" in err.value.message and err.value.status == 409


def test_domain_errors_pass_through_and_nothing_is_written(repo):
    def refuse(loaded):
        raise DomainRuleViolation("non")

    with pytest.raises(DomainRuleViolation):
        execute(repo, "a", refuse)
    assert repo.store.collection.count_documents({}) == 0


def test_put_survives_the_race_of_two_first_writers():
    """FerretDB's upsert is not atomic: the loser of two inserts of one new _id gets a
    duplicate key although the document exists; `put` replaces it then."""
    from pymongo.errors import DuplicateKeyError

    from shared.store.documents import put
    from shared.store.memory import memory_collection

    real = memory_collection("docs")

    class Racing:
        raced = False

        def replace_one(self, flt, doc, upsert=False):
            if not self.raced:
                self.raced = True
                real.replace_one(flt, {**doc, "by": "other"}, upsert=True)
                raise DuplicateKeyError("E11000")
            return real.replace_one(flt, doc, upsert=upsert)

    put(Racing(), {"_id": "a", "by": "me"})
    assert real.find_one({"_id": "a"})["by"] == "me"
