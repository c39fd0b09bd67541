"""The pathway's transferable history ("dossier de transfert"), for "PathwayReceived".

`export_history` gives everything the receiving centre needs so the clock and the hours
continue: permit date, rule version, suspensions, extensions, interviews, convention,
hours per training with attendance ids. It carries ids and codes only, no personal data.
`import_history` rebuilds an open pathway at the receiver from it; `transfer_preview`
is the minimal summary the receiver decides on.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from .clock import effective_deadline, is_suspended
from .convention import requirements_status
from .records import (Convention, Credit, Extension, Flag, Interview, ReceptionStep,
                      Suspension, as_date, iso)
from .state import PathwayState
from .vocab import RECEPTION_STEPS


def export_history(state: PathwayState) -> dict[str, Any]:
    return {
        "person_id": state.person_id,
        "pseudonym": state.pseudonym,
        "centre": state.centre,
        "previous_centres": list(state.previous_centres),
        "status": state.eligibility_status,
        "permit_order_date": iso(state.permit_order_date),
        "rule_version": state.rule_version,
        "opened_on": iso(state.opened_on),
        "on_request": state.on_request,
        "justification": state.justification,
        "reception": [s.to_data() for s in sorted(
            state.reception, key=lambda s: RECEPTION_STEPS.index(s.step))],
        "reception_completed_on": iso(state.reception_completed_on),
        "convention": state.convention.to_data() if state.convention else None,
        "credits": [c.to_data() for c in state.credits],
        "french_level_proven": state.french_level_proven,
        "french_proven_on": iso(state.french_proven_on),
        "orientation_completed_on": iso(state.orientation_completed_on),
        "extensions": [e.to_data() for e in state.extensions],
        "suspensions": [s.to_data() for s in state.suspensions],
        "interviews": [i.to_data() for i in state.interviews],
        "flags": [f.to_data() for f in state.flags],
    }


def import_history(history: dict[str, Any], centre: str) -> PathwayState:
    """An open pathway at `centre`; the exporting centre joins `previous_centres`."""
    convention = history["convention"]
    return PathwayState(
        status="open",
        person_id=history["person_id"],
        pseudonym=history["pseudonym"],
        centre=centre,
        previous_centres=tuple(history["previous_centres"]) + (history["centre"],),
        eligibility_status=history["status"],
        permit_order_date=as_date(history["permit_order_date"]),
        rule_version=history["rule_version"],
        opened_on=as_date(history["opened_on"]),
        on_request=history["on_request"],
        justification=history["justification"],
        reception=tuple(ReceptionStep.from_data(s) for s in history["reception"]),
        reception_completed_on=as_date(history["reception_completed_on"]),
        convention=Convention.from_data(convention) if convention else None,
        credits=tuple(sorted((Credit.from_data(c) for c in history["credits"]),
                             key=lambda c: (c.session_date, c.attendance_id))),
        french_level_proven=history["french_level_proven"],
        french_proven_on=as_date(history["french_proven_on"]),
        orientation_completed_on=as_date(history["orientation_completed_on"]),
        extensions=tuple(Extension.from_data(e) for e in history["extensions"]),
        suspensions=tuple(Suspension.from_data(s) for s in history["suspensions"]),
        interviews=tuple(Interview.from_data(i) for i in history["interviews"]),
        flags=tuple(Flag.from_data(f) for f in history["flags"]),
    )


def transfer_preview(state: PathwayState, today: date) -> dict[str, Any]:
    """What the receiving centre sees before accepting: no id, no personal data.

    `today` is needed because an open suspension keeps pushing the deadline.
    """
    status = requirements_status(state)
    deadline = effective_deadline(state, today)
    return {
        "status": state.eligibility_status,
        "rule_version": state.rule_version,
        "deadline": iso(deadline),
        "clock_suspended": is_suspended(state, today),
        "convention_signed": state.convention is not None,
        "hours": {t: {"done": s["credited"], "required": s["required"],
                      "completed": s["done"]} for t, s in status.items()},
    }
