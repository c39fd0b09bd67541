"""Small-cell suppression (« secret statistique ») of a published table. Pure functions.

A table is a grid of values whose last column holds row totals and/or whose last row
holds column totals ("margins"). Every cell, margins included, counts people.

- Primary suppression: a cell describing 0 < n < k people is hidden (`small_cells`).
- Complementary suppression (`protect`): more cells are hidden until no hidden cell can
  be computed back from the published ones.
  1. Line rule: a line (a row or a column that has a total) never holds exactly one
     hidden cell (its total counts as a cell of the line); otherwise the next-smallest
     published cell of that line is hidden too (inner non-zero cells first, then
     inner zeros, totals last: see `_pick`), and so on until stable.
  2. With both margins the line rule is not enough: two hidden rectangles joined by a
     single hidden cell leave that cell computable (sum of the rectangle's rows minus
     sum of its columns). Writing the margins with a minus sign turns the table into a
     bipartite graph (rows and columns are nodes, hidden cells are edges) in which every
     node sums to zero; a hidden cell is then determined exactly when its edge is a
     bridge (`hidden_graph`). Each bridge gets a partner: the cheapest published cell
     joining the two sides of the cut, which puts the bridge on a cycle.
- Linked tables (`protect_sharing_column_totals`): tables that publish the same column
  totals (people per centre) get the same hidden totals, else one table would publish
  what another hides.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from .hidden_graph import bridges, component

Pos = tuple[int, int]
MARGINS = ("none", "rows", "columns", "both")   # "rows": a row-total column; "columns": a total row


@dataclass(frozen=True)
class Grid:
    """Values of a table, margins included (last column: row totals; last row: column totals)."""

    values: tuple[tuple[float, ...], ...]
    margins: str = "both"

    @staticmethod
    def of(values: Sequence[Sequence[float]], margins: str = "both") -> "Grid":
        if margins not in MARGINS:
            raise ValueError(f"margins must be one of {MARGINS}")
        rows = tuple(tuple(float(v) for v in row) for row in values)
        if len({len(r) for r in rows}) > 1:
            raise ValueError("ragged grid")
        return Grid(rows, margins)

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.values), len(self.values[0]) if self.values else 0

    def value(self, pos: Pos) -> float:
        return self.values[pos[0]][pos[1]]

    @property
    def has_row_totals(self) -> bool:
        return self.margins in ("rows", "both")

    @property
    def has_column_totals(self) -> bool:
        return self.margins in ("columns", "both")

    def is_margin(self, pos: Pos) -> bool:
        n_rows, n_cols = self.shape
        return (self.has_row_totals and pos[1] == n_cols - 1) or \
            (self.has_column_totals and pos[0] == n_rows - 1)

    def lines(self) -> list[list[Pos]]:
        """Every set of cells bound by one published sum (the total is one of the cells)."""
        n_rows, n_cols = self.shape
        out: list[list[Pos]] = []
        if self.has_row_totals:
            out += [[(i, j) for j in range(n_cols)] for i in range(n_rows)]
        if self.has_column_totals:
            out += [[(i, j) for i in range(n_rows)] for j in range(n_cols)]
        return out

    def positions(self) -> list[Pos]:
        n_rows, n_cols = self.shape
        return [(i, j) for i in range(n_rows) for j in range(n_cols)]


def small_cells(counts: Sequence[Sequence[int]], k: int) -> set[Pos]:
    """Cells about 0 < n < k people (n: the people behind the cell, not its value)."""
    return {(i, j) for i, row in enumerate(counts) for j, n in enumerate(row) if 0 < n < k}


def protect(grid: Grid, primary: Iterable[Pos], forced: Iterable[Pos] = ()) -> frozenset[Pos]:
    """Primary cells plus the complementary cells that make every hidden cell safe."""
    hidden = set(primary) | set(forced)
    while True:
        partner = _line_partner(grid, hidden)
        if partner is None and grid.margins == "both":
            partner = _bridge_partner(grid, hidden)
        if partner is None:
            return frozenset(hidden)
        hidden.add(partner)


def recoverable(grid: Grid, hidden: Iterable[Pos]) -> set[Pos]:
    """Hidden cells that the published cells determine exactly (empty when protected)."""
    hidden = set(hidden)
    out = {line_hidden[0] for line in grid.lines()
           if len(line_hidden := [p for p in line if p in hidden]) == 1}
    if grid.margins == "both":
        out |= set(bridges(sorted(hidden)))
    return out


def protect_sharing_column_totals(tables: Sequence[tuple[Grid, Iterable[Pos]]]
                                  ) -> list[frozenset[Pos]]:
    """Protect tables whose last rows (column totals) are the same published figures.

    A column total hidden in one table is hidden in all, repeated until no table hides a
    new one (monotone, so it ends)."""
    primaries = [set(p) for _, p in tables]
    forced_columns: set[int] = set()
    while True:
        results = []
        for (grid, _), primary in zip(tables, primaries):
            last = grid.shape[0] - 1
            results.append(protect(grid, primary, {(last, j) for j in forced_columns}))
        hidden_columns = {j for (grid, _), hidden in zip(tables, results)
                          for (i, j) in hidden if i == grid.shape[0] - 1}
        if hidden_columns <= forced_columns:
            return results
        forced_columns |= hidden_columns


def _pick(grid: Grid, candidates: Iterable[Pos]) -> Pos | None:
    """The cell whose hiding costs least.

    Inner cells before totals: a hidden total hides a headline figure and spreads to the
    other margin (and to linked tables). Among inner cells, the smallest non-zero one,
    whose sum with the hidden cell leaves the widest doubt; a zero only when no count is
    left, which still leaves the hidden pair's split unknown."""
    return min(candidates, default=None,
               key=lambda p: (grid.is_margin(p), grid.value(p) == 0, grid.value(p), p))


def _line_partner(grid: Grid, hidden: set[Pos]) -> Pos | None:
    for line in grid.lines():
        if sum(p in hidden for p in line) == 1:
            partner = _pick(grid, (p for p in line if p not in hidden))
            if partner is not None:
                return partner
    return None


def _bridge_partner(grid: Grid, hidden: set[Pos]) -> Pos | None:
    found = bridges(sorted(hidden))
    if not found:
        return None
    i, j = found[0]
    rest = [e for e in hidden if e != (i, j)]
    side_a = component(("r", i), rest)
    side_b = component(("c", j), rest)
    crossing = [p for p in grid.positions() if p not in hidden and (
        (("r", p[0]) in side_a and ("c", p[1]) in side_b) or
        (("r", p[0]) in side_b and ("c", p[1]) in side_a))]
    # A complete table always has a crossing cell; the fallback only guards odd input.
    return _pick(grid, crossing) or _pick(grid, (p for p in grid.positions()
                                                 if p not in hidden and (p[0] == i or p[1] == j)))
