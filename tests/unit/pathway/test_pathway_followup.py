"""Evaluation interviews, the coordinators' work queue and the non-compliance flag."""
from __future__ import annotations

from datetime import timedelta

import pytest

from services.pathway.domain import (FlagNonCompliance, IssueAttestation, RecordInterview,
                                     ScheduleInterview, decide_issue_attestation,
                                     deadline_horizon, decide_flag_non_compliance,
                                     decide_record_interview, decide_schedule_interview,
                                     effective_deadline, interview_overdue,
                                     next_interview_due, past_deadline, work_queue_items)
from services.pathway.domain import event_names as n
from shared.errors import DomainRuleViolation, ValidationFailed

from .builders import (all_trainings, credited, d, extended, followed, interview, opened,
                       replay, run, suspended)

# followed(): permit 2024-01-10 (deadline 2025-07-10), convention signed 2024-03-01


@pytest.mark.parametrize("events, due", [
    ([], "2024-09-01"),
    ([interview("i1", "2024-06-15")], "2024-12-15"),
    ([interview("i1", "2024-06-15"), interview("i2", "2024-08-01", attended=False)],
     "2024-12-15"),                                  # a missed interview resets nothing
    ([interview("i2", "2024-11-30"), interview("i1", "2024-06-15")], "2025-05-30"),
])
def test_next_interview_due(events, due):
    assert next_interview_due(replay(events, state=followed())) == d(due)


def test_no_interview_due_before_the_convention():
    assert next_interview_due(replay(opened())) is None


@pytest.mark.parametrize("events, today, overdue", [
    ([], "2024-09-01", False),                       # due day itself: still in time
    ([], "2024-09-02", True),
    ([interview("i1", "2024-08-30")], "2024-09-02", False),
    ([suspended("s1", "2024-08-15")], "2024-09-02", False),  # clock stopped: not chased
    ([suspended("s1", "2024-08-15", "2024-09-01")], "2024-09-02", True),
])
def test_interview_overdue(events, today, overdue):
    state = replay(events, state=followed())
    assert interview_overdue(state, d(today)) is overdue
    assert ("interview_overdue" in work_queue_items(state, d(today))) is overdue


def test_schedule_then_record_an_interview():
    state = followed()
    state, _ = run(state, decide_schedule_interview,
                   ScheduleInterview("i1", d("2024-08-20")), d("2024-08-01"))
    assert next_interview_due(state) == d("2024-09-01")   # scheduling alone changes nothing
    command = RecordInterview("i1", d("2024-08-20"), True, "irregular", ("childcare",),
                              ("french_level_reached",), extension_needed=True)
    state, _ = run(state, decide_record_interview, command, d("2024-08-21"))
    recorded = state.interviews[0]
    assert (recorded.scheduled_for, recorded.absence_reasons, recorded.extension_needed) \
        == (d("2024-08-20"), ("childcare",), True)
    assert next_interview_due(state) == d("2025-02-20")
    with pytest.raises(DomainRuleViolation):
        decide_record_interview(state, command, d("2024-08-21"))
    with pytest.raises(ValidationFailed) as err:
        decide_record_interview(state, RecordInterview("i2", d("2024-08-22"), True,
                                                       absence_reasons=("lazy",)),
                                d("2024-08-22"))
    assert "absence_reasons" in err.value.fields


# permit 2025-01-01 -> deadline 2028-01-01
@pytest.mark.parametrize("days_before, horizon", [
    (91, None), (90, 90), (61, 90), (60, 60), (31, 60), (30, 30), (1, 30), (0, 30),
    (-1, None)])
def test_deadline_horizons(days_before, horizon):
    state = replay(opened("2025-01-01", opened_on="2025-01-15"))
    today = d("2028-01-01") - timedelta(days=days_before)
    assert deadline_horizon(state, today) == horizon
    assert past_deadline(state, today) is (days_before < 0)


@pytest.mark.parametrize("events", [
    [opened(None, "voluntary", opened_on="2025-01-15")],
    [opened("2025-01-01", "dispensed", opened_on="2025-01-15")],
])
def test_no_deadline_work_for_people_without_obligation(events):
    state = replay(events)
    for today in ("2027-12-01", "2028-01-01", "2030-01-01"):
        assert deadline_horizon(state, d(today)) is None
        assert not past_deadline(state, d(today))
    with pytest.raises(DomainRuleViolation):
        decide_flag_non_compliance(state, FlagNonCompliance(), d("2030-01-01"))


def test_non_compliance_flagged_once_per_deadline_with_the_facts():
    state = replay(interview("i1", "2024-06-15"), credited("c1", "citizenship", 10),
                   state=followed())
    with pytest.raises(DomainRuleViolation):     # deadline day: still in time
        decide_flag_non_compliance(state, FlagNonCompliance(), d("2025-07-10"))
    today = d("2025-07-11")
    assert "non_compliance_to_flag" in work_queue_items(state, today)
    state, events = run(state, decide_flag_non_compliance, FlagNonCompliance(), today)
    assert events[0].type == n.NON_COMPLIANCE_FLAGGED
    assert events[0].data == {
        "flagged_on": "2025-07-11", "deadline": "2025-07-10", "rule_version": "2016",
        "convention_signed": True, "last_interview_on": "2024-06-15",
        "hours": [{"training": "citizenship", "required": 60.0, "credited": 10.0,
                   "done": False},
                  {"training": "french", "required": 400.0, "credited": 0.0,
                   "done": False}]}
    assert decide_flag_non_compliance(state, FlagNonCompliance(), today) == []
    assert work_queue_items(state, today) == ["interview_overdue", "past_deadline"]
    # an extension gives a new deadline; missing it again is a new flag
    state = replay(extended(2, "2025-07-20"), state=state)
    assert effective_deadline(state, today) == d("2025-09-10")
    assert not past_deadline(state, today)
    assert len(decide_flag_non_compliance(state, FlagNonCompliance(),
                                          d("2025-09-11"))) == 1


def test_a_completed_pathway_leaves_the_work_queue():
    state = replay(all_trainings(), state=followed())
    state, _ = run(state, decide_issue_attestation,
                   IssueAttestation("CRIPEL-2025-000001", "J.D."), d("2025-06-01"))
    later = d("2026-01-01")
    assert work_queue_items(state, later) == []
    assert next_interview_due(state) is None
