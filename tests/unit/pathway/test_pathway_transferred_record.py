"""A sender's forwarding record ("transferred") refuses every command."""
from __future__ import annotations

import pytest

import services.pathway.domain as domain
from services.pathway.domain import (AcceptTransfer, ProposeTransfer, decide_accept_transfer,
                                     decide_propose_transfer)
from shared.errors import DomainRuleViolation

from .builders import d, followed, run

TODAY = d("2024-10-01")
D = d("2024-09-01")

COMMANDS = [
    (domain.decide_record_reception_step,
     domain.RecordReceptionStep("administrative_help", D)),
    (domain.decide_sign_convention, domain.SignConvention()),
    (domain.decide_credit_hours, domain.CreditHours("late", "french", 3, D)),
    (domain.decide_prove_french_level, domain.ProveFrenchLevel("A2")),
    (domain.decide_complete_orientation, domain.CompleteOrientation()),
    (domain.decide_extend_deadline, domain.ExtendDeadline(3, "illness")),
    (domain.decide_suspend_clock, domain.SuspendClock("s1", "illness", D)),
    (domain.decide_resume_clock, domain.ResumeClock()),
    (domain.decide_schedule_interview, domain.ScheduleInterview("i1", TODAY)),
    (domain.decide_record_interview, domain.RecordInterview("i1", D, True)),
    (domain.decide_flag_non_compliance, domain.FlagNonCompliance()),
    (domain.decide_propose_transfer, domain.ProposeTransfer("t2", "cimb")),
    (domain.decide_accept_transfer, domain.AcceptTransfer("t1", "cai")),
    (domain.decide_reject_transfer, domain.RejectTransfer("t1", "cai", "other")),
    (domain.decide_withdraw_transfer, domain.WithdrawTransfer("t1", "cripel")),
    (domain.decide_issue_attestation, domain.IssueAttestation("CRIPEL-2024-000001", "J.D.")),
    (domain.decide_revoke_attestation, domain.RevokeAttestation("CRIPEL-2024-000001",
                                                                "other")),
    (domain.decide_open, domain.OpenPathway("p-1", "ps-p-1", "cripel", "obligated", D)),
]


@pytest.fixture(scope="module")
def transferred():
    state, _ = run(followed(), decide_propose_transfer, ProposeTransfer("t1", "cai"), TODAY)
    state, _ = run(state, decide_accept_transfer, AcceptTransfer("t1", "cai"), TODAY)
    return state


@pytest.mark.parametrize("decide, command", COMMANDS,
                         ids=[c[0].__name__ for c in COMMANDS])
def test_commands_on_a_transferred_pathway_are_refused(transferred, decide, command):
    with pytest.raises(DomainRuleViolation) as err:
        decide(transferred, command, TODAY)
    assert "cai" in err.value.message and err.value.extra["forwarded_to"] == "cai"


def test_every_decision_is_covered():
    decisions = {name for name in domain.__all__ if name.startswith("decide_")}
    assert decisions - {c[0].__name__ for c in COMMANDS} == {"decide_receive"}
