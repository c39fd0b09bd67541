"""Commands on the deadline clock: extensions ("prolongations"), suspensions and
resumptions ("reprise").

Extensions need a reason code and stay within the rule version's cap counted from the
permit order (2016 rules: 36 months; 2025 rules: no extension — to confirm).
"""
from __future__ import annotations

from datetime import date

from shared.messages import DomainEvent

from .clock import extension_months, has_deadline, open_suspensions
from .commands import ExtendDeadline, ResumeClock, SuspendClock
from .event_names import CLOCK_RESUMED, CLOCK_SUSPENDED, DEADLINE_EXTENDED
from .protected import split
from .guards import Problems, require_active, require_not_completed, violation
from .records import Extension, Suspension, iso
from .rules import rules_for
from .state import PathwayState
from .vocab import EXTENSION_REASONS, SUSPENSION_REASONS


def decide_extend_deadline(state: PathwayState, command: ExtendDeadline,
                           today: date) -> list[DomainEvent]:
    require_active(state)
    require_not_completed(state)
    if not has_deadline(state):
        raise violation("ce parcours n'a pas d'échéance (public volontaire ou dispensé)",
                        "this pathway has no deadline (voluntary or dispensed)")
    granted_on = command.granted_on or today
    p = Problems()
    p.choice("reason", command.reason, EXTENSION_REASONS)
    p.not_future("granted_on", granted_on, today)
    if isinstance(command.months, bool) or not isinstance(command.months, int) \
            or command.months < 1:
        p.add("months", "nombre entier de mois, au moins 1", "whole months, at least 1")
    p.raise_if_any()
    rules = rules_for(state.rule_version)
    allowed = rules.max_months_from_permit - rules.deadline_months - extension_months(state)
    if command.months > allowed:
        raise violation(
            f"prolongation refusée : au plus {rules.max_months_from_permit} mois depuis "
            f"l'ordre de délivrance du titre de séjour (règles {rules.version}), "
            f"reste {max(allowed, 0)} mois",
            f"extension refused: at most {rules.max_months_from_permit} months from the "
            f"permit order ({rules.version} rules), {max(allowed, 0)} months left",
            months_left=max(allowed, 0))
    extension = Extension(command.months, command.reason, granted_on)
    return [DomainEvent(DEADLINE_EXTENDED, split(DEADLINE_EXTENDED, extension.to_data()), 2)]


def decide_suspend_clock(state: PathwayState, command: SuspendClock,
                         today: date) -> list[DomainEvent]:
    require_active(state)
    require_not_completed(state)
    p = Problems()
    p.required("suspension_id", command.suspension_id)
    p.choice("reason", command.reason, SUSPENSION_REASONS)
    p.required("start", command.start)
    if command.start and command.end and command.end <= command.start:
        p.add("end", "doit suivre la date de début", "must come after the start date")
    p.raise_if_any()
    if any(s.suspension_id == command.suspension_id for s in state.suspensions):
        raise violation("cette suspension est déjà enregistrée",
                        "this suspension is already recorded")
    suspension = Suspension(command.suspension_id, command.reason, command.start,
                            command.end)
    return [DomainEvent(CLOCK_SUSPENDED, split(CLOCK_SUSPENDED, suspension.to_data()), 2)]


def decide_resume_clock(state: PathwayState, command: ResumeClock,
                        today: date) -> list[DomainEvent]:
    require_active(state)
    open_ = open_suspensions(state)
    if not open_:
        raise violation("aucune suspension en cours", "no suspension is open")
    p = Problems()
    if command.suspension_id is None and len(open_) > 1:
        p.add("suspension_id", "plusieurs suspensions en cours : préciser laquelle",
              "several suspensions are open: say which one")
    p.raise_if_any()
    target = open_[0] if command.suspension_id is None else next(
        (s for s in open_ if s.suspension_id == command.suspension_id), None)
    if target is None:
        raise violation("cette suspension n'est pas en cours", "this suspension is not open")
    resumed_on = command.resumed_on or today
    p.not_future("resumed_on", resumed_on, today)  # a planned end is a suspension's `end`
    if resumed_on < target.start:
        p.add("resumed_on", "antérieure au début de la suspension",
              "before the suspension's start")
    p.raise_if_any()
    return [DomainEvent(CLOCK_RESUMED, {"suspension_id": target.suspension_id,
                                        "resumed_on": iso(resumed_on)})]

