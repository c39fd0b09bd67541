"""The deadline clock of an obligated person ("échéance du parcours").

Deadline = permit order date + the rule version's months + extensions; suspensions
("suspensions": illness, maternity, absence from the territory...) stop the clock, so
the deadline moves by every suspended day that falls before it. Overlapping suspensions
count each day once. Voluntary and dispensed people have no deadline.
The deadline day itself is still in time: "past deadline" means today > deadline.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from .event_names import CLOCK_RESUMED, CLOCK_SUSPENDED, DEADLINE_EXTENDED
from .protected import precise
from .records import Extension, Suspension, as_date
from .rules import add_months, rules_for
from .state import PathwayState


def has_deadline(state: PathwayState) -> bool:
    return state.eligibility_status == "obligated" and state.permit_order_date is not None


def extension_months(state: PathwayState) -> int:
    return sum(e.months for e in state.extensions)


def base_deadline(state: PathwayState) -> date | None:
    """Deadline before suspensions: permit order + rule months + extensions."""
    if not has_deadline(state):
        return None
    months = rules_for(state.rule_version).deadline_months + extension_months(state)
    return add_months(state.permit_order_date, months)


def suspended_periods(state: PathwayState, today: date) -> list[tuple[date, date]]:
    """Merged half-open periods [start, end); an open suspension runs until today."""
    spans = sorted((s.start, s.end or max(s.start, today)) for s in state.suspensions)
    merged: list[tuple[date, date]] = []
    for start, end in spans:
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def suspended_days(state: PathwayState, today: date) -> int:
    """Days the clock stood still, each day once however many suspensions cover it."""
    return sum((end - start).days for start, end in suspended_periods(state, today))


def effective_deadline(state: PathwayState, today: date) -> date | None:
    deadline = base_deadline(state)
    if deadline is None:
        return None
    for start, end in suspended_periods(state, today):
        start = max(start, state.permit_order_date)  # the clock starts at the permit
        if start > deadline:
            break  # a suspension after the deadline cannot revive the clock
        if end > start:
            deadline += timedelta(days=(end - start).days)
    return deadline


def days_remaining(state: PathwayState, today: date) -> int | None:
    """Days left until the deadline (0 on the day itself, negative once past)."""
    deadline = effective_deadline(state, today)
    return None if deadline is None else (deadline - today).days


def is_suspended(state: PathwayState, today: date) -> bool:
    return any(s.start <= today and (s.end is None or today < s.end)
               for s in state.suspensions)


def open_suspensions(state: PathwayState) -> list[Suspension]:
    return [s for s in state.suspensions if s.end is None]


def _on_extended(state: PathwayState, data: dict[str, Any]) -> PathwayState:
    return replace(state, extensions=state.extensions + (Extension.from_data(precise(data)),))


def _on_suspended(state: PathwayState, data: dict[str, Any]) -> PathwayState:
    return replace(state, suspensions=state.suspensions + (
        Suspension.from_data(precise(data)),))


def _on_resumed(state: PathwayState, data: dict[str, Any]) -> PathwayState:
    resumed_on = as_date(data["resumed_on"])
    return replace(state, suspensions=tuple(
        replace(s, end=resumed_on) if s.suspension_id == data["suspension_id"] else s
        for s in state.suspensions))


HANDLERS = {DEADLINE_EXTENDED: _on_extended, CLOCK_SUSPENDED: _on_suspended,
            CLOCK_RESUMED: _on_resumed}
