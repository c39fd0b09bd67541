"""Versioned eligibility rules (« règles d'obligation ») with effective dates.

The version applied to a person is the one in force on the date the residence permit
was ordered (« date de délivrance ordonnée »), or the registration date when there is
no permit. Rule sets are never edited once used: a change of law is a new version.

- "2016-v1": Walloon decree of 28 April 2016; covers every permit ordered before
  2025-01-01 (older regimes are not modelled, to confirm). Deadline 18 months from
  the permit order, extendable exceptionally up to 36 months; asylum seekers can be
  obligated.
- "2025-v1": permits ordered from 2025-01-01. Deadline 3 years; asylum seekers are
  excluded from the obligation. Extension beyond 36 months: none known (to confirm).
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class RuleSet:
    version: str
    effective_from: date | None     # None: applies to everything before the next set
    deadline_months: int            # pathway deadline, from the permit order
    max_extended_months: int        # with exceptional extensions
    asylum_seekers_obligated: bool
    min_age: int = 18               # obligated from this age…
    max_age: int = 65               # …until the day before this birthday
    primo_arrivant_years: int = 3   # legally resident for less than this
    presentation_months: int = 3    # must present at a reception office within

    def deadline(self, permit_order_date: date) -> date:
        return add_months(permit_order_date, self.deadline_months)

    def presentation_deadline(self, permit_order_date: date) -> date:
        return add_months(permit_order_date, self.presentation_months)


RULE_SETS: tuple[RuleSet, ...] = (
    RuleSet("2016-v1", None, deadline_months=18, max_extended_months=36,
            asylum_seekers_obligated=True),
    RuleSet("2025-v1", date(2025, 1, 1), deadline_months=36, max_extended_months=36,
            asylum_seekers_obligated=False),
)


def rules_for(reference_date: date) -> RuleSet:
    """The rule set in force on `reference_date` (permit order or registration)."""
    chosen = RULE_SETS[0]
    for rules in RULE_SETS:
        if rules.effective_from is None or rules.effective_from <= reference_date:
            chosen = rules
    return chosen


def rules_by_version(version: str) -> RuleSet:
    for rules in RULE_SETS:
        if rules.version == version:
            return rules
    raise KeyError(version)


def add_months(start: date, months: int) -> date:
    """Same day `months` later, clamped to the month's end (31 Aug + 18 m = 28/29 Feb)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
