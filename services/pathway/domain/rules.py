"""Rule versions of the integration pathway ("parcours d'intégration"), by effective date.

Owns the numbers the decree sets (deadline, training hours, interview interval, extension
cap) and the choice of rule version from the permit order date. Everything that changes
with the law lives here so the decision modules stay free of magic numbers.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

REFORM_2025 = date(2025, 1, 1)
"""Permits ordered from this day follow the 2025 rules (3-year deadline)."""


@dataclass(frozen=True)
class RuleSet:
    version: str
    deadline_months: int
    # Cap on base deadline + extensions, counted from the permit order. Suspended days
    # come on top: a stopped clock is not an extension.
    max_months_from_permit: int
    citizenship_hours: float = 60.0   # FIC, "formation à la citoyenneté", always required
    french_hours: float = 400.0       # FLE, unless level A2 is proven
    # OSP ("orientation socioprofessionnelle"): duration not settled by any source.
    # 0 h means "done when the operator reports it done". To confirm.
    osp_hours: float = 0.0
    interview_interval_months: int = 6


RULES: dict[str, RuleSet] = {
    # 2016 decree: 18 months, extendable "exceptionally" up to 36 months from the permit.
    "2016": RuleSet("2016", deadline_months=18, max_months_from_permit=36),
    # 2025 reform: 3 years. No source mentions extensions beyond that; we allow none
    # (cap = base). To confirm: raise max_months_from_permit here if the region allows.
    "2025": RuleSet("2025", deadline_months=36, max_months_from_permit=36),
}
RULE_VERSIONS = tuple(RULES)


def rule_version_for(permit_order_date: date | None, opened_on: date) -> str:
    """The permit order date decides; without one (voluntary), the opening date does."""
    reference = permit_order_date or opened_on
    return "2025" if reference >= REFORM_2025 else "2016"


def rules_for(version: str) -> RuleSet:
    return RULES[version]


def add_months(day: date, months: int) -> date:
    """Calendar months, clamped to the month's end (31 Aug + 6 months = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
