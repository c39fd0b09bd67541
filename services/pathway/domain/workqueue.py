"""Coordinators' work queue ("file de travail"): pure predicates over state and today,
and the non-compliance flag ("signalement de non-respect").

The system never fines: past the deadline, an obligated person's pathway is flagged once
per effective deadline with the facts a regional official needs (deadline, hours
credited against required, last interview).
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from shared.messages import DomainEvent

from .clock import days_remaining, effective_deadline
from .commands import FlagNonCompliance
from .convention import requirements_status
from .event_names import NON_COMPLIANCE_FLAGGED
from .guards import Problems, require_active, violation
from .interviews import interview_overdue, last_interview
from .records import Flag, iso
from .state import PathwayState

DEADLINE_HORIZONS = (30, 60, 90)


def _followed(state: PathwayState) -> bool:
    """Open here and not yet completed by a valid attestation."""
    return state.status == "open" and not state.has_valid_attestation


def deadline_within(state: PathwayState, today: date, days: int) -> bool:
    """Deadline not yet past and at most `days` away."""
    left = days_remaining(state, today) if _followed(state) else None
    return left is not None and 0 <= left <= days


def deadline_horizon(state: PathwayState, today: date) -> int | None:
    """The smallest of 30/60/90 days the deadline falls within, if any."""
    return next((d for d in DEADLINE_HORIZONS if deadline_within(state, today, d)), None)


def past_deadline(state: PathwayState, today: date) -> bool:
    left = days_remaining(state, today) if _followed(state) else None
    return left is not None and left < 0


def needs_non_compliance_flag(state: PathwayState, today: date) -> bool:
    if not past_deadline(state, today):
        return False
    deadline = effective_deadline(state, today)
    return all(f.deadline != deadline for f in state.flags)


def work_queue_items(state: PathwayState, today: date) -> list[str]:
    """What a coordinator should look at for this pathway today."""
    items = []
    if interview_overdue(state, today):
        items.append("interview_overdue")
    horizon = deadline_horizon(state, today)
    if horizon is not None:
        items.append(f"deadline_within_{horizon}")
    if past_deadline(state, today):
        items.append("past_deadline")
    if needs_non_compliance_flag(state, today):
        items.append("non_compliance_to_flag")
    return items


def decide_flag_non_compliance(state: PathwayState, command: FlagNonCompliance,
                               today: date) -> list[DomainEvent]:
    require_active(state)
    flagged_on = command.flagged_on or today
    p = Problems()
    p.not_future("flagged_on", flagged_on, today)
    p.raise_if_any()
    if not past_deadline(state, flagged_on):
        raise violation("pas de non-respect : personne non obligée, parcours terminé "
                        "ou échéance non dépassée",
                        "no non-compliance: not obligated, completed, or deadline not past")
    if not needs_non_compliance_flag(state, flagged_on):
        return []  # already flagged for this deadline
    last = last_interview(state)
    return [DomainEvent(NON_COMPLIANCE_FLAGGED, {
        "flagged_on": iso(flagged_on),
        "deadline": iso(effective_deadline(state, flagged_on)),
        "rule_version": state.rule_version,
        "convention_signed": state.convention is not None,
        "hours": [{"training": t, "required": s["required"], "credited": s["credited"],
                   "done": s["done"]} for t, s in requirements_status(state).items()],
        "last_interview_on": iso(last.held_on) if last else None,
    })]


def _on_flagged(state: PathwayState, data: dict[str, Any]) -> PathwayState:
    return replace(state, flags=state.flags + (Flag.from_data(data),))


HANDLERS = {NON_COMPLIANCE_FLAGGED: _on_flagged}
