"""Statistical tables (« tableaux ») before and after suppression. Pure.

`tally` turns records (row, column, person, amount) into a table whose cells know both
their value (people counted, hours summed…) and how many distinct people stand behind
them: suppression looks at the people, never at the value. Margins are computed from
the records too, so a total counts a person once even when the person appears in two
of its cells.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Hashable, Iterable

from .suppression import Grid, Pos

SUPPRESSED = "supprimé"
TOTAL_KEY, TOTAL_LABEL = "total", "Total"

Axis = list[tuple[str, str]]          # (key, French label), in display order
Record = tuple[str, str, Hashable, float]   # row key, column key, person key, amount


@dataclass(frozen=True)
class Table:
    id: str
    title: str
    row_label: str                    # header of the first column, e.g. "Statut"
    unit: str                         # "personnes", "heures", "jours"…
    rows: Axis                        # margins excluded
    columns: Axis
    values: tuple[tuple[float, ...], ...]       # margins included
    people: tuple[tuple[int, ...], ...]         # same shape as values
    margins: str = "both"
    decimals: int = 0

    @property
    def grid(self) -> Grid:
        return Grid.of(self.values, self.margins)

    @property
    def all_rows(self) -> Axis:
        return self.rows + ([(TOTAL_KEY, TOTAL_LABEL)] if self.margins in ("columns", "both")
                            else [])

    @property
    def all_columns(self) -> Axis:
        return self.columns + ([(TOTAL_KEY, TOTAL_LABEL)] if self.margins in ("rows", "both")
                               else [])


@dataclass(frozen=True)
class Published:
    """A table with its hidden cells: what every output (JSON, CSV, HTML) renders."""

    table: Table
    hidden: frozenset[Pos] = field(default_factory=frozenset)

    def cell(self, i: int, j: int) -> dict:
        if (i, j) in self.hidden:
            return {"value": None, "flag": SUPPRESSED}
        value = self.table.values[i][j]
        if math.isnan(value):       # not applicable (a median of nobody)
            return {"value": None, "flag": None}
        value = round(value, self.table.decimals) if self.table.decimals else int(round(value))
        return {"value": value, "flag": None}

    def select_columns(self, keys: set[str]) -> "Published":
        """Only some inner columns (region-wide row totals dropped): a view of the table
        protected as a whole, never re-suppressed on its own, so that two views of the
        same figures can never be played against each other."""
        t = self.table
        keep = [j for j, (key, _) in enumerate(t.columns) if key in keys]
        margins = {"both": "columns", "rows": "none"}.get(t.margins, t.margins)
        table = Table(t.id, t.title, t.row_label, t.unit, t.rows,
                      [t.columns[j] for j in keep],
                      tuple(tuple(row[j] for j in keep) for row in t.values),
                      tuple(tuple(row[j] for j in keep) for row in t.people),
                      margins, t.decimals)
        index = {old: new for new, old in enumerate(keep)}
        return Published(table, frozenset((i, index[j]) for i, j in self.hidden if j in index))

    def to_doc(self) -> dict:
        """What a frozen publication stores: the cells as published, nothing more (a
        hidden cell's value and the people behind each cell are not kept)."""
        t = self.table
        return {"id": t.id, "title": t.title, "row_label": t.row_label, "unit": t.unit,
                "rows": [list(r) for r in t.rows], "columns": [list(c) for c in t.columns],
                "margins": t.margins, "decimals": t.decimals,
                "cells": [[self.cell(i, j)["value"] for j in range(len(t.all_columns))]
                          for i in range(len(t.all_rows))],
                "hidden": sorted([i, j] for i, j in self.hidden)}

    @staticmethod
    def from_doc(doc: dict) -> "Published":
        values = tuple(tuple(math.nan if v is None else float(v) for v in row)
                       for row in doc["cells"])
        table = Table(doc["id"], doc["title"], doc["row_label"], doc["unit"],
                      [tuple(r) for r in doc["rows"]], [tuple(c) for c in doc["columns"]],
                      values, tuple(tuple(0 for _ in row) for row in values),
                      doc["margins"], doc["decimals"])
        return Published(table, frozenset((i, j) for i, j in doc["hidden"]))


def tally(records: Iterable[Record], rows: Axis, columns: Axis, *, margins: str = "both"
          ) -> tuple[tuple[tuple[float, ...], ...], tuple[tuple[int, ...], ...]]:
    """(values, people) grids, margins included, for the given axes (others are dropped)."""
    row_index = {key: i for i, (key, _) in enumerate(rows)}
    col_index = {key: j for j, (key, _) in enumerate(columns)}
    n_rows = len(rows) + (margins in ("columns", "both"))
    n_cols = len(columns) + (margins in ("rows", "both"))
    amounts: dict[Pos, float] = defaultdict(float)
    persons: dict[Pos, set] = defaultdict(set)
    for row, col, person, amount in records:
        if row not in row_index or col not in col_index:
            continue
        i, j = row_index[row], col_index[col]
        targets = [(i, j)]
        if margins in ("rows", "both"):
            targets.append((i, n_cols - 1))
        if margins in ("columns", "both"):
            targets.append((n_rows - 1, j))
        if margins == "both":
            targets.append((n_rows - 1, n_cols - 1))
        for pos in targets:
            amounts[pos] += amount
            persons[pos].add(person)
    values = tuple(tuple(amounts[(i, j)] for j in range(n_cols)) for i in range(n_rows))
    people = tuple(tuple(len(persons[(i, j)]) for j in range(n_cols)) for i in range(n_rows))
    return values, people


def make_table(id: str, title: str, row_label: str, unit: str, rows: Axis, columns: Axis,
               records: Iterable[Record], *, margins: str = "both", decimals: int = 0) -> Table:
    values, people = tally(records, rows, columns, margins=margins)
    return Table(id, title, row_label, unit, rows, columns, values, people, margins, decimals)
