"""Attestation de fréquentation: refused before the trainings are done, issued after,
revocation visible to verifiers."""
from __future__ import annotations

import pytest

from services.pathway.domain import (IssueAttestation, RevokeAttestation,
                                     decide_issue_attestation, decide_revoke_attestation,
                                     verification_view)
from shared.errors import DomainRuleViolation, ValidationFailed

from .builders import all_trainings, credited, d, followed, opened, replay, run

TODAY = d("2026-03-01")


def _done(**kw):
    return replay(all_trainings(kw.get("french", True)), state=followed(**kw))


@pytest.mark.parametrize("events", [
    [],
    all_trainings()[:-1],                                     # 20 h of French missing
    [credited(f"x{i}", "citizenship", 20) for i in range(3)],  # FLE still owed
])
def test_refused_before_the_trainings_are_done(events):
    with pytest.raises(DomainRuleViolation):
        decide_issue_attestation(replay(events, state=followed()),
                                 IssueAttestation("CRIPEL-2026-000123", "J.D."), TODAY)


def test_refused_without_a_convention():
    with pytest.raises(DomainRuleViolation):
        decide_issue_attestation(replay(opened()),
                                 IssueAttestation("CRIPEL-2026-000123", "J.D."), TODAY)


@pytest.mark.parametrize("kw", [{}, {"french": False}, {"status": "voluntary"}])
def test_issued_once_the_trainings_are_done(kw):
    state, events = run(_done(**kw), decide_issue_attestation,
                        IssueAttestation("CRIPEL-2026-000123", "M.-A.K."), TODAY)
    assert events[0].data == {"number": "CRIPEL-2026-000123", "issued_on": "2026-03-01",
                              "centre": "cripel", "holder_initials": "M.-A.K."}
    assert verification_view(state) == {
        "number": "CRIPEL-2026-000123", "issued_on": "2026-03-01", "centre": "cripel",
        "holder_initials": "M.-A.K.", "valid": True, "status": "valid", "revoked_on": None}
    with pytest.raises(DomainRuleViolation):   # one valid attestation at a time
        decide_issue_attestation(state, IssueAttestation("CRIPEL-2026-000124", "M.-A.K."),
                                 TODAY)


@pytest.mark.parametrize("number, initials, field", [
    ("CAI-2026-000123", "J.D.", "number"),       # another centre's prefix
    ("CRIPEL-2025-000123", "J.D.", "number"),    # year is not the year of issue
    ("CRIPEL-2026-123", "J.D.", "number"),
    ("CRIPEL-2026-000123", "Jean Dupont", "holder_initials"),  # a name, not initials
    ("CRIPEL-2026-000123", "", "holder_initials"),
])
def test_number_and_initials_are_checked(number, initials, field):
    with pytest.raises(ValidationFailed) as err:
        decide_issue_attestation(_done(), IssueAttestation(number, initials), TODAY)
    assert field in err.value.fields


def test_revocation_shows_in_the_verification_view_and_a_new_one_can_follow():
    state, _ = run(_done(), decide_issue_attestation,
                   IssueAttestation("CRIPEL-2026-000123", "J.D.", d("2026-02-01")), TODAY)
    with pytest.raises(ValidationFailed):
        decide_revoke_attestation(state, RevokeAttestation("CRIPEL-2026-000123", "oops"),
                                  TODAY)
    with pytest.raises(DomainRuleViolation):
        decide_revoke_attestation(state, RevokeAttestation("CRIPEL-2026-999999",
                                                           "issued_in_error"), TODAY)
    state, _ = run(state, decide_revoke_attestation,
                   RevokeAttestation("CRIPEL-2026-000123", "issued_in_error"), TODAY)
    view = verification_view(state)
    assert (view["valid"], view["status"], view["revoked_on"]) == (False, "revoked",
                                                                   "2026-03-01")
    with pytest.raises(DomainRuleViolation):   # already revoked
        decide_revoke_attestation(state, RevokeAttestation("CRIPEL-2026-000123", "other"),
                                  TODAY)
    state, _ = run(state, decide_issue_attestation,
                   IssueAttestation("CRIPEL-2026-000200", "J.D."), TODAY)
    assert verification_view(state)["valid"] is True
    assert verification_view(state, "CRIPEL-2026-000123")["valid"] is False
    assert verification_view(state, "CRIPEL-2026-000999") is None
