"""The read model's counters: one document per node of the list trees, one per tree of
the work queues (read_model.GROUPS, all its counts as one string, written by
compare-and-swap). They must stay what `recount()` computes from the documents whatever
moves a pathway between keys, and with two writers racing."""
from __future__ import annotations

from datetime import timedelta

from shared.messages import DomainEvent
from shared.store.memory import memory_database

from services.pathway.adapters.read_model import (GROUPS_OF, ReadModel, parts_of, tree_counts_of,
                                                  tree_doc)
from services.pathway.domain import event_names as n
from services.pathway.service_layer.queues import queue_page
from services.pathway.service_layer.views import QUEUES, summary

from .builders import d, extended, opened, population, replay, resumed, suspended

TODAY = d("2026-06-10")


def counters(rm: ReadModel) -> dict[str, int]:
    """Every non-zero count, whichever document or field holds it."""
    out: dict[str, int] = {}
    for c in rm.counts.find():
        out.update(tree_counts_of(c) if "n" not in c else {c["_id"]: c["n"]})
    return {k: v for k, v in out.items() if v}


def assert_as_recounted(rm: ReadModel) -> None:
    kept = counters(rm)
    rm.recount()
    assert kept == counters(rm)


def totals(rm, states, today=TODAY):
    got = {name: queue_page(rm, name, today, 1, 5)["total"] for name in QUEUES}
    want = {name: sum(1 for _, s in states if QUEUES[name](s, today)) for name in QUEUES}
    assert got == want
    return got


def day_count(rm: ReadModel, tree: str, day: str) -> int:
    return rm.count(f"{tree}:{'|'.join(_day(day))}")


def _day(day: str):
    from services.pathway.adapters.read_model import day_parts
    return day_parts(d(day))


def test_a_deadline_that_moves_moves_its_count():
    rm = ReadModel(memory_database())
    person = "p-1"
    state = replay(opened("2025-01-20", person=person))          # 3 years: 2028-01-20
    rm.project_pathway(person, state, 1)
    assert day_count(rm, "dq", "2028-01-20") == 1
    state = replay(extended(3, on="2026-01-01"), state=state)       # + 3 months
    rm.project_pathway(person, state, 2)
    assert (day_count(rm, "dq", "2028-01-20"), day_count(rm, "dq", "2028-04-20")) == (0, 1)
    assert rm.count("dq:2028") == 1 and rm.count("dq:2028|04") == 1
    assert rm.children("dq:2028") == [("dq:2028|04", 1)]
    assert_as_recounted(rm)
    # an open-ended suspension: the deadline floats from its start, so the pathway is
    # filed in `fb` too; in `dq` it stays at its deadline until then
    state = replay(suspended("s-1", "2026-05-01"), state=state)
    rm.project_pathway(person, state, 3)
    assert (rm.count("dq"), rm.count("dq:2028"), day_count(rm, "dq", "2028-04-20")) == (1, 1, 1)
    assert rm.count("fb") == 1 and rm.count("fs") == 1
    assert_as_recounted(rm)
    # resumed after 40 days: dated again, 40 days later
    state = replay(resumed("s-1", "2026-06-10"), state=state)
    rm.project_pathway(person, state, 4)
    assert (rm.count("fb"), rm.count("fs"), day_count(rm, "dq", "2028-05-30")) == (0, 0, 1)
    assert_as_recounted(rm)
    totals(rm, [(person, state)])


def test_a_pathway_transferred_away_leaves_every_work_queue():
    rm = ReadModel(memory_database())
    person = "p-2"
    state = replay(opened("2024-12-20", person=person))          # 18 months: 2026-06-20
    rm.project_pathway(person, state, 1)
    assert totals(rm, [(person, state)])["deadline-30"] == 1
    state = replay(DomainEvent(n.TRANSFER_PROPOSED, {
        "transfer_id": "t-1", "from_centre": "cripel", "to_centre": "cai",
        "trigger": "move", "proposed_on": "2026-06-01"}),
        DomainEvent(n.TRANSFER_COMPLETED, {"transfer_id": "t-1", "to_centre": "cai",
                                           "completed_on": "2026-06-05"}), state=state)
    assert state.status == "transferred"
    rm.project_pathway(person, state, 3)
    assert rm.count("dq") == 0 and day_count(rm, "dq", "2026-06-20") == 0
    assert rm.count("ls/transferred/*") == 1 and rm.count("ls/open/*") == 0
    assert set(totals(rm, [(person, state)]).values()) == {0}
    assert_as_recounted(rm)


def test_counts_after_many_rewrites_equal_a_recount_and_the_scan():
    rm = ReadModel(memory_database())
    first = population(120, seed=3)
    for person, state in first:
        rm.project_pathway(person, state, 1)
    # the same people, other lives: every key moves
    second = [(p, s) for (p, _), (_, s) in zip(first, population(120, seed=4))]
    for person, state in second[::2]:
        rm.project_pathway(person, state, 2)
    now = dict(first) | dict(second[::2])
    assert_as_recounted(rm)
    for day in (TODAY, TODAY + timedelta(days=200)):
        totals(rm, list(now.items()), day)


def test_recount_replaces_counters_of_the_former_layout():
    rm = ReadModel(memory_database())
    rm.project_pathway("p-3", replay(opened("2024-12-20", person="p-3")), 1)
    rm.counts.insert_one({"_id": "dq:2026|06|20", "n": 1, "parent": "dq:2026|06"})  # old
    rm.recount()
    assert rm.counts.find_one({"_id": "dq:2026|06|20"}) is None
    assert day_count(rm, "dq", "2026-06-20") == 1


def test_each_work_queue_tree_is_one_document_and_a_lost_race_is_reapplied():
    rm = ReadModel(memory_database())
    rm.project_pathway("p-4", replay(opened("2024-12-20", person="p-4")), 1)
    docs = {c["_id"]: c for c in rm.counts.find()}
    assert {t for t in GROUPS_OF if "#" + t in docs} == {"dq"} and docs["ls/*/*"]["n"] == 1
    assert tree_counts_of(docs["#dq"])["dq:2026|06|3|20"] == 1
    real, raced = rm.counts, []

    class Racing:
        """Another writer moves the tree document on between our read and our swap."""
        def replace_one(self, flt, doc, *a, **k):
            if not raced:
                raced.append(1)
                real.replace_one({"_id": flt["_id"]}, {**tree_doc("dq", {"dq": 7}),
                                                       "cas": flt["cas"] + 1})
            return real.replace_one(flt, doc, *a, **k)

        def __getattr__(self, name):
            return getattr(real, name)
    rm.counts = Racing()
    rm._count(["dq", "dq:2030"], 1)
    assert raced and tree_counts_of(real.find_one({"_id": "#dq"})) == {"dq": 8, "dq:2030": 1}
    assert parts_of("dq:2026|06|3|20") == ("2026", "06", "3", "20")


def test_summary_of_a_listed_person_is_unchanged():
    rm = ReadModel(memory_database())
    person, state = population(1, seed=11)[0]
    rm.project_pathway(person, state, 1)
    got = queue_page(rm, "past-deadline", TODAY, 1, 5)["items"]
    assert got == ([summary(person, state, TODAY)] if QUEUES["past-deadline"](state, TODAY)
                   else [])
