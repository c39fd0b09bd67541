"""The application layer's pure pieces: intake translation, state codec, transfer inbox
and outbound messages, topic replay's commit rebuilding, partners' attendance rule."""
from __future__ import annotations

from datetime import timedelta

import pytest

from services.partners.domain.attendance import RecordAttendance, decide_record_attendance
from services.pathway.adapters import state_codec
from services.pathway.adapters.topic_replay import commit_documents
from services.pathway.domain import (AcceptTransfer, IssueAttestation, ProposeTransfer,
                                     ReceivePathway, decide_accept_transfer,
                                     decide_issue_attestation, decide_propose_transfer,
                                     decide_receive, export_history)
from services.pathway.domain import event_names as n
from services.pathway.domain import inbox, outbound
from services.pathway.domain.rules import RULES, add_months, rule_version_for
from services.pathway.service_layer.intake import clock_start
from services.pathway.service_layer.views import page
from shared.errors import DomainRuleViolation, ValidationFailed
from shared.events import envelope
from shared.events.canonical import GENESIS

from .builders import REGISTRY, all_trainings, d, followed, replay, run, stored, suspended

TODAY = d("2026-11-29")


@pytest.mark.parametrize("version, deadline, start", [
    ("2025-v1", "2028-06-01", "2025-06-01"),
    ("2016-v1", "2025-12-10", "2024-06-10"),
    ("2016-v1", "2026-02-28", "2024-08-28"),   # from a permit of 28, 29, 30 or 31 Aug
    ("2025-v1", None, None),                   # voluntary: no deadline
])
def test_clock_start_from_intakes_public_rule_version_and_deadline(version, deadline, start):
    assert clock_start(version, deadline) == (d(start) if start else None)


def test_clock_start_gives_back_intakes_deadline_and_rule_version_exactly():
    permit = d("2023-01-01")
    while permit < d("2026-12-31"):
        version = "2025" if permit >= d("2025-01-01") else "2016"
        deadline = add_months(permit, RULES[version].deadline_months)  # what intake publishes
        start = clock_start(f"{version}-v1", deadline)
        assert add_months(start, RULES[version].deadline_months) == deadline
        assert rule_version_for(start, TODAY) == version
        assert 0 <= (permit - start).days <= 3
        permit += timedelta(days=1)


def test_unknown_intake_rule_version_is_refused():
    with pytest.raises(ValueError):
        clock_start("1999-v1", "2020-01-01")


def _transferred_pair():
    sender = replay(all_trainings(french=False)[:2], state=followed(french=False))
    sender = replay(suspended("s1", "2024-05-01", "2024-06-01"), state=sender)
    sender, _ = run(sender, decide_propose_transfer,
                    ProposeTransfer("t-1", "cai", "move", d("2024-07-01")), TODAY)
    sender, _ = run(sender, decide_accept_transfer, AcceptTransfer("t-1", "cai"), TODAY)
    receiver, _ = run(replay(), decide_receive,
                      ReceivePathway("t-1", "cripel", "cai", export_history(sender)), TODAY)
    return sender, receiver


def test_state_codec_round_trips_every_field():
    sender, receiver = _transferred_pair()
    done = replay(all_trainings(), state=followed())
    done, _ = run(done, decide_issue_attestation,
                  IssueAttestation("CRIPEL-2026-000007", "A.B.", TODAY), TODAY)
    for state in (sender, receiver, done, followed(status="voluntary")):
        assert state_codec.decode(state_codec.encode(state)) == state
    assert sender.status == "transferred" and receiver.previous_centres == ("cripel",)


def _offer(**kw):
    return {"transfer_id": "t-1", "person_id": "p-1", "from_centre": "cripel",
            "to_centre": "cai", "trigger": "move", "proposed_on": "2026-11-01",
            "preview": {"status": "obligated", "rule_version": "2025", "deadline": None,
                        "clock_suspended": False, "convention_signed": False, "hours": {}},
            **kw}


def _fold(events):
    return inbox.fold_inbox([stored(e) for e in events])   # a v1 answer read as v2


