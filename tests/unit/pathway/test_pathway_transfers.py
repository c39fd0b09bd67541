"""Transfers between centres: proposal, acceptance, rejection, withdrawal, the
forwarding record at the sender, and the clock and hours continuing at the receiver."""
from __future__ import annotations

import json

import pytest

from services.pathway.domain import (AcceptTransfer, CreditHours, ProposeTransfer,
                                     ReceivePathway, RejectTransfer, ResumeClock,
                                     WithdrawTransfer, decide_accept_transfer,
                                     decide_credit_hours, decide_propose_transfer,
                                     decide_receive, decide_reject_transfer,
                                     decide_resume_clock, decide_withdraw_transfer,
                                     effective_deadline, export_history, import_history,
                                     next_interview_due, requirements_status,
                                     transfer_preview)
from services.pathway.domain import event_names as n
from services.pathway.domain.state import EMPTY
from shared.errors import DomainRuleViolation, ValidationFailed

from .builders import credited, d, extended, followed, interview, replay, run, suspended

TODAY = d("2024-10-01")


def _midway():
    """Hours, an extension, an interview and an open suspension at the sender (cripel)."""
    return replay(credited("a1", "citizenship", 20), credited("a2", "french", 15),
                  extended(3), interview("i1", "2024-06-15"),
                  suspended("s1", "2024-09-01"), state=followed())


def _proposed(state=None, to="cai"):
    state, _ = run(state or _midway(), decide_propose_transfer,
                   ProposeTransfer("t1", to, "move"), TODAY)
    return state


def test_transfer_mid_pathway_continues_clock_and_hours_at_the_receiver():
    sender = _proposed()
    history = export_history(sender)
    sender, events = run(sender, decide_accept_transfer, AcceptTransfer("t1", "cai"), TODAY)
    assert events[0].type == n.TRANSFER_COMPLETED
    assert (sender.status, sender.forwarded_to) == ("transferred", "cai")

    receiver, events = run(EMPTY, decide_receive,
                           ReceivePathway("t1", "cripel", "cai", history), TODAY)
    assert events[0].type == n.RECEIVED
    assert (receiver.status, receiver.centre, receiver.previous_centres) \
        == ("open", "cai", ("cripel",))
    for today in (TODAY, d("2024-12-01")):   # the open suspension keeps running there
        assert effective_deadline(receiver, today) == effective_deadline(sender, today)
    assert requirements_status(receiver) == requirements_status(sender)
    assert next_interview_due(receiver) == d("2024-12-15")
    # hours continue; an attendance already credited at the sender stays counted once
    assert decide_credit_hours(receiver, CreditHours("a2", "french", 15, d("2024-04-01")),
                               TODAY) == []
    receiver, _ = run(receiver, decide_credit_hours,
                      CreditHours("b1", "french", 5, d("2024-09-20")), TODAY)
    assert requirements_status(receiver)["french"]["credited"] == 20.0
    receiver, _ = run(receiver, decide_resume_clock, ResumeClock(d("2024-09-11")), TODAY)
    # base 2025-07-10 + 3 months extension + 10 suspended days
    assert effective_deadline(receiver, d("2025-01-01")) == d("2025-10-20")


def test_history_round_trip_is_lossless():
    history = export_history(_midway())
    again = export_history(import_history(json.loads(json.dumps(history)), "cripel"))
    assert again == {**history, "previous_centres": ["cripel"]}


def test_preview_has_no_personal_data_and_the_minimum_to_decide():
    preview = transfer_preview(_midway(), TODAY)
    text = json.dumps(preview)
    assert "p-1" not in text and "ps-p-1" not in text
    assert preview == {
        # 2025-07-10 + 3 months extension + 30 days of open suspension
        "status": "obligated", "rule_version": "2016", "deadline": "2025-11-09",
        "clock_suspended": True, "convention_signed": True,
        "hours": {"citizenship": {"done": 20.0, "required": 60.0, "completed": False},
                  "french": {"done": 15.0, "required": 400.0, "completed": False}}}


