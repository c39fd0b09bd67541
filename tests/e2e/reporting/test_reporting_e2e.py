"""Reporting on the real stack: people registered through intake at cripel and cai reach
the regional projections over Kafka, and come back out as suppressed live statistics,
CSV, and (once published) the public dashboard, without a name anywhere."""
from __future__ import annotations

import requests

from tests.api_client import eventually
from tests.unit.reporting.disclosure import determined_cells, line_rule_holds

COMMUNES = "/api/v1/statistics/personnes-par-commune"
SUPPRESSED = {"value": None, "flag": "supprimé"}


def cells(body: dict) -> dict[tuple[str, str], dict]:
    keys = [c["key"] for c in body["columns"]]
    return {(row["key"], keys[j]): cell for row in body["rows"]
            for j, cell in enumerate(row["cells"])}


def hidden_positions(body: dict) -> tuple[tuple[int, int], set]:
    shape = (len(body["rows"]), len(body["columns"]))
    return shape, {(i, j) for i, row in enumerate(body["rows"])
                   for j, cell in enumerate(row["cells"]) if cell["flag"]}


def margins(body: dict) -> str:
    row_totals = body["columns"][-1]["key"] == "total"
    col_totals = body["rows"][-1]["key"] == "total"
    return {(True, True): "both", (True, False): "rows", (False, True): "columns"}.get(
        (row_totals, col_totals), "none")


def communes_ready(analyst):
    r = analyst.get(COMMUNES)
    assert r.status_code == 200, r.text
    c = cells(r.json())
    assert c.get(("61031", "cripel"), {}).get("value") == 6, c.get(("61031", "cripel"))
    # cai's people reach the region by their own topic: wait for their rows too
    assert all((nis, "cai") in c for nis in ("91034", "93056")), "cai not counted yet"
    return r.json()


def test_counts_reach_the_region_and_small_cells_are_suppressed(registered, analyst):
    body = eventually(lambda: communes_ready(analyst), timeout=90, interval=1)
    c = cells(body)
    assert c[("61031", "cripel")] == {"value": 6, "flag": None}         # Huy: published
    for nis, centre in (("64074", "cripel"), ("62096", "cripel"),       # Waremme, Seraing
                        ("91034", "cai"), ("93056", "cai")):           # Dinant, Philippeville
        assert c[(nis, centre)] == SUPPRESSED, (nis, c[(nis, centre)])
    assert [col["label"] for col in body["columns"]][:3] == \
        ["CRIPEL (Liège)", "CRVI (Verviers)", "CAI (Namur)"]
    # the people per centre: ours at least, wherever published
    status = cells(analyst.get("/api/v1/statistics/personnes-par-statut").json())
    for centre, ours in (("cripel", 10), ("cai", 5)):
        total = status[("total", centre)]
        assert total["flag"] or total["value"] >= ours, total


def test_no_published_table_lets_a_hidden_cell_be_recomputed(registered, analyst):
    eventually(lambda: communes_ready(analyst), timeout=90, interval=1)
    index = analyst.get("/api/v1/statistics").json()
    assert len(index["tables"]) >= 10
    for table in index["tables"]:
        body = analyst.get(table["href"]).json()
        shape, hidden = hidden_positions(body)
        kind = margins(body)
        assert line_rule_holds(shape, kind, hidden), table["id"]
        assert determined_cells(shape, kind, hidden) == set(), table["id"]


def test_nothing_served_contains_a_name(registered, published, analyst, stack):
    eventually(lambda: communes_ready(analyst), timeout=90, interval=1)
    base = stack.url("region", "reporting")
    served = [analyst.get("/api/v1/statistics").text]
    for table in published["tables"]:
        served.append(requests.get(base + table["href"], timeout=30).text)
    for table in analyst.get("/api/v1/statistics").json()["tables"]:
        served.append(analyst.get(table["href"]).text)
        served.append(analyst.get(table["csv"]).content.decode("utf-8-sig"))
    served.append(requests.get(stack.url("region", "reporting") + "/tableau-de-bord",
                               timeout=30).text)
    text = "\n".join(served).casefold()
    for person in registered:
        for needle in (person["last_name"], person["first_names"], person["national_number"],
                       person["birth_date"], person["address"]["street"]):
            assert needle.casefold() not in text, needle


def test_csv_export_is_for_excel_and_keeps_the_suppression(registered, analyst):
    eventually(lambda: communes_ready(analyst), timeout=90, interval=1)
    r = analyst.get(COMMUNES + ".csv")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    assert r.content.startswith(b"\xef\xbb\xbf")
    lines = r.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Commune;CRIPEL (Liège);")
    dinant = next(line for line in lines if line.startswith("Dinant"))
    assert dinant.split(";")[3] == "supprimé"
    huy = next(line for line in lines if line.startswith("Huy"))
    assert huy.split(";")[1] == "6"


def test_dashboard_is_a_public_french_page(published, stack):
    r = requests.get(stack.url("region", "reporting") + "/tableau-de-bord", timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    html = r.text
    assert '<html lang="fr">' in html and "Tableau de bord régional" in html
    for name in ("CRIPEL (Liège)", "CAI (Namur)", "CRVI", "CIMB"):
        assert name in html
    assert "Publication du" in html and "Retard du consommateur" not in html
    assert "✕" in html and "Huy (61031)" in html


def test_access_is_for_analysts_auditors_and_coordinators(stack):
    path = "/api/v1/statistics/personnes-par-statut"
    base = stack.url("region", "reporting")
    assert requests.get(base + path, timeout=30).status_code == 401
    assert stack.client("cripel", "reporting", "accueil").get(path).status_code == 403
    coordination = stack.client("cripel", "reporting", "coordination")
    assert coordination.get(path).status_code == 200
    assert coordination.get(path + "?centre=cripel").status_code == 200
    assert coordination.get(path + "?centre=cai").status_code == 403
    auditor = stack.client("region", "reporting", "auditeur")
    assert auditor.get(path + "?centre=cai").status_code == 200


def test_lag_is_measured(registered, analyst):
    def measured():
        body = analyst.get("/api/v1/statistics").json()
        return body["lag"] is not None and body["updated_at"] and body
    body = eventually(measured, timeout=60, interval=1)
    assert body["lag"] >= 0
