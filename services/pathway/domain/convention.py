"""The reception agreement ("convention d'accueil") and the state of its trainings.

Signing fixes the required trainings: citizenship (FIC) always; French (FLE) unless
level A2 is already proven; socio-professional orientation (OSP) when the bilan social
showed the need. `requirements_status` says, per training, what is credited and done.
"""
from __future__ import annotations

import math
from dataclasses import replace
from datetime import date
from typing import Any

from shared.messages import DomainEvent

from .commands import SignConvention
from .event_names import CONVENTION_SIGNED
from .guards import Problems, require_active, require_not_completed, violation
from .records import Convention, Requirement
from .rules import rules_for
from .state import PathwayState
from .vocab import FRENCH_EXEMPTION_LEVEL, TRAININGS, level_at_least


def decide_sign_convention(state: PathwayState, command: SignConvention,
                           today: date) -> list[DomainEvent]:
    require_active(state)
    require_not_completed(state)
    if state.convention is not None:
        raise violation("la convention d'accueil est déjà signée",
                        "the reception agreement is already signed")
    if state.reception_completed_on is None:
        raise violation("la convention se signe après le module d'accueil complet",
                        "the agreement can be signed only after the full reception module")
    signed_on = command.signed_on or today
    p = Problems()
    p.not_future("signed_on", signed_on, today)
    if signed_on < state.reception_completed_on:
        p.add("signed_on", "antérieure à la fin du module d'accueil",
              "before the end of the reception module")
    if command.osp_hours is not None and command.osp_hours < 0:
        p.add("osp_hours", "doit être positif ou nul", "must be zero or more")
    p.raise_if_any()
    rules = rules_for(state.rule_version)
    requirements = [Requirement("citizenship", rules.citizenship_hours)]
    if not french_level_reached(state):
        requirements.append(Requirement("french", rules.french_hours))
    if state.needs_osp:
        osp = rules.osp_hours if command.osp_hours is None else float(command.osp_hours)
        requirements.append(Requirement("osp", osp))
    return [DomainEvent(CONVENTION_SIGNED,
                        Convention(signed_on, tuple(requirements)).to_data())]


def french_level_reached(state: PathwayState) -> bool:
    """A2 or above, proven at the reception test or later."""
    return (level_at_least(state.french_test_level, FRENCH_EXEMPTION_LEVEL)
            or state.french_level_proven is not None)


def hours_credited(state: PathwayState) -> dict[str, float]:
    """Per training. Credits are kept sorted, so totals never depend on arrival order;
    `fsum` avoids float drift over hundreds of small entries."""
    return {t: round(math.fsum(c.hours for c in state.credits if c.training == t), 2)
            for t in TRAININGS}


def requirements_status(state: PathwayState) -> dict[str, dict[str, Any]]:
    """Per required training: required, credited, remaining hours, done, ended_by."""
    if state.convention is None:
        return {}
    credited = hours_credited(state)
    out: dict[str, dict[str, Any]] = {}
    for req in state.convention.requirements:
        got = credited[req.training]
        ended_by = _ended_by(state, req, got)
        out[req.training] = {
            "required": req.hours_required, "credited": got,
            "remaining": 0.0 if ended_by else round(max(0.0, req.hours_required - got), 2),
            "done": ended_by is not None, "ended_by": ended_by,
        }
    return out


def _ended_by(state: PathwayState, req: Requirement, credited: float) -> str | None:
    if req.training == "french" and state.french_level_proven:
        return "level_proven"   # FLE stops as soon as A2 is proven
    if req.training == "osp" and state.orientation_completed_on:
        return "operator_report"
    # An OSP requirement of 0 h is met only by the operator's report, never by hours.
    if req.hours_required > 0 and credited >= req.hours_required:
        return "hours"
    return None


def all_trainings_done(state: PathwayState) -> bool:
    status = requirements_status(state)
    return bool(status) and all(s["done"] for s in status.values())


def _on_signed(state: PathwayState, data: dict[str, Any]) -> PathwayState:
    return replace(state, convention=Convention.from_data(data))


HANDLERS = {CONVENTION_SIGNED: _on_signed}
