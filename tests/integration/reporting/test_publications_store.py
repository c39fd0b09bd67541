"""Publications in the real store (FerretDB/PostgreSQL, or MongoDB): a publication
written and read back serves the same cells, concurrent runs of one period write one
publication, and a correction is the next revision."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

from services.reporting.domain.periods import Period
from services.reporting.domain.publication import publish
from services.reporting.service_layer.figures import Figures
from services.reporting.service_layer.publications import Publications
from tests.unit.reporting.test_reporting_api import PEOPLE, YEAR, person
from tests.unit.reporting.test_reporting_publications import LiveReader

NOVEMBER = Period(YEAR, 11)


def fixed_day() -> date:           # the services' "today", fixed
    return date(YEAR, 12, 1)


def publications(db, reader) -> Publications:
    return Publications(db, Figures(reader, 5, 10, fixed_day), fixed_day)


def test_a_stored_publication_serves_the_cells_it_froze(fresh_db):
    reader = LiveReader(PEOPLE)
    done, written = publications(fresh_db, reader).publish(NOVEMBER)
    assert written
    stored = publications(fresh_db, reader).get("latest")      # another process reads it
    expected = publish(reader.snapshot()[1], YEAR, today=fixed_day())
    assert list(stored.tables) == list(expected)
    for tid, p in expected.items():
        back = stored.tables[tid]
        rows, cols = len(p.table.all_rows), len(p.table.all_columns)
        assert back.hidden == p.hidden, tid
        assert [[back.cell(i, j) for j in range(cols)] for i in range(rows)] == \
            [[p.cell(i, j) for j in range(cols)] for i in range(rows)], tid


def test_concurrent_runs_of_one_period_write_one_publication(fresh_db):
    reader = LiveReader(PEOPLE)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: publications(fresh_db, reader).publish(NOVEMBER),
                                range(4)))
    assert sum(written for _, written in results) == 1
    assert {done["id"] for done, _ in results} == {"2026-11-r1"}
    assert fresh_db["publications"].count_documents({}) == 1

    reader.add(person(99, "cripel", "61031"))
    corrected, written = publications(fresh_db, reader).publish(NOVEMBER, correct=True)
    assert written and corrected["id"] == "2026-11-r2"
    listing = publications(fresh_db, reader).listing()
    assert [(p["id"], p["current"]) for p in listing] == [("2026-11-r2", True),
                                                          ("2026-11-r1", False)]


def test_the_publish_command(fresh_db, infra):
    import json
    import subprocess
    import sys

    from shared import clock

    def cri(period: str, *flags: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "services.cli", "reporting", "publish",
                               "--period", period, "--db", fresh_db.name,
                               "--mongodb-uri", infra["mongodb_uri"], *flags],
                              capture_output=True, text=True, timeout=120)

    last = Period.before(clock.today())
    first = cri(last.id)
    assert first.returncode == 0, first.stderr
    out = json.loads(first.stdout)
    assert out["written"] is True and out["id"] == f"{last.id}-r1" and "digest" not in out
    again = json.loads(cri(last.id).stdout)
    assert again == out | {"written": False}
    assert json.loads(cri(last.id, "--correct").stdout)["written"] is False  # nothing changed
    this_month = Period(clock.today().year, clock.today().month).id
    refused = cri(this_month)
    assert refused.returncode == 1 and "n'est pas terminée" in refused.stderr
    assert cri("2026-13").returncode == 2
    assert fresh_db["publications"].count_documents({}) == 1
