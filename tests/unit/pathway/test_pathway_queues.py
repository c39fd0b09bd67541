"""Lists and work queues from the read model's ordered buckets (service_layer/queues.py),
on the in-memory store: the same items, order and totals as filtering every pathway in
Python (the reference below, which is what the API used to do), for several days."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from shared.auth import DevIssuer
from shared.config import Config
from shared.store.memory import memory_database

from services.pathway.adapters.read_model import ReadModel, cover, pathway_doc
from services.pathway.app import create_app
from services.pathway.bootstrap import bootstrap
from services.pathway.service_layer import queues
from services.pathway.service_layer.queues import list_page, queue_page
from services.pathway.service_layer.views import QUEUES, summary

from .builders import d, followed, opened, population, reception, replay, signed, suspended
from .test_pathway_counter_maps import counters

DAYS = [d("2024-06-01"), d("2025-02-28"), d("2025-12-31"), d("2026-06-09"), d("2026-06-10"),
        d("2027-03-01")]


def reference(states, today, keep, order, page_no, page_size, status=None, elig=None):
    items = [summary(p, s, today) for p, s in states
             if status in (None, s.status) and elig in (None, s.eligibility_status)
             and keep(s, today)]
    items.sort(key=order)
    start = (page_no - 1) * page_size
    return {"items": items[start:start + page_size], "total": len(items),
            "page": page_no, "page_size": page_size}


def by_deadline(i):
    return (i["deadline"] or "9999", i["person_id"])


def by_person(i):
    return i["person_id"]


def everyone(*_):
    return True


@pytest.fixture(scope="module")
def world():
    rm = ReadModel(memory_database())
    rm.ensure_indexes()
    states = population(400, seed=7)
    for person, state in states:
        rm.project_pathway(person, state, 3)
    return rm, states


@pytest.fixture(autouse=True, params=[queues.DOC, 3.0], ids=["doc-cost", "dear-docs"])
def small_buckets(monkeypatch, request):
    monkeypatch.setattr(queues, "BUCKET", 5)   # split nodes into children above this size
    monkeypatch.setattr(queues, "DOC", request.param)   # dear documents: split more


@pytest.mark.parametrize("today", DAYS)
@pytest.mark.parametrize("name", sorted(QUEUES))
def test_every_work_queue_page_is_the_filtered_sorted_scan(world, today, name):
    rm, states = world
    for page_no in (1, 2, 5):
        got = queue_page(rm, name, today, page_no, 9)
        assert got == reference(states, today, QUEUES[name], by_deadline, page_no, 9), \
            (name, today, page_no)


@pytest.mark.parametrize("today", DAYS[2:4])
@pytest.mark.parametrize("status,elig,queue", [
    (None, None, None), ("open", None, None), ("transferred", None, None),
    (None, "voluntary", None), ("open", "obligated", None), (None, "out_of_scope", None),
    (None, None, "deadline-90"), ("open", "obligated", "interviews-overdue"),
    (None, "voluntary", "interviews-overdue"), (None, None, "non-compliance")])
def test_list_pages_with_every_filter(world, today, status, elig, queue):
    rm, states = world
    keep = QUEUES[queue] if queue else everyone
    for page_no in (1, 3, 8, 40):
        got = list_page(rm, today, page_no, 11, status=status, eligibility=elig, queue=queue)
        assert got == reference(states, today, keep, by_person, page_no, 11, status, elig)


def test_counters_follow_rewrites_and_a_duplicate_write_counts_once():
    rm = ReadModel(memory_database())
    person, today = "p-1", d("2026-06-10")
    first = replay(opened("2024-06-20", person=person))        # deadline 2025-12-20
    rm.project_pathway(person, first, 1)
    rm.project_pathway(person, first, 1)                       # the worker's repair pass
    assert rm.count("dq") == 1 and rm.count("ls/*/*") == 1
    later = replay(suspended("s-1", "2025-01-01"), state=first)  # open-ended: floating
    rm.project_pathway(person, later, 2)
    rm.project_pathway(person, first, 1)                       # an older version: ignored
    assert (rm.count("dq"), rm.count("fs"), rm.count("fb"), rm.count("ls/*/*")) == (1, 1, 1, 1)
    assert rm.pathways.find_one({"_id": person})["version"] == 2
    before = counters(rm)
    rm.recount()
    assert counters(rm) == before
    assert queue_page(rm, "deadline-30", today, 1, 10)["total"] == 0


def _one(deadline: date, person: str = "p-1"):
    """An obligated person whose 2016-rule deadline (permit + 18 months) is `deadline`."""
    permit = date(deadline.year - 1 - (deadline.month <= 6), (deadline.month + 5) % 12 + 1,
                  deadline.day)
    return replay(opened(permit.isoformat(), person=person,
                         rule_version="2016" if permit.year < 2025 else "2025"))


def test_a_page_that_ends_inside_a_week_reads_that_week_up_to_there_in_one_query(
        monkeypatch):
    """Two deadlines a day in the third week of June, and on the 15th a third pathway
    whose clock stopped in May (filed there as dated, not in this queue): page 1 (3
    items) reads the `dq-` node of the 15th, then, one short, the 16th."""
    rm = ReadModel(memory_database())
    states = [(f"p-{day}-{k}", _one(date(2026, 6, day), f"p-{day}-{k}"))
              for day in range(15, 22) for k in range(2)]
    states.append(("p-stopped", replay(suspended("s", "2026-05-01"),
                                       state=_one(date(2026, 6, 15), "p-stopped"))))
    for person, state in states:
        rm.project_pathway(person, state, 1)
    read, bucket = [], rm.bucket
    monkeypatch.setattr(rm, "bucket", lambda key: read.append(key) or bucket(key))
    today = d("2026-06-10")
    for page_no in (1, 2, 3, 5):
        got = queue_page(rm, "deadline-30", today, page_no, 3)
        assert got == reference(states, today, QUEUES["deadline-30"], by_deadline, page_no, 3)
        if page_no == 1:
            assert read == ["dq-:2026|06|3|15", "dq:2026|06|3|16"]


def test_an_overdue_interviews_page_ending_inside_a_week_reads_it_up_to_there(monkeypatch):
    """The same in the interview tree: two overdue interviews a day in the third week of
    June 2026 (deadlines, the queue's order), and volunteers (no deadline: ordered by
    person id, last) whose nodes are never read as a week."""
    rm = ReadModel(memory_database())
    states = [(f"p-{day}-{k}", replay(opened(f"2024-12-{day}", person=f"p-{day}-{k}"),
                                      reception(), signed("2025-01-10")))
              for day in range(15, 22) for k in range(2)]
    states += [(f"v-{k}", replay(opened("2024-12-15", status="voluntary", person=f"v-{k}"),
                                 reception(), signed("2025-01-10"))) for k in range(4)]
    for person, state in states:
        rm.project_pathway(person, state, 1)
    read, bucket = [], rm.bucket
    monkeypatch.setattr(rm, "bucket", lambda key: read.append(key) or bucket(key))
    today = d("2026-06-10")
    name = "interviews-overdue"
    for page_no in (1, 2, 5, 6):
        got = queue_page(rm, name, today, page_no, 3)
        assert got == reference(states, today, QUEUES[name], by_deadline, page_no, 3)
        if page_no == 1:
            assert read == ["io-:2026|06|3|16"]


def test_deadline_exactly_thirty_days_away_is_in_and_thirty_one_is_out():
    rm = ReadModel(memory_database())
    today = d("2025-06-10")
    for person, deadline in (("a", "2025-07-10"), ("b", "2025-07-11"), ("c", "2025-06-10"),
                             ("e", "2025-06-09")):
        state = _one(d(deadline), person)
        assert pathway_doc(person, state, 1)["deadline"] == deadline
        rm.project_pathway(person, state, 1)
    rm.project_pathway("v", replay(opened(None, "voluntary", person="v")), 1)  # none
    got = queue_page(rm, "deadline-30", today, 1, 10)
    assert [i["person_id"] for i in got["items"]] == ["c", "a"] and got["total"] == 2
    late = queue_page(rm, "non-compliance", today, 1, 10)
    assert [i["person_id"] for i in late["items"]] == ["e"] and late["total"] == 1
    beyond = queue_page(rm, "deadline-30", today, 3, 10)
    assert beyond == {"items": [], "total": 2, "page": 3, "page_size": 10}
    everybody = list_page(rm, today, 1, 10)
    assert [i["person_id"] for i in everybody["items"]] == ["a", "b", "c", "e", "v"]
    assert list_page(rm, today, 2, 10)["items"] == [] and list_page(rm, today, 2, 10)[
        "total"] == 5


def test_a_page_after_a_write_shows_it_though_the_counts_were_read_before():
    """The counts of a group are parsed once and kept while their documents are the same
    (ReadModel.group): a pathway written after a page is on the next page."""
    rm = ReadModel(memory_database())
    today = d("2025-06-10")
    rm.project_pathway("a", _one(d("2025-07-01"), "a"), 1)
    assert queue_page(rm, "deadline-30", today, 1, 10)["total"] == 1
    rm.project_pathway("b", _one(d("2025-06-20"), "b"), 1)
    got = queue_page(rm, "deadline-30", today, 1, 10)
    assert [i["person_id"] for i in got["items"]] == ["b", "a"] and got["total"] == 2
    rm.erase("b")
    assert queue_page(rm, "deadline-30", today, 1, 10)["total"] == 1


def test_no_deadline_sorts_last_in_the_overdue_queue_and_empty_store_is_empty():
    rm = ReadModel(memory_database())
    today = d("2026-06-10")
    assert queue_page(rm, "interviews-overdue", today, 1, 5)["items"] == []
    assert list_page(rm, today, 1, 5) == {"items": [], "total": 0, "page": 1, "page_size": 5}
    rm.project_pathway("z-obliged", followed("2024-01-10", signed_on="2024-03-01"), 1)
    rm.project_pathway("a-volunteer", followed(status="voluntary", signed_on="2024-03-01"), 1)
    got = queue_page(rm, "interviews-overdue", today, 1, 5)
    assert [(i["person_id"], i["deadline"]) for i in got["items"]] == [
        ("z-obliged", "2025-07-10"), ("a-volunteer", None)]
    assert got["total"] == 2


def test_a_suspension_hides_an_overdue_interview_only_while_it_lasts():
    rm = ReadModel(memory_database())
    state = replay(suspended("s-1", "2026-05-01", "2026-07-20"),
                   state=followed("2024-01-10", signed_on="2024-03-01"))
    rm.project_pathway("p-1", state, 1)
    for today, expected in (("2026-04-30", 1), ("2026-05-01", 0), ("2026-07-19", 0),
                            ("2026-07-20", 1)):
        got = queue_page(rm, "interviews-overdue", d(today), 1, 5)
        assert (len(got["items"]), got["total"]) == (expected, expected), today


def test_cover_lists_each_day_once():
    start, end = d("2025-11-29"), d("2027-03-02")
    keys = cover(start, end)
    assert keys[:3] == ["2025-11-29", "2025-11-30", "2025-12"] and "2026" in keys
    day = start - timedelta(days=2)
    while day < end + timedelta(days=2):
        hits = [k for k in (day.isoformat()[:4], day.isoformat()[:7], day.isoformat())
                if k in keys]
        assert len(hits) == (1 if start <= day < end else 0), day
        day += timedelta(days=1)


@pytest.fixture
def client(tmp_path):
    issuer = DevIssuer(tmp_path / "issuer")
    issuer.ensure_keys()
    config = Config(service="pathway", centre="cripel", kafka_bootstrap_servers="unused:1",
                    mongodb_uri="mongodb://unused:1", mongodb_db="unused",
                    jwt_public_key=issuer.public_key_file.read_text())
    svc = bootstrap(config, db=memory_database(), today=lambda: d("2026-06-10"))
    headers = {"Authorization": f"Bearer {issuer.token(['accueil'], 'cripel')}",
               "Accept-Language": "fr"}
    return create_app(svc, with_probes=False).test_client(), headers


@pytest.mark.parametrize("path", ["/api/v1/pathways", "/api/v1/work-queues/deadlines",
                                  "/api/v1/work-queues/interviews-overdue"])
def test_an_absurd_page_is_refused_in_french_not_a_500(client, path):
    api, headers = client
    r = api.get(path, query_string={"page": 10**30}, headers=headers)
    assert r.status_code == 422, r.json
    assert "inférieur ou égal à" in str(r.json)
    r = api.get(path, query_string={"page": queues.MAX_PAGE}, headers=headers)
    assert r.status_code == 200 and r.json["items"] == []


def test_stopped_clocks_day_by_day():
    """Open-ended suspensions (the deadline moves with today): started, not yet started,
    begun after the deadline, overlapping a closed one, followed by a planned one."""
    base = lambda p: followed("2024-06-20", signed_on="2024-08-01")  # noqa: E731
    tricky = {
        "a-started": replay(suspended("s", "2025-06-01"), state=base("a")),
        "b-later": replay(suspended("s", "2026-03-01"), state=base("b")),
        "c-after-deadline": replay(suspended("s", "2026-02-01"), state=base("c")),
        "d-overlap": replay(suspended("s0", "2025-05-01", "2025-08-01"),
                            suspended("s", "2025-07-01"), state=base("d")),
        "e-planned": replay(suspended("s", "2025-10-01"),
                            suspended("s2", "2026-09-01", "2026-10-01"), state=base("e")),
        "f-plain": base("f"),
    }
    rm = ReadModel(memory_database())
    for person, state in tricky.items():
        rm.project_pathway(person, state, 1)
    kinds = {p: sorted(rm.pathways.find_one({"_id": p}).get("frozen", {})) for p in tricky}
    # each with the deadline it has until its suspension starts (`before`)
    assert kinds["a-started"] == ["before", "from", "rest"] and kinds["c-after-deadline"] == [
        "before", "deadline", "from"] and kinds["e-planned"] == ["before", "from", "irregular"]
    states = list(tricky.items())
    day = d("2025-03-01")
    while day < d("2027-06-01"):
        for name in QUEUES:
            assert queue_page(rm, name, day, 1, 4) == reference(
                states, day, QUEUES[name], by_deadline, 1, 4), (name, day)
        day += timedelta(days=9)


def test_a_document_from_an_older_release_gets_its_keys_at_the_next_write():
    rm = ReadModel(memory_database())
    state = replay(opened("2024-06-20", person="p-1"))
    old = {k: v for k, v in pathway_doc("p-1", state, 1).items() if k != "b"}
    rm.pathways.insert_one(old)
    rm.project_pathway("p-1", state, 1)            # same version, keys missing: rewritten
    assert rm.pathways.find_one({"_id": "p-1"})["b"] and rm.count("dq") == 1
    rm.project_pathway("p-1", state, 1)
    assert rm.count("dq") == 1


def test_a_node_whose_children_all_lie_outside_the_window_is_not_read():
    """dq:2026 with every deadline in spring: a window in December reads no bucket (it
    read the whole year, 1,206 documents at 10,000 pathways, to find none)."""
    from services.pathway.service_layer.queues import walk

    class Counts:
        def __init__(self):
            self.read = []

        def count(self, key):
            return {"dq": 400, "dq:2026": 400}.get(key, 0)

        def children(self, key):
            return {"dq": [("dq:2026", 400)],
                    "dq:2026": [("dq:2026|03", 200), ("dq:2026|04", 200)]}.get(key, [])

        def bucket(self, key):
            self.read.append(key)
            return []

    rm = Counts()
    assert list(walk(rm, "dq", lo=("2026", "12"), hi=("2026", "12"), want=1)) == []
    assert rm.read == []
