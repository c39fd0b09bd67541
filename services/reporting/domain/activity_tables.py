"""The pathway activity tables, one year at a time, per centre: conventions signed,
attestations issued, interviews held, non-compliance flags, hours by training, partner
attendance, transfers between centres, and the median time to completion.

Each fact is dated by its own day (signature, issue, interview, session, transfer).
"""
from __future__ import annotations

import math
from datetime import date
from statistics import median
from typing import Any

from . import vocabulary as v
from .tables import Table, make_table

ACTIVITY = "activite-des-parcours"
HOURS = "heures-de-formation"
ATTENDANCE = "heures-de-presence"
TRANSFERS = "transferts"
COMPLETION = "delai-d-achevement"
TITLES = {
    ACTIVITY: "Conventions, attestations, entretiens et signalements par centre",
    HOURS: "Heures de formation créditées par type de formation et par centre",
    ATTENDANCE: "Heures de présence déclarées par les opérateurs partenaires",
    TRANSFERS: "Transferts de parcours entre centres (centre d'origine × centre d'accueil)",
    COMPLETION: "Délai médian entre l'ouverture du parcours et l'attestation (jours)",
}
ACTIVITY_ROWS = [("conventions", "Conventions d'accueil signées"),
                 ("attestations", "Attestations de fréquentation délivrées"),
                 ("interviews", "Entretiens d'évaluation tenus"),
                 ("flagged", "Parcours signalés pour non-respect")]
REGION = ("region", "Région")


def _in(day: str | None, year: int) -> bool:
    return bool(day) and day[:4] == str(year)


def _person(doc: dict[str, Any]) -> str:
    return doc.get("pseudonym") or doc["_id"]


def issued(doc: dict[str, Any], year: int) -> bool:
    att = doc.get("attestation")
    return bool(att) and not att["revoked"] and _in(att["issued_on"], year)


def activity_table(pathways: list[dict[str, Any]], year: int) -> Table:
    records = []
    for doc in pathways:
        c, who = doc["centre"], _person(doc)
        if _in(doc.get("convention_signed_on"), year):
            records.append(("conventions", c, who, 1.0))
        if issued(doc, year):
            records.append(("attestations", c, who, 1.0))
        if doc.get("interviews", {}).get(str(year)):
            records.append(("interviews", c, who, float(doc["interviews"][str(year)])))
        if str(year) in doc.get("flagged", []):
            records.append(("flagged", c, who, 1.0))
    return make_table(ACTIVITY, TITLES[ACTIVITY], "Indicateur", "nombre", ACTIVITY_ROWS,
                      v.CENTRES, records, margins="rows")


def hours_table(pathways: list[dict[str, Any]], year: int) -> Table:
    records = [(training, doc["centre"], _person(doc), hours)
               for doc in pathways
               for training, hours in doc.get("hours", {}).get(str(year), {}).items()]
    return make_table(HOURS, TITLES[HOURS], "Formation", "heures", v.TRAININGS, v.CENTRES,
                      records, decimals=1)


def attendance_table(reports: list[dict[str, Any]], year: int) -> Table:
    records = [(r["training"], r["centre"], r["person_id"], r["hours"])
               for r in reports if _in(r.get("session_date"), year)]
    return make_table(ATTENDANCE, TITLES[ATTENDANCE], "Formation", "heures", v.TRAININGS,
                      v.CENTRES, records, decimals=1)


def transfers_table(transfers: list[dict[str, Any]], year: int) -> Table:
    """Transfers seen by intake and by pathway are the same transfer (same id): once."""
    unique = {t["id"]: t for t in transfers if _in(t.get("on"), year)}
    records = [(t["from"], t["to"], tid, 1.0) for tid, t in sorted(unique.items())]
    return make_table(TRANSFERS, TITLES[TRANSFERS], "Centre d'origine", "transferts",
                      v.CENTRES, v.CENTRES, records)


def completion_table(pathways: list[dict[str, Any]], year: int) -> Table:
    """Median days from opening (the first centre's, for a transferred pathway) to the
    attestation issued this year; medians are not additive, so no margins."""
    days: dict[str, list[int]] = {c: [] for c in v.CENTRE_IDS}
    for doc in pathways:
        if issued(doc, year) and doc.get("opened_on"):
            delta = (date.fromisoformat(doc["attestation"]["issued_on"]) -
                     date.fromisoformat(doc["opened_on"])).days
            days.setdefault(doc["centre"], []).append(delta)
    columns = v.CENTRES + [REGION]
    groups = [days[c] for c in v.CENTRE_IDS] + [[d for ds in days.values() for d in ds]]
    values = tuple(round(median(g)) if g else math.nan for g in groups)
    return Table(COMPLETION, TITLES[COMPLETION], "Mesure", "jours",
                 [("median_days", "Délai médian (jours)")], columns, (values,),
                 (tuple(len(g) for g in groups),), margins="none")
