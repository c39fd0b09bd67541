"""The live statistics API, the CSV export and the dashboard, on a fake projection reader
and the in-memory store (no Kafka): access rules, suppression as served, French output.
The public side (publications) is in test_reporting_publications.py."""
from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from shared.config import Config
from shared.store.memory import memory_database
from services.reporting.app import create_app
from services.reporting.bootstrap import ReportingSettings, bootstrap
from services.reporting.domain.periods import Period
from services.reporting.domain.publication import Snapshot

YEAR = 2026
TODAY = date(YEAR, 12, 1)


def person(n: int, centre: str, commune: str, sex: str = "F", nationality: str = "SY") -> dict:
    return {"_id": f"{centre}:person-{n}", "centre": centre, "pseudonym": f"{n:032x}",
            "status": "obligated", "sex": sex, "age_band": "26-35",
            "nationality": nationality, "commune_nis": commune,
            "registered_on": f"{YEAR}-02-01", "transferred_to": None}


# cripel: 6 in Huy, 2 in Waremme, 2 in Seraing; cai: 3 in Dinant, 2 in Philippeville.
PEOPLE = ([person(i, "cripel", "61031", "FM"[i % 2]) for i in range(6)] +
          [person(10 + i, "cripel", "64074") for i in range(2)] +
          [person(20 + i, "cripel", "62096") for i in range(2)] +
          [person(30 + i, "cai", "91034") for i in range(3)] +
          [person(40 + i, "cai", "93056") for i in range(2)])


class FakeReader:
    def __init__(self, snapshot: Snapshot):
        self.snap = snapshot

    def status(self):
        return {"updated_at": "2025-06-01T10:00:00+00:00", "last_event_time": None,
                "lag": 0, "lag_measured_at": "2025-06-01T10:00:05+00:00"}

    def snapshot(self):
        return "v1", self.snap


@pytest.fixture(scope="module")
def client(issuer):
    svc = reporting(issuer, FakeReader(Snapshot(PEOPLE)))
    svc.publications.publish(Period(YEAR, 11))
    return create_app(svc).test_client()


def reporting(issuer, reader):
    config = Config(service="reporting", centre="region", kafka_bootstrap_servers="unused:1",
                    mongodb_uri="mongodb://unused:1", mongodb_db="unused",
                    jwt_public_key=issuer.public_key_file.read_text())
    return bootstrap(config, db=memory_database(), today=lambda: TODAY,
                     settings=ReportingSettings(5, 10), reader=reader)


def get(client, issuer, path, role="analyste", centre="region"):
    token = issuer.token([role], centre)
    return client.get(path, headers={"Authorization": f"Bearer {token}"})


def cells(body: dict) -> dict[tuple[str, str], dict]:
    keys = [c["key"] for c in body["columns"]]
    return {(row["key"], keys[j]): cell for row in body["rows"]
            for j, cell in enumerate(row["cells"])}


def test_commune_table_hides_small_cells_and_publishes_the_rest(client, issuer):
    r = get(client, issuer, "/api/v1/statistics/personnes-par-commune")
    assert r.status_code == 200, r.text
    c = cells(r.get_json())
    assert c[("61031", "cripel")] == {"value": 6, "flag": None}
    for nis, centre in (("64074", "cripel"), ("62096", "cripel"), ("91034", "cai"),
                        ("93056", "cai")):
        assert c[(nis, centre)] == {"value": None, "flag": "supprimé"}
    assert c[("total", "cripel")]["value"] == 10 and c[("total", "cai")]["value"] == 5


def test_access_rules(client, issuer):
    path = "/api/v1/statistics/personnes-par-statut"
    assert client.get(path).status_code == 401
    assert get(client, issuer, path, role="accueil").status_code == 403
    assert get(client, issuer, path, role="auditeur").status_code == 200
    assert get(client, issuer, path, role="coordination", centre="cripel").status_code == 200
    own = get(client, issuer, path + "?centre=cripel", role="coordination", centre="cripel")
    assert own.status_code == 200 and [c["key"] for c in own.get_json()["columns"]] == ["cripel"]
    other = get(client, issuer, path + "?centre=cai", role="coordination", centre="cripel")
    assert other.status_code == 403
    assert get(client, issuer, path + "?centre=cai").status_code == 200   # region token


def test_a_centre_view_is_a_column_of_the_regional_table(client, issuer):
    region = cells(get(client, issuer, "/api/v1/statistics/personnes-par-sexe").get_json())
    own = cells(get(client, issuer, "/api/v1/statistics/personnes-par-sexe?centre=cai")
                .get_json())
    assert own == {k: v for k, v in region.items() if k[1] == "cai"}


def test_index_lists_every_table_with_status(client, issuer):
    body = get(client, issuer, "/api/v1/statistics").get_json()
    ids = [t["id"] for t in body["tables"]]
    assert {"personnes-par-statut", "personnes-par-nationalite", "transferts",
            "delai-d-achevement", "heures-de-formation"} <= set(ids)
    assert body["k"] == 5 and body["lag"] == 0 and body["year"] == YEAR


def test_unknown_table_and_bad_filters(client, issuer):
    assert get(client, issuer, "/api/v1/statistics/noms").status_code == 404
    assert get(client, issuer, "/api/v1/statistics/transferts?centre=xx").status_code == 422
    assert get(client, issuer, "/api/v1/statistics/transferts?year=1990").status_code == 422


def test_csv_is_for_excel_in_french(client, issuer):
    r = get(client, issuer, "/api/v1/statistics/personnes-par-commune.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    raw = r.data
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Commune" and rows[0][-1] == "Total"
    huy = next(row for row in rows if row[0].startswith("Huy"))
    assert huy[1] == "6"
    dinant = next(row for row in rows if row[0].startswith("Dinant"))
    assert dinant[3] == "supprimé"
    assert "attachment" in r.headers["Content-Disposition"]


def test_dashboard_is_public_french_and_suppressed(client):
    r = client.get("/tableau-de-bord")
    assert r.status_code == 200 and r.mimetype == "text/html"
    html = r.get_data(as_text=True)
    assert '<html lang="fr">' in html and "Tableau de bord" in html
    assert "CRIPEL" in html and "CAI" in html and "période novembre 2026" in html
    assert "✕" in html and "&lt; 5" in html and "Retard du consommateur" not in html
    assert "<script" not in html and "http://" not in html and "https://" not in html
    assert "default-src 'none'" in r.headers["Content-Security-Policy"]


def test_openapi_documents_the_statistics(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/statistics/{table_id}" in doc["paths"]
    assert "/api/v1/statistics/{table_id}.csv" in doc["paths"]
    assert "/api/v1/publications/{publication_id}/{table_id}" in doc["paths"]


def test_the_region_reads_with_reporting_read_roles_only(client, issuer):
    assert get(client, issuer, "/api/v1/statistics").status_code == 200
    for path in ("/api/v1/probes", "/api/v1/statistics"):   # probes: refused before the db
        assert get(client, issuer, path, role="accueil").status_code == 403
        assert get(client, issuer, path, role="partenaire").status_code == 403
