"""What the API shows of a pathway: the full view, the list summary, and the work queues.

Pure functions of the folded state and today's date (the clock moves every day, so
nothing date-dependent is stored). `QUEUES` decides membership; which documents are
candidates, in which order, is service_layer/queues.py (no scan of the read model).
"""
from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any, Callable, Iterable

from services.pathway.domain import (PathwayState, all_trainings_done, base_deadline,
                                     days_remaining, deadline_within, effective_deadline,
                                     hours_credited, interview_overdue, is_suspended,
                                     next_interview_due, past_deadline, requirements_status,
                                     suspended_days, work_queue_items)
from services.pathway.domain.clock import has_deadline
from services.pathway.domain.records import iso
from shared.events.canonical import json_types


def clock_view(state: PathwayState, today: date) -> dict[str, Any]:
    return {
        "has_deadline": has_deadline(state),
        "rule_version": state.rule_version,
        "clock_start": iso(state.permit_order_date),
        "base_deadline": iso(base_deadline(state)),
        "deadline": iso(effective_deadline(state, today)),
        "days_remaining": days_remaining(state, today),
        "suspended": is_suspended(state, today),
        "suspended_days": suspended_days(state, today),
        "extensions": [json_types(e.to_data()) for e in state.extensions],
        "suspensions": [json_types(s.to_data()) for s in state.suspensions],
    }


def pathway_view(person_id: str, state: PathwayState, version: int, today: date
                 ) -> dict[str, Any]:
    return {
        "person_id": person_id, "pseudonym": state.pseudonym, "centre": state.centre,
        "status": state.status, "eligibility": state.eligibility_status,
        "opened_on": iso(state.opened_on), "on_request": state.on_request,
        "justification": state.justification,
        "previous_centres": list(state.previous_centres), "version": version,
        "reception": {"steps": [s.to_data() for s in state.reception],
                      "completed_on": iso(state.reception_completed_on)},
        "convention": state.convention.to_data() if state.convention else None,
        "requirements": requirements_status(state),
        "trainings_done": all_trainings_done(state),
        "hours_credited": hours_credited(state),
        "credits": [c.to_data() for c in state.credits],
        "french": {"test_level": state.french_test_level,
                   "proven_level": state.french_level_proven,
                   "proven_on": iso(state.french_proven_on)},
        "orientation_completed_on": iso(state.orientation_completed_on),
        "clock": clock_view(state, today),
        "interviews": {"items": [i.to_data() for i in state.interviews],
                       "next_due": iso(next_interview_due(state)),
                       "overdue": interview_overdue(state, today)},
        "non_compliance_flags": [f.to_data() for f in state.flags],
        "work_queue": work_queue_items(state, today),
        "transfers": [json_types(asdict(t)) for t in state.transfers],
        "attestations": [json_types(asdict(a)) for a in state.attestations],
    }


def summary(person_id: str, state: PathwayState, today: date) -> dict[str, Any]:
    return {
        "person_id": person_id, "pseudonym": state.pseudonym, "status": state.status,
        "eligibility": state.eligibility_status, "rule_version": state.rule_version,
        "opened_on": iso(state.opened_on), "forwarded_to": state.forwarded_to,
        "convention_signed": state.convention is not None,
        "trainings_done": all_trainings_done(state),
        "deadline": iso(effective_deadline(state, today)) if state.status == "open" else None,
        "days_remaining": days_remaining(state, today) if state.status == "open" else None,
        "next_interview_due": iso(next_interview_due(state)),
        "work_queue": work_queue_items(state, today),
    }


QUEUES: dict[str, Callable[[PathwayState, date], bool]] = {
    "interviews-overdue": interview_overdue,
    "deadline-30": lambda s, t: deadline_within(s, t, 30),
    "deadline-60": lambda s, t: deadline_within(s, t, 60),
    "deadline-90": lambda s, t: deadline_within(s, t, 90),
    "past-deadline": past_deadline,
    "non-compliance": lambda s, t: past_deadline(s, t) and s.eligibility_status == "obligated",
}


def page(items: Iterable[dict[str, Any]], page_no: int, page_size: int) -> dict[str, Any]:
    items = list(items)
    start = (page_no - 1) * page_size
    return {"items": items[start:start + page_size], "total": len(items),
            "page": page_no, "page_size": page_size}