def test_inbox_records_once_answers_once_and_follows_withdrawal():
    recorded = inbox.decide_record_offer(inbox.NO_TRANSFER, _offer(), "cai", TODAY)
    box = _fold(recorded)
    assert box.state == "proposed" and inbox.expects_person(box)
    assert inbox.decide_record_offer(box, _offer(), "cai", TODAY) == []
    with pytest.raises(DomainRuleViolation):
        inbox.decide_record_offer(inbox.NO_TRANSFER, _offer(), "crvi", TODAY)
    with pytest.raises(ValidationFailed):
        inbox.decide_answer(box, False, None, TODAY)       # a rejection needs its reason
    answered = inbox.decide_answer(box, True, None, TODAY)
    assert answered[0].type == n.TRANSFER_ANSWERED
    box = _fold(recorded + answered)
    with pytest.raises(DomainRuleViolation):
        inbox.decide_answer(box, True, None, TODAY)
    # The sender withdrew before it saw our acceptance: the withdrawal wins.
    withdrawn = inbox.decide_withdrawn(box, TODAY)
    box2 = _fold(recorded + answered + withdrawn)
    assert box2.state == "withdrawn" and not inbox.expects_person(box2)
    with pytest.raises(DomainRuleViolation):
        inbox.decide_complete(box2, TODAY)
    completed = inbox.decide_complete(box, TODAY)
    assert _fold(recorded + answered + completed).state == "completed"
    assert inbox.decide_withdrawn(_fold(recorded + answered + completed), TODAY) == []


def test_outbound_messages_are_sent_once_each_and_carry_no_personal_field():
    sender, _ = _transferred_pair()
    transfer = sender.transfers[0]
    offer = outbound.decide_offer(frozenset(), sender, transfer, TODAY)
    history = outbound.decide_send_history(frozenset(), sender, transfer)
    for ev in offer + history:   # the domain's clear form is v1's (unknown keys refused);
        # the service seals it into v2 before storing (test_pathway_sealed_transfers)
        assert REGISTRY.schema(ev.type, 1).validate(ev.data) == {}
    assert set(offer[0].data["preview"]) == {"status", "rule_version", "deadline",
                                             "clock_suspended", "convention_signed", "hours"}
    sent = outbound.sent_types(offer + history)
    assert outbound.decide_offer(sent, sender, transfer, TODAY) == []
    assert outbound.decide_send_history(sent, sender, transfer) == []
    assert outbound.decide_offer_withdrawn(sent, transfer)[0].type == n.TRANSFER_OFFER_WITHDRAWN


def _published(stream_id: str, version: int, events: list[dict], at: str):
    out = []
    for i, ev in enumerate(events):
        _, value, headers = envelope.encode("/cri/cripel/pathway", stream_id, version, i, at, ev)
        out.append(envelope.decode(headers, value))
    return out


def test_commit_documents_rebuild_the_chain_whatever_the_order_and_duplicates():
    ev = {"type": n.FRENCH_LEVEL_PROVEN, "version": 1,
          "data": {"level": "A2", "proven_on": "2026-01-01"}}
    envs = (_published("pathway-a", 1, [ev, ev], "t1") + _published("pathway-a", 2, [ev], "t2")
            + _published("pathway-b", 1, [ev], "t3"))
    docs = commit_documents(list(reversed(envs)) + envs[:2])
    assert [(x["stream_id"], x["version"], len(x["events"])) for x in docs] == [
        ("pathway-a", 1, 2), ("pathway-a", 2, 1), ("pathway-b", 1, 1)]
    assert docs[0]["prev_hash"] == GENESIS == docs[2]["prev_hash"]
    assert docs[1]["prev_hash"] == docs[0]["hash"]
    with pytest.raises(ValueError):
        commit_documents(envs[2:3])           # version 2 without version 1


def _attendance(**kw):
    base = dict(attendance_id="a-1", person_id="p-1", centre="cripel", training="french",
                hours=3.0, session_date=d("2026-11-20"))
    return RecordAttendance(**{**base, **kw})


def test_partners_attendance_is_recorded_once_and_never_rewritten():
    first = decide_record_attendance([], _attendance(), TODAY)
    assert first[0].type == "partners.AttendanceRecorded"
    assert decide_record_attendance(first, _attendance(), TODAY) == []
    with pytest.raises(DomainRuleViolation):
        decide_record_attendance(first, _attendance(hours=4.0), TODAY)
    with pytest.raises(ValidationFailed):
        decide_record_attendance([], _attendance(session_date=TODAY + timedelta(days=1)), TODAY)


def test_pages():
    items = [{"i": i} for i in range(7)]
    assert page(items, 2, 3) == {"items": [{"i": 3}, {"i": 4}, {"i": 5}], "total": 7,
                                 "page": 2, "page_size": 3}
    assert page(items, 4, 3)["items"] == []
