"""Frozen publications on the in-memory store and a fake projection reader: periods,
idempotent runs, corrections as revisions, the scheduled run, the public routes (no
token) that read only publications while the live API moves."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from shared.errors import ValidationFailed
from services.reporting.app import create_app
from services.reporting.domain.periods import Period
from services.reporting.domain.publication import Snapshot, publish
from services.reporting.domain.tables import Published
from tests.unit.reporting.test_reporting_api import PEOPLE, YEAR, cells, get, person
from tests.unit.reporting.test_reporting_api import reporting

NOVEMBER = Period(YEAR, 11)


class LiveReader:
    """Projections that move: `add` is a registration reaching reporting."""

    def __init__(self, people: list[dict]):
        self.people = list(people)
        self.lag = 0

    def add(self, doc: dict) -> None:
        self.people.append(doc)

    def status(self):
        return {"updated_at": f"{YEAR}-11-30T23:00:00+00:00", "lag": self.lag}

    def snapshot(self):
        return len(self.people), Snapshot(list(self.people))


class Ticking:
    def __init__(self):
        self.at = datetime(YEAR, 12, 1, 0, 5, tzinfo=timezone.utc)

    def __call__(self):
        self.at += timedelta(minutes=1)
        return self.at


@pytest.fixture
def live():
    return LiveReader(PEOPLE)


@pytest.fixture
def svc(issuer, live):  # noqa: F811
    s = reporting(issuer, live)
    s.publications.now = Ticking()
    return s


def test_periods():
    assert Period.parse("2026-11") == Period(2026, 11) and Period(2026, 11).id == "2026-11"
    for bad in ("2026-13", "2026-1", "1999-05", "2026-11\x00", "latest", ""):
        with pytest.raises(ValueError):
            Period.parse(bad)
    assert Period.before(date(2027, 1, 1)) == Period(2026, 12)
    assert Period.before(date(2026, 12, 31)) == Period(2026, 11)
    assert Period(2026, 11).ended(date(2026, 12, 1))
    assert not Period(2026, 12).ended(date(2026, 12, 31))
    assert Period(2026, 11).label == "novembre 2026"


def test_a_frozen_table_keeps_the_published_cells_and_nothing_hidden():
    tables = publish(Snapshot(PEOPLE), YEAR, today=date(YEAR, 12, 1))
    for tid, p in tables.items():
        doc = p.to_doc()
        back = Published.from_doc(doc)
        shape = (len(p.table.all_rows), len(p.table.all_columns))
        assert [[back.cell(i, j) for j in range(shape[1])] for i in range(shape[0])] == \
            [[p.cell(i, j) for j in range(shape[1])] for i in range(shape[0])], tid
        assert back.hidden == p.hidden
        for i, j in p.hidden:     # a hidden cell's value is not even stored
            assert doc["cells"][i][j] is None
        assert "people" not in doc
    communes = tables["personnes-par-commune"]
    assert communes.hidden, "the fixture has small cells"


def test_publishing_a_period_twice_changes_nothing(svc, live):
    first, written = svc.publications.publish(NOVEMBER)
    assert written and first["id"] == "2026-11-r1" and first["revision"] == 1
    live.add(person(99, "cripel", "61031"))
    again, written = svc.publications.publish(NOVEMBER)
    assert not written and again["id"] == first["id"]
    assert again["published_at"] == first["published_at"]
    assert [p["id"] for p in svc.publications.listing()] == ["2026-11-r1"]


def test_a_correction_is_a_new_revision_with_its_date_only_if_a_table_changed(svc, live):
    first, _ = svc.publications.publish(NOVEMBER)
    same, written = svc.publications.publish(NOVEMBER, correct=True)
    assert not written and same["id"] == first["id"]
    live.add(person(99, "cripel", "61031"))
    corrected, written = svc.publications.publish(NOVEMBER, correct=True)
    assert written and corrected["id"] == "2026-11-r2" and corrected["revision"] == 2
    assert corrected["published_at"] > first["published_at"]
    listing = svc.publications.listing()
    assert [(p["id"], p["current"]) for p in listing] == [("2026-11-r2", True),
                                                          ("2026-11-r1", False)]
    huy = ("61031", "cripel")
    old = svc.publications.get("2026-11-r1").tables["personnes-par-commune"]
    new = svc.publications.get("latest").tables["personnes-par-commune"]
    assert _cells(old)[huy] == 6 and _cells(new)[huy] == 7


def test_a_period_not_ended_is_refused_in_french(svc):
    with pytest.raises(ValidationFailed) as err:
        svc.publications.publish(Period(YEAR, 12))
    assert "n'est pas terminée" in err.value.message


def test_the_scheduled_run_waits_for_the_projector_then_publishes_once(svc, live):
    for lag in (3, None):                                # behind, or not measured yet
        live.lag = lag
        assert svc.publications.scheduled() is None
    assert svc.publications.listing() == []
    live.lag = 0
    done, written = svc.publications.scheduled()
    assert written and done["period"] == "2026-11"
    live.add(person(99, "cripel", "61031"))
    assert svc.publications.scheduled() is None          # already published
    svc.publications.today = lambda: date(YEAR + 1, 1, 1)
    done, written = svc.publications.scheduled()
    assert written and done["id"] == "2026-12-r1"
    assert [p["period"] for p in svc.publications.listing()] == ["2026-12", "2026-11"]


def _cells(p: Published) -> dict[tuple[str, str], float | None]:
    t = p.table
    return {(rk, ck): p.cell(i, j)["value"] for i, (rk, _) in enumerate(t.all_rows)
            for j, (ck, _) in enumerate(t.all_columns)}


def public_tables(client) -> dict[str, dict]:
    index = client.get("/api/v1/publications/latest")
    assert index.status_code == 200, index.text
    return {t["id"]: client.get(t["href"]).get_json() for t in index.get_json()["tables"]}


def test_public_routes_serve_the_publication_without_a_token(svc, live, issuer):  # noqa: F811
    svc.publications.publish(NOVEMBER)
    client = create_app(svc).test_client()
    listing = client.get("/api/v1/publications").get_json()
    assert listing["total"] == 1 and listing["items"][0]["period"] == "2026-11"
    before = public_tables(client)
    assert len(before) >= 10
    huy = cells(before["personnes-par-commune"])[("61031", "cripel")]
    assert huy == {"value": 6, "flag": None}
    body = before["personnes-par-sexe"]
    assert body["publication"] == "2026-11-r1" and body["period_label"] == "novembre 2026"
    own = client.get("/api/v1/publications/2026-11-r1/personnes-par-sexe?centre=cai")
    assert own.status_code == 200
    assert cells(own.get_json()) == {k: v for k, v in cells(body).items() if k[1] == "cai"}
    r = client.get("/api/v1/publications/latest/personnes-par-commune.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"

    live_before = cells(get(client, issuer, "/api/v1/statistics/personnes-par-commune")
                        .get_json())
    live.add(person(99, "cripel", "61031", sex="M", nationality="AF"))
    assert public_tables(client) == before                     # no published cell moved
    live_after = cells(get(client, issuer, "/api/v1/statistics/personnes-par-commune")
                       .get_json())
    assert live_after[("61031", "cripel")]["value"] == \
        live_before[("61031", "cripel")]["value"] + 1          # the live figures did


def test_public_errors_are_french_404s(svc):
    client = create_app(svc).test_client()
    r = client.get("/api/v1/publications/latest")
    assert r.status_code == 404 and "aucune publication" in r.get_json()["detail"]
    svc.publications.publish(NOVEMBER)
    for path in ("/api/v1/publications/2026-10-r1", "/api/v1/publications/..%2Fetc",
                 "/api/v1/publications/latest/noms", "/api/v1/publications/2026-11-r1\u202e"):
        r = client.get(path)
        assert r.status_code == 404, path
        assert "inconnu" in r.get_json()["detail"], path
    r = client.get("/api/v1/publications/2026-10-r1", headers={"Accept-Language": "en"})
    assert r.status_code == 404 and "unknown publication" in r.get_json()["detail"]
    r = client.get("/api/v1/publications/latest/transferts?centre=xx")
    assert r.status_code == 422
    assert client.get("/api/v1/publications?page=1000").status_code == 422


def test_dashboard_shows_the_publication_and_its_date(svc, live):
    client = create_app(svc).test_client()
    empty = client.get("/tableau-de-bord").get_data(as_text=True)
    assert "Aucune publication pour l'instant" in empty
    svc.publications.publish(NOVEMBER)
    live.add(person(99, "cripel", "61031"))
    svc.publications.publish(NOVEMBER, correct=True)
    html = client.get("/tableau-de-bord").get_data(as_text=True)
    assert "Publication du 01/12/2026 à 01:07, période novembre 2026 (révision 2)" in html
    assert "Huy (61031)" in html and "/api/v1/publications/2026-11-r2/" in html
    old = client.get("/tableau-de-bord?publication=2026-11-r1").get_data(as_text=True)
    assert "(révision 1)" in old
    assert "(révision 2)" in client.get("/tableau-de-bord?publication=zz").get_data(as_text=True)


def test_the_worker_component_outlives_an_outage_and_stops_on_request():
    import threading

    from services.reporting.consumers import publisher

    stop = threading.Event()

    class Flaky:
        calls = 0

        def scheduled(self):
            self.calls += 1
            if self.calls == 1:
                raise ConnectionError("store down")
            if self.calls == 3:
                stop.set()
            return {"id": "2026-11-r1", "period": "2026-11"}, self.calls == 2

    flaky = Flaky()
    publisher.watch(flaky, stop, every=0)
    assert flaky.calls == 3
