"""The partner tables, one year at a time: referrals by outcome, hours by operator and
centre, offers' seats (offered, taken, waiting) and the median wait for a seat.

Suppression counts the people behind each cell, as everywhere; the seats offered are not
about people, so their cell counts seats (an offer of 12 seats stands for 12 units).
"""
from __future__ import annotations

import math
from datetime import date
from statistics import median
from typing import Any

from . import vocabulary as v
from .tables import Table, make_table

REFERRALS = "orientations-vers-les-operateurs"
OPERATOR_HOURS = "heures-par-operateur"
SEATS = "places-des-offres"
WAIT = "attente-d-une-place"
TITLES = {
    REFERRALS: "Orientations vers les offres des opérateurs, par issue et par centre",
    OPERATOR_HOURS: "Heures de présence déclarées, par opérateur (colonne : son centre)",
    SEATS: "Places des offres de formation : offertes, occupées, en liste d'attente",
    WAIT: "Attente médiane d'une place après la mise en liste d'attente (jours)",
}
OUTCOMES = [("proposed", "Proposées, sans réponse"), ("accepted", "Acceptées (place attribuée)"),
            ("waitlisted", "En liste d'attente"), ("started", "Commencées"),
            ("completed", "Terminées"), ("dropped_out", "Abandons"),
            ("declined", "Refusées"), ("cancelled", "Annulées")]
SEAT_ROWS = [("capacity", "Places offertes"), ("taken", "Places occupées"),
             ("waiting", "Personnes en liste d'attente")]
HOLDS_SEAT = ("accepted", "started")


def _in(day: str | None, year: int) -> bool:
    return bool(day) and day[:4] == str(year)


def _person(offer: dict[str, Any], ref: dict[str, Any]) -> str:
    return f"{offer['centre']}:{ref['person_id']}"


def referrals_table(offers: list[dict[str, Any]], year: int) -> Table:
    records = [(r["status"], o["centre"], _person(o, r), 1.0)
               for o in offers for r in o["referrals"] if _in(r["proposed_on"], year)]
    return make_table(REFERRALS, TITLES[REFERRALS], "Issue", "orientations", OUTCOMES,
                      v.CENTRES, records)


def operator_hours_table(reports: list[dict[str, Any]], operators: list[dict[str, Any]],
                         year: int) -> Table:
    names = {f"{o['centre']}:{o['operator_id']}": f"{o['name']} ({v.centre_label(o['centre'])})"
             for o in operators}
    records = [(f"{r['centre']}:{r['operator_id']}", r["centre"],
                f"{r['centre']}:{r['person_id']}", r["hours"])
               for r in reports if r.get("operator_id") and _in(r.get("session_date"), year)]
    rows = sorted({rec[0] for rec in records}, key=lambda k: names.get(k, k).lower())
    return make_table(OPERATOR_HOURS, TITLES[OPERATOR_HOURS], "Opérateur", "heures",
                      [(k, names.get(k, k)) for k in rows], v.CENTRES, records, decimals=1)


def seats_table(offers: list[dict[str, Any]], year: int) -> Table:
    """Offers open at some point of the year (published before its end)."""
    records = []
    for o in offers:
        if o["published_on"][:4] > str(year):
            continue
        records += [("capacity", o["centre"], f"{o['centre']}:{o['offer_id']}:{n}", 1.0)
                    for n in range(o["capacity"])]
        for r in o["referrals"]:
            if r["status"] in HOLDS_SEAT:
                records.append(("taken", o["centre"], _person(o, r), 1.0))
            elif r["status"] == "waitlisted":
                records.append(("waiting", o["centre"], _person(o, r), 1.0))
    return make_table(SEATS, TITLES[SEATS], "Places", "places", SEAT_ROWS, v.CENTRES,
                      records, margins="rows")


def wait_table(offers: list[dict[str, Any]], year: int, today: date) -> Table:
    """Days from the waiting list to a seat (or to today, still waiting), per centre."""
    days: dict[str, list[int]] = {c: [] for c in v.CENTRE_IDS}
    for o in offers:
        for r in o["referrals"]:
            if not r.get("waitlisted_on") or not _in(r["waitlisted_on"], year):
                continue
            end = date.fromisoformat(r["seat_on"]) if r.get("seat_on") else today
            days.setdefault(o["centre"], []).append(
                (end - date.fromisoformat(r["waitlisted_on"])).days)
    columns = v.CENTRES + [("region", "Région")]
    groups = [days[c] for c in v.CENTRE_IDS] + [[d for ds in days.values() for d in ds]]
    values = tuple(float(median(g)) if g else math.nan for g in groups)
    return Table(WAIT, TITLES[WAIT], "Mesure", "jours",
                 [("median_days", "Attente médiane (jours)")], columns, (values,),
                 (tuple(len(g) for g in groups),), margins="none")
