"""Local action's tables, one year at a time: the plans' indicators against their
targets, participation in integration activities by theme and by commune, and the
practitioners trained (and their hours) by training theme.

Suppression counts the people behind each cell, as everywhere. A participation count
stands for that many people (like the seats of an offer); an indicator counting people
(unit `persons`) stands for its value, an indicator of another unit (places, euros,
percentages) for nobody, and the achievement column is hidden with the measure it is
computed from. A practitioner is one registration.
"""
from __future__ import annotations

import math
from typing import Any

from . import vocabulary as v
from .tables import Table, make_table

INDICATORS = "indicateurs-des-plans-locaux"
BY_THEME = "participants-aux-activites-par-theme"
BY_COMMUNE = "participants-aux-activites-par-commune"
TRAINED = "intervenants-formes"
TRAINED_HOURS = "heures-de-formation-des-intervenants"
TITLES = {
    INDICATORS: "Indicateurs des plans locaux d'intégration : départ, cible, dernière mesure",
    BY_THEME: "Participants aux activités d'intégration, par thème et par centre",
    BY_COMMUNE: "Participants aux activités d'intégration, par commune et par thème",
    TRAINED: "Intervenants formés (présents à au moins une séance), par thème",
    TRAINED_HOURS: "Heures de formation suivies par les intervenants, par thème",
}
ACTIVITY_THEMES = [
    ("interculturality", "Interculturalité"), ("participation", "Participation et citoyenneté"),
    ("anti_discrimination", "Lutte contre les discriminations"), ("housing", "Logement"),
    ("health", "Santé"), ("employment", "Emploi"), ("culture", "Culture"),
    ("education", "Éducation"), ("other", "Autre")]
TRAINING_THEMES = [
    ("interculturality", "Interculturalité"), ("migration_law", "Droit des étrangers"),
    ("pathway", "Le parcours d'intégration"), ("fle_pedagogy", "Pédagogie du FLE"),
    ("anti_discrimination", "Lutte contre les discriminations"), ("other", "Autre")]
INDICATOR_COLUMNS = [("baseline", "Valeur de départ"), ("target", "Cible"),
                     ("measured", "Dernière mesure"), ("achievement", "Atteinte de la cible (%)")]


def indicators_table(plans: list[dict[str, Any]], year: int) -> Table:
    """Indicators of plans adopted or evaluated, last measure up to the end of `year`."""
    rows, values, people = [], [], []
    for p in sorted(plans, key=lambda p: (p["centre"], p["title"].lower(), p["plan_id"])):
        if p["status"] == "draft" and p.get("plan_version", 1) == 1:
            continue
        for iid, ind in sorted(p["indicators"].items()):
            measured = ind.get("measured") if (ind.get("measured_on") or "")[:4] <= str(year) \
                else None
            rows.append((f"{p['centre']}:{p['plan_id']}:{iid}",
                         f"{p['title']} — {ind['label']} ({v.centre_label(p['centre'])})"))
            m = math.nan if measured is None else float(measured)
            achieved = math.nan if measured is None or not ind["target"] else \
                100.0 * (m - ind["baseline"]) / (ind["target"] - ind["baseline"]) \
                if ind["target"] != ind["baseline"] else math.nan
            values.append((float(ind["baseline"]), float(ind["target"]), m, achieved))

            def behind(x: float) -> int:
                return int(x) if ind["unit"] == "persons" and not math.isnan(x) else 0
            people.append((behind(ind["baseline"]), behind(ind["target"]), behind(m),
                           behind(m)))
    return Table(INDICATORS, TITLES[INDICATORS], "Indicateur", "valeurs", rows,
                 INDICATOR_COLUMNS, tuple(values), tuple(people), margins="none", decimals=1)


def _participants(activities: list[dict[str, Any]], year: int):
    for a in activities:
        if a.get("status") != "held" or a["starts_on"][:4] != str(year):
            continue
        n = sum(a["counts"].values())
        for i in range(n):     # each participant a unit, as the seats of an offer
            yield a, f"{a['centre']}:{a['activity_id']}:{i}"


def participants_by_theme_table(activities: list[dict[str, Any]], year: int) -> Table:
    records = [(a["theme"], a["centre"], key, 1.0) for a, key in _participants(activities, year)]
    return make_table(BY_THEME, TITLES[BY_THEME], "Thème", "participants", ACTIVITY_THEMES,
                      v.CENTRES, records)


def participants_by_commune_table(activities: list[dict[str, Any]], year: int) -> Table:
    records = [(a["commune_nis"], a["theme"], key, 1.0)
               for a, key in _participants(activities, year)]
    communes = sorted({r[0] for r in records}, key=lambda n: v.commune_label(n).lower())
    return make_table(BY_COMMUNE, TITLES[BY_COMMUNE], "Commune", "participants",
                      [(n, v.commune_label(n)) for n in communes], ACTIVITY_THEMES, records)


def _trained(trainings: list[dict[str, Any]], year: int):
    for t in trainings:
        for rid, r in t["registrations"].items():
            hours = sum(h for day, h in r["hours"].items() if day[:4] == str(year))
            if r["status"] == "registered" and hours > 0:
                yield t, f"{t['centre']}:{t['training_id']}:{rid}", hours


def trained_table(trainings: list[dict[str, Any]], year: int) -> Table:
    records = [(t["theme"], t["centre"], key, 1.0) for t, key, _ in _trained(trainings, year)]
    return make_table(TRAINED, TITLES[TRAINED], "Thème", "intervenants", TRAINING_THEMES,
                      v.CENTRES, records)


def trained_hours_table(trainings: list[dict[str, Any]], year: int) -> Table:
    records = [(t["theme"], t["centre"], key, h) for t, key, h in _trained(trainings, year)]
    return make_table(TRAINED_HOURS, TITLES[TRAINED_HOURS], "Thème", "heures",
                      TRAINING_THEMES, v.CENTRES, records, decimals=1)
