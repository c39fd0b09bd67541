"""The deadline clock, from events alone: rule version by permit date, extensions and
their cap, suspensions (overlapping, open, resumed), days remaining."""
from __future__ import annotations

import pytest

from services.pathway.domain import (ExtendDeadline, ResumeClock, SuspendClock,
                                     base_deadline, days_remaining, decide_extend_deadline,
                                     decide_resume_clock, decide_suspend_clock,
                                     effective_deadline, suspended_days)
from shared.errors import DomainRuleViolation, ValidationFailed

from .builders import d, extended, opened, replay, resumed, run, suspended

TODAY = d("2024-09-01")


@pytest.mark.parametrize("permit, status, version, deadline", [
    ("2024-12-31", "obligated", "2016", "2026-06-30"),   # 18 months, old rules
    ("2025-01-01", "obligated", "2025", "2028-01-01"),   # 36 months from the reform
    ("2024-08-31", "obligated", "2016", "2026-02-28"),   # month end clamped
    ("2023-06-15", "obligated", "2016", "2024-12-15"),
    ("2025-03-01", "voluntary", "2025", None),           # voluntary: no deadline
    (None, "voluntary", "2016", None),                   # no permit: rules by opening date
    ("2025-03-01", "dispensed", "2025", None),           # opened on request: no deadline
])
def test_deadline_by_rule_version(permit, status, version, deadline):
    state = replay(opened(permit, status, opened_on="2024-06-01" if permit is None
                          else max(permit, "2024-06-01")))
    assert state.rule_version == version
    assert effective_deadline(state, d("2025-06-01")) == (deadline and d(deadline))


# permit 2024-01-10 -> base deadline 2025-07-10 under the 2016 rules
@pytest.mark.parametrize("events, today, deadline, days", [
    ([], "2024-09-01", "2025-07-10", 0),
    ([suspended("s1", "2024-03-01", "2024-03-11")], "2024-09-01", "2025-07-20", 10),
    # overlapping: 1-11 and 6-21 March cover 20 days, not 10 + 15
    ([suspended("s1", "2024-03-01", "2024-03-11"),
      suspended("s2", "2024-03-06", "2024-03-21", "maternity")], "2024-09-01",
     "2025-07-30", 20),
    # nested inside another
    ([suspended("s1", "2024-03-01", "2024-04-01"),
      suspended("s2", "2024-03-10", "2024-03-20")], "2024-09-01", "2025-08-10", 31),
    # adjacent periods simply add up
    ([suspended("s1", "2024-03-01", "2024-03-11"),
      suspended("s2", "2024-03-11", "2024-03-21")], "2024-09-01", "2025-07-30", 20),
    # open suspension counts up to today
    ([suspended("s1", "2024-06-01")], "2024-06-11", "2025-07-20", 10),
    ([suspended("s1", "2024-06-01")], "2024-06-21", "2025-07-30", 20),
    # open then resumed: counting stops at the resumption
    ([suspended("s1", "2024-06-01"), resumed("s1", "2024-06-16")], "2024-09-01",
     "2025-07-25", 15),
    # before the permit order, the clock had not started: only 10 days count
    ([suspended("s1", "2023-12-01", "2024-01-20")], "2024-09-01", "2025-07-20", 50),
    # after the deadline: nothing to stop any more
    ([suspended("s1", "2025-08-01", "2025-09-01")], "2025-10-01", "2025-07-10", 31),
    # starting on the deadline day itself (still in time): it pushes the deadline
    ([suspended("s1", "2025-07-10", "2025-07-20")], "2025-09-01", "2025-07-20", 10),
    # straddling the deadline: the whole period pushes it
    ([suspended("s1", "2025-07-01", "2025-08-01")], "2025-09-01", "2025-08-10", 31),
    # a second period starting after the base deadline but before the pushed one
    ([suspended("s1", "2025-07-01", "2025-07-11"),
      suspended("s2", "2025-07-15", "2025-07-25")], "2025-09-01", "2025-07-30", 20),
])
def test_suspensions_push_the_deadline(events, today, deadline, days):
    state = replay(opened("2024-01-10"), events)
    assert effective_deadline(state, d(today)) == d(deadline)
    assert suspended_days(state, d(today)) == days