def test_rejection_and_withdrawal():
    state = _proposed()
    with pytest.raises(DomainRuleViolation):      # only the destination rejects
        decide_reject_transfer(state, RejectTransfer("t1", "cripel", "other"), TODAY)
    with pytest.raises(ValidationFailed) as err:
        decide_reject_transfer(state, RejectTransfer("t1", "cai", "no room"), TODAY)
    assert "reason" in err.value.fields
    rejected, _ = run(state, decide_reject_transfer,
                      RejectTransfer("t1", "cai", "not_our_territory"), TODAY)
    assert rejected.status == "open" and rejected.pending_transfer is None
    assert rejected.transfers[0].state == "rejected"
    with pytest.raises(DomainRuleViolation):      # no longer proposed
        decide_withdraw_transfer(rejected, WithdrawTransfer("t1", "cripel"), TODAY)
    with pytest.raises(DomainRuleViolation):      # only the sender withdraws
        decide_withdraw_transfer(state, WithdrawTransfer("t1", "cai"), TODAY)
    withdrawn, _ = run(state, decide_withdraw_transfer,
                       WithdrawTransfer("t1", "cripel"), TODAY)
    assert withdrawn.transfers[0].state == "withdrawn"
    # a new proposal is possible once the previous one is closed
    assert decide_propose_transfer(withdrawn, ProposeTransfer("t2", "cimb"), TODAY)


def test_proposal_rules():
    state = _midway()
    with pytest.raises(ValidationFailed) as err:
        decide_propose_transfer(state, ProposeTransfer("t1", "cripel"), TODAY)
    assert "to_centre" in err.value.fields
    proposed = _proposed(state)
    # the same move reported again is a no-op; another destination must wait
    assert decide_propose_transfer(proposed, ProposeTransfer("t9", "cai", "move"),
                                   TODAY) == []
    with pytest.raises(DomainRuleViolation):
        decide_propose_transfer(proposed, ProposeTransfer("t9", "cimb"), TODAY)
    with pytest.raises(DomainRuleViolation):      # accepted by someone else
        decide_accept_transfer(proposed, AcceptTransfer("t1", "cimb"), TODAY)
    with pytest.raises(DomainRuleViolation):      # unknown transfer id
        decide_accept_transfer(proposed, AcceptTransfer("tX", "cai"), TODAY)


def test_receiving_checks_the_target_stream_and_the_history():
    history = export_history(_midway())
    command = ReceivePathway("t1", "cripel", "cai", history)
    with pytest.raises(DomainRuleViolation):      # already open at the receiver
        decide_receive(followed(centre="cai"), command, TODAY)
    with pytest.raises(ValidationFailed) as err:
        decide_receive(EMPTY, ReceivePathway("t1", "cimb", "cai", history), TODAY)
    assert "from_centre" in err.value.fields
    broken = {k: v for k, v in history.items() if k != "suspensions"}
    with pytest.raises(ValidationFailed):
        decide_receive(EMPTY, ReceivePathway("t1", "cripel", "cai", broken), TODAY)


def test_a_person_moving_back_is_received_on_the_old_forwarding_record():
    there_and_back = _proposed()
    history = export_history(there_and_back)
    there_and_back, _ = run(there_and_back, decide_accept_transfer,
                            AcceptTransfer("t1", "cai"), TODAY)
    at_cai = replay(run(EMPTY, decide_receive,
                        ReceivePathway("t1", "cripel", "cai", history), TODAY)[1])
    back = export_history(_proposed(at_cai, to="cripel"))
    home, _ = run(there_and_back, decide_receive,
                  ReceivePathway("t2", "cai", "cripel", back), TODAY)
    assert (home.status, home.previous_centres) == ("open", ("cripel", "cai"))
    assert requirements_status(home)["citizenship"]["credited"] == 20.0
