"""Local action's published tables: indicators against targets, participation by theme
and commune, practitioners trained, with the same small-cell suppression as all."""
from __future__ import annotations

from datetime import date

from services.reporting.domain import local_tables as lt
from services.reporting.domain.publication import Snapshot, publish
from services.reporting.domain.tables import SUPPRESSED


def _cell(published, row_key, col_key):
    t = published.table
    i = [k for k, _ in t.all_rows].index(row_key)
    j = [k for k, _ in t.all_columns].index(col_key)
    return published.cell(i, j)


PLAN = {"centre": "cripel", "plan_id": "pli", "title": "PLI Liège", "status": "adopted",
        "plan_version": 1, "communes": ["62063"], "indicators": {
            "places": {"label": "Places FLE", "unit": "count", "baseline": 40.0,
                       "target": 80.0, "target_on": "2028-12-31", "measured": 60.0,
                       "measured_on": "2026-06-30"},
            "women": {"label": "Femmes en FLE", "unit": "persons", "baseline": 2.0,
                      "target": 20.0, "target_on": "2028-12-31", "measured": 3.0,
                      "measured_on": "2026-06-30"}}}


def activity(aid, theme, centre, n, nis="62063"):
    return {"centre": centre, "activity_id": aid, "theme": theme, "commune_nis": nis,
            "starts_on": "2026-05-01", "status": "held", "counts": {"newcomers": n}}


def test_tables_show_targets_and_hide_small_cells():
    snap = Snapshot(plans=[PLAN], activities=[
        activity("a1", "interculturality", "cripel", 12),
        activity("a2", "interculturality", "cai", 9),
        activity("a3", "housing", "cripel", 2),
        activity("a4", "housing", "cai", 8),
        activity("a5", "culture", "cripel", 6),
        activity("a6", "culture", "cai", 7),
    ], trainings=[{"centre": "cripel", "training_id": "t", "theme": "pathway",
                   "first_day": "2026-03-01", "registrations": {
                       f"r{i}": {"status": "registered", "hours": {"2026-03-01": 3.0}}
                       for i in range(6)}}])
    out = publish(snap, 2026, k=5, today=date(2026, 12, 31))
    ind = out[lt.INDICATORS]
    assert _cell(ind, "cripel:pli:places", "target")["value"] == 80.0
    assert _cell(ind, "cripel:pli:places", "measured")["value"] == 60.0
    assert _cell(ind, "cripel:pli:places", "achievement")["value"] == 50.0
    # an indicator counting 3 people: the measure and what is computed from it hidden
    assert _cell(ind, "cripel:pli:women", "measured")["flag"] == SUPPRESSED
    assert _cell(ind, "cripel:pli:women", "achievement")["flag"] == SUPPRESSED
    theme = out[lt.BY_THEME]
    assert _cell(theme, "interculturality", "cripel")["value"] == 12
    assert _cell(theme, "housing", "cripel")["flag"] == SUPPRESSED       # 2 people
    assert _cell(theme, "housing", "cai")["flag"] == SUPPRESSED          # its complements
    assert _cell(theme, "culture", "cripel")["flag"] == SUPPRESSED
    assert _cell(out[lt.TRAINED], "pathway", "cripel")["value"] == 6
    assert _cell(out[lt.TRAINED_HOURS], "pathway", "cripel")["value"] == 18.0
    assert _cell(out[lt.BY_COMMUNE], "62063", "interculturality")["value"] == 21
