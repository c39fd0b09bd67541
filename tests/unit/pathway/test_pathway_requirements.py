"""Reception module, convention requirements and hours credited: idempotent,
order-independent, A2 reached mid-way, OSP by operator report."""
from __future__ import annotations

import itertools

import pytest

from services.pathway.domain import (CompleteOrientation, CreditHours, ProveFrenchLevel,
                                     RecordReceptionStep, SignConvention, all_trainings_done,
                                     decide_complete_orientation, decide_credit_hours,
                                     decide_prove_french_level, decide_record_reception_step,
                                     decide_sign_convention, requirements_status)
from services.pathway.domain import event_names as n
from shared.errors import DomainRuleViolation, ValidationFailed

from .builders import credited, d, followed, opened, proven, reception, replay, run

TODAY = d("2024-09-01")


def _required(state):
    return {t: s["required"] for t, s in requirements_status(state).items()}


@pytest.mark.parametrize("level, extra, needs_osp, osp_hours, expected", [
    ("A1", [], False, None, {"citizenship": 60, "french": 400}),
    ("A0", [], True, None, {"citizenship": 60, "french": 400, "osp": 0}),
    ("A2", [], False, None, {"citizenship": 60}),            # A2 at the test
    ("B2", [], True, 20, {"citizenship": 60, "osp": 20}),     # OSP hours configured
    ("A1", [proven("B1", "2024-02-20")], False, None, {"citizenship": 60}),  # later proof
])
def test_convention_requirements(level, extra, needs_osp, osp_hours, expected):
    state = replay(opened(), reception(level=level, needs_osp=needs_osp), extra)
    state, _ = run(state, decide_sign_convention,
                   SignConvention(d("2024-03-01"), osp_hours=osp_hours), TODAY)
    assert _required(state) == expected


def test_reception_module_completes_with_its_last_step_only():
    state = replay(opened())
    steps = [RecordReceptionStep("french_test", d("2024-02-20"), french_level="A1"),
             RecordReceptionStep("information", d("2024-02-10"), session="individual"),
             RecordReceptionStep("bilan_social", d("2024-02-25"), needs_osp=True)]
    for command in steps:
        state, events = run(state, decide_record_reception_step, command, TODAY)
        assert [e.type for e in events] == [n.RECEPTION_STEP_RECORDED]
    with pytest.raises(DomainRuleViolation):   # no convention before the module is done
        decide_sign_convention(state, SignConvention(d("2024-03-01")), TODAY)
    state, events = run(state, decide_record_reception_step,
                        RecordReceptionStep("administrative_help", d("2024-02-15")), TODAY)
    assert [e.type for e in events] == [n.RECEPTION_STEP_RECORDED,
                                        n.RECEPTION_MODULE_COMPLETED]
    assert state.reception_completed_on == d("2024-02-25")  # latest step, not last recorded
    assert state.needs_osp and state.french_test_level == "A1"
    # the same step again is a no-op; a different one is refused
    assert decide_record_reception_step(state, steps[0], TODAY) == []
    with pytest.raises(DomainRuleViolation):
        decide_record_reception_step(state, RecordReceptionStep(
            "french_test", d("2024-02-20"), french_level="B1"), TODAY)


@pytest.mark.parametrize("command, field", [
    (RecordReceptionStep("french_test", d("2024-02-20")), "french_level"),
    (RecordReceptionStep("information", d("2024-02-20"), session="online"), "session"),
    (RecordReceptionStep("bilan_social", d("2024-02-20")), "needs_osp"),
    (RecordReceptionStep("welcome_drink", d("2024-02-20")), "step"),
    (RecordReceptionStep("administrative_help", d("2024-12-20")), "done_on"),  # future
])
def test_reception_step_input_errors(command, field):
    with pytest.raises(ValidationFailed) as err:
        decide_record_reception_step(replay(opened()), command, TODAY)
    assert field in err.value.fields


CREDITS = [credited("a", "citizenship", 0.1), credited("b", "citizenship", 0.2),
           credited("c", "citizenship", 0.3), credited("d", "french", 2.5),
           credited("e", "citizenship", 19.4, "2024-03-15"),
           credited("f", "citizenship", 20, "2024-03-15"),
           credited("g", "citizenship", 20, "2024-03-16")]


