"""Every published table of one year, suppressed together. Pure.

Suppression runs on the whole regional table, always; a centre's view is a column of
it (`Published.select_columns`). Tables that publish the same figures are protected
together: the people tables share their column totals, and the median time to
completion is hidden wherever the number of attestations behind it is hidden.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from datetime import date

from . import activity_tables as a
from . import local_tables as lt
from . import partner_tables as pt
from .people import transfers as intake_transfers
from .people_tables import people_tables
from .suppression import protect, protect_sharing_column_totals, small_cells
from .tables import Published

DEFAULT_K = 5
DEFAULT_TOP_N = 10


@dataclass(frozen=True)
class Snapshot:
    """The projections' documents, as read (see adapters.reader)."""

    people: list[dict[str, Any]] = field(default_factory=list)
    pathways: list[dict[str, Any]] = field(default_factory=list)
    attendance: list[dict[str, Any]] = field(default_factory=list)
    offers: list[dict[str, Any]] = field(default_factory=list)
    operators: list[dict[str, Any]] = field(default_factory=list)
    plans: list[dict[str, Any]] = field(default_factory=list)
    activities: list[dict[str, Any]] = field(default_factory=list)
    trainings: list[dict[str, Any]] = field(default_factory=list)


def publish(snapshot: Snapshot, year: int, k: int = DEFAULT_K,
            top_n: int = DEFAULT_TOP_N, *, today: date) -> dict[str, Published]:
    out: dict[str, Published] = {}
    people = people_tables(snapshot.people, year, top_n)
    hidden = protect_sharing_column_totals([(t.grid, small_cells(t.people, k)) for t in people])
    out.update({t.id: Published(t, h) for t, h in zip(people, hidden)})

    transfers = intake_transfers(snapshot.people) + \
        [t for doc in snapshot.pathways for t in doc.get("transfers_out", [])]
    for table in (a.activity_table(snapshot.pathways, year),
                  a.hours_table(snapshot.pathways, year),
                  a.attendance_table(snapshot.attendance, year),
                  a.transfers_table(transfers, year),
                  pt.referrals_table(snapshot.offers, year),
                  pt.operator_hours_table(snapshot.attendance, snapshot.operators, year),
                  pt.seats_table(snapshot.offers, year),
                  pt.wait_table(snapshot.offers, year, today),
                  lt.indicators_table(snapshot.plans, year),
                  lt.participants_by_theme_table(snapshot.activities, year),
                  lt.participants_by_commune_table(snapshot.activities, year),
                  lt.trained_table(snapshot.trainings, year),
                  lt.trained_hours_table(snapshot.trainings, year)):
        out[table.id] = Published(table, protect(table.grid, small_cells(table.people, k)))

    out[a.COMPLETION] = _completion(snapshot, year, k, out[a.ACTIVITY])
    return out


def _completion(snapshot: Snapshot, year: int, k: int, activity: Published) -> Published:
    table = a.completion_table(snapshot.pathways, year)
    row = [key for key, _ in activity.table.rows].index("attestations")
    linked = {(0, j) for j in range(len(table.columns)) if (row, j) in activity.hidden}
    return Published(table, protect(table.grid, small_cells(table.people, k), linked))
