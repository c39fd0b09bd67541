"""Independent checks of a suppression pattern, written without the code under test.

- `line_rule_holds`: the brief's rule, cell by cell: every hidden cell's row and column
  either hold at least two hidden cells or have no published total.
- `determined_cells`: exact linear algebra (fractions): a hidden cell is recoverable
  when its unit vector lies in the row space of the published sums restricted to the
  hidden cells. This is the attacker who combines any number of rows and columns.
"""
from __future__ import annotations

from fractions import Fraction


def with_margins(inner: list[list[int]], margins: str = "both") -> list[list[int]]:
    rows = [list(r) + ([sum(r)] if margins in ("rows", "both") else []) for r in inner]
    if margins in ("columns", "both"):
        rows.append([sum(col) for col in zip(*rows)])
    return rows


def _lines(shape: tuple[int, int], margins: str) -> list[list[tuple[int, int]]]:
    n_rows, n_cols = shape
    out = []
    if margins in ("rows", "both"):
        out += [[(i, j) for j in range(n_cols)] for i in range(n_rows)]
    if margins in ("columns", "both"):
        out += [[(i, j) for i in range(n_rows)] for j in range(n_cols)]
    return out


def line_rule_holds(shape: tuple[int, int], margins: str, hidden: set) -> bool:
    """Each hidden cell's row and column: a published total => two hidden members or more."""
    for cell in hidden:
        for line in _lines(shape, margins):
            if cell not in line:
                continue
            total, members = line[-1], line[:-1]
            if total not in hidden and sum(p in hidden for p in members) < 2:
                return False
    return True


def determined_cells(shape: tuple[int, int], margins: str, hidden: set) -> set:
    unknowns = sorted(hidden)
    index = {p: n for n, p in enumerate(unknowns)}
    n_rows, n_cols = shape
    equations = []
    for line in _lines(shape, margins):
        total = line[-1]
        row = [Fraction(0)] * len(unknowns)
        for p in line:
            if p in index:
                row[index[p]] = Fraction(-1 if p == total else 1)
        if any(row):
            equations.append(row)
    reduced = _rref(equations, len(unknowns))
    out = set()
    for r in reduced:
        nonzero = [n for n, x in enumerate(r) if x != 0]
        if len(nonzero) == 1:
            out.add(unknowns[nonzero[0]])
    return out


def _rref(matrix: list[list[Fraction]], width: int) -> list[list[Fraction]]:
    m = [row[:] for row in matrix]
    pivot_row = 0
    for col in range(width):
        pivot = next((r for r in range(pivot_row, len(m)) if m[r][col] != 0), None)
        if pivot is None:
            continue
        m[pivot_row], m[pivot] = m[pivot], m[pivot_row]
        lead = m[pivot_row][col]
        m[pivot_row] = [x / lead for x in m[pivot_row]]
        for r in range(len(m)):
            if r != pivot_row and m[r][col] != 0:
                factor = m[r][col]
                m[r] = [a - factor * b for a, b in zip(m[r], m[pivot_row])]
        pivot_row += 1
    return m[:pivot_row]