@pytest.mark.parametrize("today, left", [
    ("2025-07-09", 1), ("2025-07-10", 0), ("2025-07-11", -1), ("2024-07-10", 365)])
def test_days_remaining(today, left):
    assert days_remaining(replay(opened("2024-01-10")), d(today)) == left


@pytest.mark.parametrize("permit, before, months, outcome", [
    ("2024-01-10", [], 6, "2026-01-10"),
    ("2024-01-10", [extended(6)], 12, "2027-01-10"),     # 18 + 18 = 36 months: the cap
    ("2024-01-10", [], 18, "2027-01-10"),
    ("2024-01-10", [extended(18)], 1, DomainRuleViolation),
    ("2024-01-10", [extended(12)], 7, DomainRuleViolation),
    ("2024-01-10", [], 19, DomainRuleViolation),
    ("2025-02-01", [], 1, DomainRuleViolation),  # 2025 rules: no extension (to confirm)
])
def test_extensions_and_their_cap(permit, before, months, outcome):
    state = replay(opened(permit, opened_on=max(permit, "2024-02-01")), before)
    command = ExtendDeadline(months=months, reason="training_unavailable")
    if outcome is DomainRuleViolation:
        with pytest.raises(DomainRuleViolation):
            decide_extend_deadline(state, command, d("2025-06-01"))
        return
    state, _ = run(state, decide_extend_deadline, command, d("2025-06-01"))
    assert base_deadline(state) == d(outcome)


@pytest.mark.parametrize("months, reason, field", [
    (0, "illness", "months"), (2.5, "illness", "months"), (3, "", "reason"),
    (3, "because", "reason")])
def test_extension_input_errors_are_field_level(months, reason, field):
    with pytest.raises(ValidationFailed) as err:
        decide_extend_deadline(replay(opened()), ExtendDeadline(months, reason), TODAY)
    assert field in err.value.fields


def test_voluntary_pathway_cannot_be_extended():
    with pytest.raises(DomainRuleViolation):
        decide_extend_deadline(replay(opened(None, "voluntary")),
                               ExtendDeadline(3, "illness"), TODAY)


def test_open_suspension_then_resumption_through_decisions():
    state = replay(opened("2024-01-10"))
    state, _ = run(state, decide_suspend_clock,
                   SuspendClock("s1", "absence_from_territory", d("2024-06-01")), TODAY)
    assert effective_deadline(state, d("2024-07-01")) == d("2025-08-09")  # 30 days so far
    state, events = run(state, decide_resume_clock, ResumeClock(d("2024-06-21")), TODAY)
    assert events[0].data == {"suspension_id": "s1", "resumed_on": "2024-06-21"}
    # once resumed, time passing no longer moves the deadline
    assert effective_deadline(state, d("2025-01-01")) == d("2025-07-30")
    with pytest.raises(DomainRuleViolation):
        decide_resume_clock(state, ResumeClock(), TODAY)


@pytest.mark.parametrize("command, field", [
    (SuspendClock("s9", "holiday", d("2024-06-01")), "reason"),
    (SuspendClock("s9", "illness", d("2024-06-10"), d("2024-06-10")), "end"),
    (SuspendClock("", "illness", d("2024-06-10")), "suspension_id"),
])
def test_suspension_input_errors(command, field):
    with pytest.raises(ValidationFailed) as err:
        decide_suspend_clock(replay(opened()), command, TODAY)
    assert field in err.value.fields


def test_resumption_needs_an_id_when_several_are_open_and_not_before_start():
    state = replay(opened(), suspended("a", "2024-05-01"), suspended("b", "2024-06-01"))
    with pytest.raises(ValidationFailed) as err:
        decide_resume_clock(state, ResumeClock(d("2024-07-01")), TODAY)
    assert "suspension_id" in err.value.fields
    with pytest.raises(ValidationFailed) as err:
        decide_resume_clock(state, ResumeClock(d("2024-05-15"), "b"), TODAY)
    assert "resumed_on" in err.value.fields
    state, _ = run(state, decide_resume_clock, ResumeClock(d("2024-07-01"), "b"), TODAY)
    # "a" still open: union of [05-01, today) only
    assert suspended_days(state, TODAY) == (TODAY - d("2024-05-01")).days
