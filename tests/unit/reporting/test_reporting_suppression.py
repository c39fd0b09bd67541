"""Small-cell suppression: a table of cases, then properties over random tables, all
checked by the independent `disclosure` module (line rule + exact linear algebra)."""
from __future__ import annotations

import random

import pytest

from services.reporting.domain.suppression import (Grid, protect,
                                                   protect_sharing_column_totals,
                                                   recoverable, small_cells)
from tests.unit.reporting.disclosure import determined_cells, line_rule_holds, with_margins

K = 5


def run(inner, margins="both", k=K):
    values = with_margins(inner, margins)
    grid = Grid.of(values, margins)
    primary = small_cells(values, k)
    return values, primary, protect(grid, primary)


def assert_safe(values, margins, primary, hidden):
    shape = (len(values), len(values[0]))
    assert primary <= hidden
    assert line_rule_holds(shape, margins, hidden), sorted(hidden)
    assert determined_cells(shape, margins, hidden) == set(), sorted(hidden)
    assert recoverable(Grid.of(values, margins), hidden) == set()


# (name, inner cells, margins, expected hidden cells — margins included in positions)
CASES = [
    ("nothing small", [[10, 20, 30]], "rows", set()),
    ("zeros are published", [[0, 0, 10]], "rows", set()),
    ("one small: next smallest hidden too", [[2, 7, 9, 30]], "rows", {(0, 0), (0, 1)}),
    ("two small protect each other", [[2, 3, 9, 30]], "rows", {(0, 0), (0, 1)}),
    ("zeros are never the partner when a count is there", [[3, 0, 0, 12]], "rows",
     {(0, 0), (0, 3)}),
    ("a small total hides itself and its cell", [[1, 0]], "rows", {(0, 0), (0, 2)}),
    ("no margins: primary only", [[1, 50], [60, 70]], "none", {(0, 0)}),
    ("column totals only", [[2, 40], [30, 50], [9, 8]], "columns", {(0, 0), (2, 0)}),
    ("2-D: rectangle of small cells needs nothing more",
     [[50, 60, 70], [1, 2, 80], [3, 4, 90]], "both", {(1, 0), (1, 1), (2, 0), (2, 1)}),
    ("2-D: one small cell takes a rectangle",
     [[50, 60, 70], [2, 20, 80], [30, 40, 90]], "both",
     {(1, 0), (1, 1), (2, 0), (2, 1)}),
    ("2-D: an inner zero is hidden rather than a centre's total",
     [[7, 5], [3, 0], [0, 0]], "both", {(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2)}),
]


@pytest.mark.parametrize("name,inner,margins,expected", CASES, ids=[c[0] for c in CASES])
def test_cases(name, inner, margins, expected):
    values, primary, hidden = run(inner, margins)
    assert hidden == expected
    assert_safe(values, margins, primary, hidden)


def test_two_dimensional_small_margin():
    """The 3 is alone in its column: its column total (3) is hidden with it."""
    values, primary, hidden = run([[3, 20], [0, 30]])
    assert (0, 0) in hidden and (2, 0) in hidden          # the 3 and its column total
    assert (1, 0) not in hidden                            # the published zero stays
    assert_safe(values, "both", primary, hidden)


def test_line_rule_alone_is_not_enough():
    """Two 2x2 blocks of small cells joined by one small cell: every row and column
    holds two hidden cells, yet rows {0,1} minus columns {0,1} give the joining cell."""
    inner = [[1, 2, 3, 50, 50], [2, 1, 50, 50, 50], [50, 50, 2, 1, 50],
             [50, 50, 1, 2, 50], [50, 50, 50, 50, 50]]
    values = with_margins(inner)
    primary = small_cells(values, K)
    shape = (6, 6)
    assert line_rule_holds(shape, "both", primary)
    assert (0, 2) in determined_cells(shape, "both", primary)
    hidden = protect(Grid.of(values), primary)
    assert len(hidden) > len(primary)
    assert_safe(values, "both", primary, hidden)


def test_protection_is_stable_and_deterministic():
    values, primary, hidden = run([[1, 9, 30], [7, 2, 40], [20, 30, 4]])
    grid = Grid.of(values)
    assert protect(grid, hidden) == hidden
    assert protect(grid, primary) == hidden


def test_contributors_not_values_decide():
    """Hours: 120 hours followed by 2 people is a small cell; 3 hours by 9 people is not."""
    values = [[120.0, 3.0, 123.0]]
    people = [[2, 9, 11]]
    hidden = protect(Grid.of(values, "rows"), small_cells(people, K))
    assert hidden == {(0, 0), (0, 1)}


def test_linked_tables_hide_the_same_column_totals():
    """Two tables of the same people per centre (column totals 3, 3, 40): a total one
    table hides (here the 40, as if it were sensitive there) the other hides too."""
    one_row = with_margins([[3, 3, 40]])
    two_rows = with_margins([[3, 3, 20], [0, 0, 20]])
    results = protect_sharing_column_totals([
        (Grid.of(one_row), small_cells(one_row, K) | {(1, 2)}),
        (Grid.of(two_rows), small_cells(two_rows, K))])
    assert (2, 2) in results[1]
    totals = [{j for (i, j) in h if i == len(v) - 1} for v, h in zip((one_row, two_rows), results)]
    assert totals[0] == totals[1]
    assert_safe(two_rows, "both", small_cells(two_rows, K), results[1])


def test_k_is_a_parameter():
    values = with_margins([[6, 7, 50]], "rows")
    assert protect(Grid.of(values, "rows"), small_cells(values, 5)) == set()
    assert protect(Grid.of(values, "rows"), small_cells(values, 10)) == {(0, 0), (0, 1)}


def _random_table(rng: random.Random) -> list[list[int]]:
    n_rows, n_cols = rng.randint(1, 5), rng.randint(1, 5)
    pick = [0, 0, 1, 2, 3, 4, 5, 8, 12, 30, 100]
    return [[rng.choice(pick) for _ in range(n_cols)] for _ in range(n_rows)]


@pytest.mark.parametrize("margins", ["both", "rows", "columns", "none"])
def test_random_tables_leave_nothing_recoverable(margins):
    rng = random.Random(f"cri-{margins}")
    for _ in range(300):
        inner = _random_table(rng)
        values, primary, hidden = run(inner, margins)
        assert_safe(values, margins, primary, hidden)
