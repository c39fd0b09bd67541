"""Frozen publications on the real stack: the public reads every table of the latest
publication (no token), a registration made after it moves no published cell while
the live figures of an analyst do move, a second run of the same period changes
nothing, and the public page shows the publication's date."""
from __future__ import annotations

from datetime import datetime

import requests

from shared import clock
from tests.api_client import eventually
from tests.e2e.reporting.conftest import publish
from tests.e2e.reporting.people import registration
from tests.e2e.reporting.test_reporting_e2e import cells

HANNUT = ("64034", "4280")     # a commune no other test registers in
QUEUE_WAIT = 400               # a full run leaves the projector a backlog (see transfers)


def every_public_table(base: str) -> dict[str, dict]:
    """Every table of the latest publication, as anyone reads it (no token)."""
    index = requests.get(base + "/api/v1/publications/latest", timeout=30)
    assert index.status_code == 200, index.text
    tables = {t["id"]: requests.get(base + t["href"], timeout=30).json()
              for t in index.json()["tables"]}
    assert len(tables) >= 10
    return {"index": index.json(), **tables}


def every_live_cell(analyst) -> dict[tuple[str, str, str], dict]:
    out = {}
    for table in analyst.get("/api/v1/statistics").json()["tables"]:
        body = analyst.get(table["href"]).json()
        out.update({(table["id"], *key): cell for key, cell in cells(body).items()})
    return out


def moved(before: dict, after: dict) -> set:
    return {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}


def test_a_registration_moves_no_published_cell_but_moves_the_live_figures(
        published, analyst, stack):
    base = stack.url("region", "reporting")
    before = every_public_table(base)
    assert before["index"]["publication"] == published["publication"]
    live_before = every_live_cell(analyst)
    assert ("personnes-par-commune", HANNUT[0], "cripel") not in live_before

    r = stack.client("cripel", "intake", "accueil").post(
        "/api/v1/persons", json=registration(*HANNUT, 0))
    assert r.status_code == 201, r.text

    def counted_live():
        c = cells(analyst.get("/api/v1/statistics/personnes-par-commune").json())
        assert (HANNUT[0], "cripel") in c      # a new row (its one person: suppressed)
        return c
    eventually(counted_live, timeout=QUEUE_WAIT, interval=1)
    live_moved = moved(live_before, every_live_cell(analyst))
    assert ("personnes-par-commune", HANNUT[0], "cripel") in live_moved
    after = every_public_table(base)
    public_moved = {(tid, *key) for tid in before if tid != "index"
                    for key in moved(cells(before[tid]), cells(after[tid]))}
    print(f"\n[publications] one registration: {len(live_moved)} live cells moved, "
          f"{len(public_moved)} published cells moved")
    assert public_moved == set() and after == before


def test_publishing_the_same_period_twice_changes_nothing(published, stack, infra):
    base = stack.url("region", "reporting")
    listing = requests.get(base + "/api/v1/publications", timeout=30).json()
    again = publish(infra)
    assert again["written"] is False and again["id"] == published["publication"]
    assert again["published_at"] == published["published_at"]
    assert requests.get(base + "/api/v1/publications", timeout=30).json() == listing
    current = [p for p in listing["items"] if p["current"]]
    assert [p["id"] for p in current if p["period"] == published["period"]] == \
        [published["publication"]]


def test_the_public_page_shows_the_publication_and_its_date(published, stack):
    r = requests.get(stack.url("region", "reporting") + "/tableau-de-bord", timeout=30)
    assert r.status_code == 200
    at = datetime.fromisoformat(published["published_at"]).astimezone(clock.BRUSSELS)
    assert (f"Publication du {at:%d/%m/%Y à %H:%M}, période {published['period_label']} "
            f"(révision {published['revision']})") in r.text
    assert "Huy (61031)" in r.text and "Hannut" not in r.text


def test_the_demo_republishes_once_reporting_counts_its_people(published, stack, infra):
    """`make run` seeds people after the worker's scheduled run: the demo then corrects
    the publication so that the public page shows them (here: the Hannut registration
    of the first test, not yet published)."""
    from services import demo
    base = stack.url("region", "reporting")
    urls = {"reporting": base, "mongodb_uri": infra["mongodb_uri"]}
    analyst = stack.client("region", "reporting", "analyste")
    live = analyst.get("/api/v1/statistics/personnes-par-statut").json()
    registered = live["rows"][-1]["cells"][-1]["value"]
    new_id = demo.publish_once_counted(urls, stack.stack.issuer(), registered)
    latest = requests.get(base + "/api/v1/publications/latest", timeout=30).json()
    assert new_id == latest["publication"] != published["publication"]
    assert latest["period"] == published["period"]
    assert latest["revision"] == published["revision"] + 1
    communes = requests.get(base + "/api/v1/publications/latest/personnes-par-commune",
                            timeout=30).json()
    assert (HANNUT[0], "cripel") in cells(communes)
