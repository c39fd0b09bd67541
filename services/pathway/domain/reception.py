"""The reception module ("module d'accueil"): information on rights and duties,
"bilan social", French test (CEFR), help with administrative steps.

Each step is recorded once; the event "ReceptionModuleCompleted" is emitted with the
last of the four, so the convention can then be signed.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from shared.messages import DomainEvent

from .commands import RecordReceptionStep
from .event_names import RECEPTION_MODULE_COMPLETED, RECEPTION_STEP_RECORDED
from .guards import Problems, require_active, violation
from .records import ReceptionStep, as_date, iso
from .state import PathwayState
from .vocab import CEFR_LEVELS, INFORMATION_SESSIONS, RECEPTION_STEPS


def decide_record_reception_step(state: PathwayState, command: RecordReceptionStep,
                                 today: date) -> list[DomainEvent]:
    require_active(state)
    step = _validated_step(command, today)
    existing = state.step(step.step)
    if existing == step:
        return []  # the same fact delivered again (intake events are at-least-once)
    if existing is not None:
        raise violation(f"l'étape « {step.step} » du module d'accueil est déjà enregistrée",
                        f"reception step '{step.step}' is already recorded",
                        step=step.step)
    events = [DomainEvent(RECEPTION_STEP_RECORDED, step.to_data())]
    steps = state.reception + (step,)
    if {s.step for s in steps} == set(RECEPTION_STEPS):
        # Steps may be recorded out of date order: the module ends on its latest step.
        completed_on = max(s.done_on for s in steps)
        events.append(DomainEvent(RECEPTION_MODULE_COMPLETED,
                                  {"completed_on": iso(completed_on)}))
    return events


def _validated_step(command: RecordReceptionStep, today: date) -> ReceptionStep:
    p = Problems()
    p.choice("step", command.step, RECEPTION_STEPS)
    p.required("done_on", command.done_on)
    p.not_future("done_on", command.done_on, today)
    session = level = needs_osp = None
    if command.step == "information":
        p.choice("session", command.session, INFORMATION_SESSIONS)
        session = command.session
    elif command.step == "french_test":
        p.choice("french_level", command.french_level, CEFR_LEVELS)
        level = command.french_level
    elif command.step == "bilan_social":
        if not isinstance(command.needs_osp, bool):
            p.add("needs_osp", "le bilan social doit dire si une orientation "
                  "socioprofessionnelle est nécessaire",
                  "the bilan social must say whether orientation (OSP) is needed")
        needs_osp = command.needs_osp
    p.raise_if_any()
    return ReceptionStep(command.step, command.done_on, session, level, needs_osp)


def _on_step(state: PathwayState, data: dict[str, Any]) -> PathwayState:
    return replace(state, reception=state.reception + (ReceptionStep.from_data(data),))


def _on_completed(state: PathwayState, data: dict[str, Any]) -> PathwayState:
    return replace(state, reception_completed_on=as_date(data["completed_on"]))


HANDLERS = {RECEPTION_STEP_RECORDED: _on_step, RECEPTION_MODULE_COMPLETED: _on_completed}
