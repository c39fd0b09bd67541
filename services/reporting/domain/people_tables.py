"""The people-received tables (« personnes reçues »), one year at a time, per centre.

Every table counts the same people (region-wide, where each person is now, dated by
first reception), so they all share the same column totals: the people per centre.
"""
from __future__ import annotations

from collections import Counter
from typing import Any, Callable

from . import vocabulary as v
from .people import current_people
from .tables import Axis, Table, make_table

TITLES = {
    "personnes-par-statut": "Personnes reçues par statut et par centre",
    "personnes-par-sexe": "Personnes reçues par sexe et par centre",
    "personnes-par-age": "Personnes reçues par tranche d'âge et par centre",
    "personnes-par-nationalite": "Personnes reçues par nationalité et par centre",
    "personnes-par-commune": "Personnes reçues par commune de résidence et par centre",
}


def people_of_year(docs: list[dict[str, Any]], year: int) -> list[dict[str, Any]]:
    return [p for p in current_people(docs) if p["first_registered_on"][:4] == str(year)]


def people_tables(docs: list[dict[str, Any]], year: int, top_n: int) -> list[Table]:
    people = people_of_year(docs, year)
    statuses = v.STATUSES + ([(v.UNDETERMINED, v.UNDETERMINED_LABEL)]
                             if any(p.get("status") is None for p in people) else [])
    return [
        _table("personnes-par-statut", "Statut", statuses, people,
               lambda p: p.get("status") or v.UNDETERMINED),
        _table("personnes-par-sexe", "Sexe", v.SEXES, people, lambda p: p.get("sex")),
        _table("personnes-par-age", "Tranche d'âge", v.AGE_BANDS, people,
               lambda p: p.get("age_band")),
        _nationalities(people, top_n),
        _communes(people),
    ]


def _table(id: str, row_label: str, rows: Axis, people: list[dict[str, Any]],
           row_of: Callable[[dict[str, Any]], str | None]) -> Table:
    records = [(row_of(p), p["centre"], _person(p), 1.0) for p in people]
    return make_table(id, TITLES[id], row_label, "personnes", rows, v.CENTRES, records)


def _person(p: dict[str, Any]) -> str:
    return p.get("pseudonym") or p["_id"]


def _nationalities(people: list[dict[str, Any]], top_n: int) -> Table:
    """The top N nationalities region-wide, the rest as "autres". N is configuration,
    not a query parameter: two different N would publish "autres" twice, and the
    difference would reveal the row that one of them hides."""
    counts = Counter(p.get("nationality") for p in people)
    top = sorted(counts, key=lambda code: (-counts[code], code or ""))[:top_n]
    rows = [(code, v.nationality_label(code)) for code in top if code]
    if len(counts) > len(rows):
        rows.append(v.OTHERS)
    kept = {code for code, _ in rows}
    return _table("personnes-par-nationalite", "Nationalité", rows, people,
                  lambda p: p.get("nationality") if p.get("nationality") in kept
                  else v.OTHERS[0])


def _communes(people: list[dict[str, Any]]) -> Table:
    order = {c: i for i, c in enumerate(v.CENTRE_IDS)}
    present = {(p["centre"], p.get("commune_nis")) for p in people if p.get("commune_nis")}
    nis_codes = sorted({nis for _, nis in present},
                       key=lambda nis: (min(order.get(c, 99) for c, n in present if n == nis),
                                        nis))
    rows = [(nis, v.commune_label(nis)) for nis in nis_codes]
    return _table("personnes-par-commune", "Commune", rows, people,
                  lambda p: p.get("commune_nis"))