# 0.1 + 0.2 + 0.3 ... in floats depends on the order: the totals must not
@pytest.mark.parametrize("order", list(itertools.permutations(range(7)))[::251])
def test_hours_out_of_order_give_the_same_state(order):
    state = replay([CREDITS[i] for i in order], state=followed())
    assert state == replay(CREDITS, state=followed())
    status = requirements_status(state)
    assert status["citizenship"]["credited"] == 60.0 and status["citizenship"]["done"]
    assert status["french"]["credited"] == 2.5 and status["french"]["remaining"] == 397.5


def test_hours_credited_twice_count_once():
    state = followed()
    command = CreditHours("att-1", "french", 3, d("2024-04-02"))
    state, events = run(state, decide_credit_hours, command, TODAY)
    assert len(events) == 1
    assert decide_credit_hours(state, command, TODAY) == []
    # even if a duplicate reached the stream, replay counts it once
    state = replay(credited("att-1", "french", 3, "2024-04-02"), state=state)
    assert requirements_status(state)["french"]["credited"] == 3.0


@pytest.mark.parametrize("hours", [0, -1, 25, True])
def test_hours_must_be_a_plausible_session(hours):
    with pytest.raises(ValidationFailed) as err:
        decide_credit_hours(followed(), CreditHours("x", "french", hours, TODAY), TODAY)
    assert "hours" in err.value.fields


def test_a2_reached_midway_ends_the_french_requirement():
    state = replay([credited(f"f{i}", "french", 10, f"2024-04-{i:02d}")
                    for i in range(1, 16)], state=followed())
    assert requirements_status(state)["french"]["remaining"] == 250.0
    with pytest.raises(ValidationFailed):   # A1 proves nothing
        decide_prove_french_level(state, ProveFrenchLevel("A1"), TODAY)
    state, _ = run(state, decide_prove_french_level, ProveFrenchLevel("A2"), TODAY)
    french = requirements_status(state)["french"]
    assert french == {"required": 400.0, "credited": 150.0, "remaining": 0.0,
                      "done": True, "ended_by": "level_proven"}
    assert not all_trainings_done(state)    # citizenship still owed
    state = replay(credited("fic", "citizenship", 24, "2024-05-01"),
                   credited("fic2", "citizenship", 24, "2024-05-02"),
                   credited("fic3", "citizenship", 12, "2024-05-03"), state=state)
    assert all_trainings_done(state)


def test_osp_without_hours_is_done_only_by_the_operator_report():
    state = replay(credited("o1", "osp", 12), state=followed(french=False, osp=0))
    assert requirements_status(state)["osp"]["done"] is False
    state, _ = run(state, decide_complete_orientation, CompleteOrientation(), TODAY)
    assert requirements_status(state)["osp"]["ended_by"] == "operator_report"
    with pytest.raises(DomainRuleViolation):   # no OSP in this convention
        decide_complete_orientation(followed(), CompleteOrientation(), TODAY)


def test_osp_with_configured_hours_is_done_by_hours():
    state = replay(credited("o1", "osp", 12), credited("o2", "osp", 8, "2024-04-02"),
                   state=followed(french=False, osp=20))
    assert requirements_status(state)["osp"]["ended_by"] == "hours"


def test_convention_signed_once_only():
    with pytest.raises(DomainRuleViolation):
        decide_sign_convention(followed(), SignConvention(), TODAY)


def test_a_partner_correction_replaces_the_hours_of_its_report():
    state = followed()
    state, _ = run(state, decide_credit_hours, CreditHours("att-1", "french", 3,
                                                           d("2024-04-02")), TODAY)
    fix = CreditHours("att-1", "french", 2, d("2024-04-02"), correction=True)
    state, events = run(state, decide_credit_hours, fix, TODAY)
    assert [e.data["previous_hours"] for e in events] == [3.0]
    assert requirements_status(state)["french"]["credited"] == 2.0
    assert decide_credit_hours(state, fix, TODAY) == []            # the same correction again
    absent = CreditHours("att-1", "french", 0, d("2024-04-02"), correction=True)
    state, _ = run(state, decide_credit_hours, absent, TODAY)      # it was an absence after all
    assert requirements_status(state)["french"]["credited"] == 0.0
    assert decide_credit_hours(state, absent, TODAY) == []
