"""Partners' service layer on the in-memory store (bootstrap with a fake database):
operators, agreements, offers, referrals, attendance by API and CSV, and who may do what."""
from __future__ import annotations

import base64
import io
from datetime import date

import pytest

from shared.auth import Principal
from shared.config import Config
from shared.errors import DomainRuleViolation, Forbidden, NotFound, ValidationFailed
from shared.events.envelope import Envelope, sequence
from shared.store.memory import memory_database

from services.partners.bootstrap import bootstrap
from services.partners.service_layer import attendance, offers, operators

TODAY = date(2026, 11, 29)
CENTRE = "cripel"


def staff(role: str, operator_id: str | None = None) -> Principal:
    return Principal(subject=f"{role}-1", roles=frozenset({role}), centre=CENTRE,
                     operator_id=operator_id)


COORD = staff("coordination")
FLE = staff("partenaire", "fle-liege")
OTHER = staff("partenaire", "cpas-herstal")


def operator_body(operator_id: str, approval: str = "approved") -> dict:
    return {"operator_id": operator_id, "name": f"Opérateur {operator_id}", "type": "ili",
            "bce": "0203201340", "approval": approval, "communes": ["62063"],
            "personal": {"contacts": [{"function": "direction", "email": "d@ex.be",
                                       "phone": None}], "staff": []}}


@pytest.fixture
def svc():
    config = Config(service="partners", centre=CENTRE, kafka_bootstrap_servers="unused:1",
                    mongodb_uri="mongodb://unused:1", mongodb_db="unused",
                    master_key=base64.b64encode(b"k" * 32).decode())
    return bootstrap(config, db=memory_database(), today=lambda: TODAY)


@pytest.fixture
def offer(svc):
    for op in ("fle-liege", "cpas-herstal"):
        operators.register_operator(svc, COORD, operator_body(op))
        operators.sign(svc, COORD, {
            "agreement_id": f"conv-{op}", "operator_id": op, "subject": "french",
            "valid_from": date(2026, 1, 1), "valid_to": date(2026, 12, 31),
            "quota_kind": "seats", "quota": 100, "funding_ref": "FSE-1"})
    offers.publish(svc, FLE, {
        "offer_id": "fle-a1", "operator_id": "fle-liege", "agreement_id": "conv-fle-liege",
        "title": "FLE A1 matin", "kind": "french", "level": "A1", "language": "fr",
        "commune_nis": "62063", "capacity": 2,
        "sessions": [{"date": date(2026, 11, d), "hours": 3} for d in (16, 23)]})
    return "fle-a1"


def follow(svc, person_id: str) -> None:
    """The centre's pathway topic says this person's pathway is open here."""
    svc.people.apply([Envelope(f"pathway-{person_id}:1", "/cri/cripel/pathway",
                               "pathway.PathwayOpened", 1, "2026-11-29T10:00:00Z",
                               f"pathway-{person_id}", sequence(1, 0), {})])


def propose(svc, person: str, consent: bool = False, partage=None) -> str:
    follow(svc, person)
    _, rid = offers.propose(svc, COORD, {"offer_id": "fle-a1", "person_id": person,
                                         "purpose": "training", "consent": consent,
                                         "partage": partage})
    return rid


def test_seats_then_waiting_list_then_promotion_on_cancel(svc, offer):
    rids = [propose(svc, f"p-{i}") for i in range(4)]
    statuses = []
    for rid in rids:
        loaded = offers.transition(svc, FLE, offer, rid, "accept")
        statuses.append(loaded.state.referrals[rid].status)
    assert statuses == ["accepted", "accepted", "waitlisted", "waitlisted"]
    state = offers.transition(svc, COORD, offer, rids[0], "cancel", "person_request").state
    assert [state.referrals[r].status for r in rids] == \
        ["cancelled", "accepted", "accepted", "waitlisted"]
    assert state.seats_taken == 2
    # More capacity promotes the next person waiting, in the same commit.
    state = offers.change_capacity(svc, COORD, offer, 3, None).state
    assert state.referrals[rids[3]].status == "accepted" and state.seats_taken == 3
    doc = svc.read_model.get("offers", offer)
    assert (doc["taken"], doc["waiting"], doc["capacity"]) == (3, 0, 3)


def test_capacity_cannot_go_below_the_seats_taken(svc, offer):
    for i in range(2):
        offers.transition(svc, FLE, offer, propose(svc, f"p-{i}"), "accept")
    with pytest.raises(DomainRuleViolation, match="2 places"):
        offers.change_capacity(svc, COORD, offer, 1, None)


def test_only_people_the_centre_follows_are_referred(svc, offer):
    with pytest.raises(NotFound, match="aucun parcours"):
        offers.propose(svc, COORD, {"offer_id": offer, "person_id": "p-unknown",
                                    "purpose": "training", "consent": False})
    with pytest.raises(NotFound, match="aucun parcours"):
        attendance.record(svc, COORD, {"attendance_id": "a-1", "person_id": "p-unknown",
                                       "training": "french", "hours": 3,
                                       "session_date": TODAY})


def test_a_person_has_one_active_referral_per_offer(svc, offer):
    propose(svc, "p-1")
    with pytest.raises(DomainRuleViolation, match="déjà une orientation"):
        propose(svc, "p-1")


def test_an_expired_terminated_or_exhausted_agreement_blocks_new_referrals(svc, offer):
    operators.amend(svc, COORD, "conv-fle-liege", date(2026, 12, 31), 1, if_match=1)
    offers.transition(svc, FLE, offer, propose(svc, "p-1"), "accept")
    with pytest.raises(DomainRuleViolation, match="quota .* épuisé"):
        propose(svc, "p-2")
    operators.amend(svc, COORD, "conv-fle-liege", date(2026, 11, 1), 50, if_match=2)
    with pytest.raises(DomainRuleViolation, match="a expiré le 01/11/2026"):
        propose(svc, "p-2")
    operators.amend(svc, COORD, "conv-fle-liege", date(2026, 12, 31), 50, if_match=3)
    operators.terminate(svc, COORD, "conv-fle-liege", if_match=4)
    with pytest.raises(DomainRuleViolation, match="résiliée"):
        propose(svc, "p-2")


def test_an_unapproved_operator_gets_no_agreement(svc):
    operators.register_operator(svc, COORD, operator_body("asbl-x", approval="pending"))
    with pytest.raises(DomainRuleViolation, match="pas agréé"):
        operators.sign(svc, COORD, {
            "agreement_id": "c-x", "operator_id": "asbl-x", "subject": "housing",
            "valid_from": TODAY, "valid_to": TODAY, "quota_kind": "hours", "quota": 10,
            "funding_ref": None})


def test_operators_see_and_act_only_on_their_own(svc, offer):
    rid = propose(svc, "p-1")
    with pytest.raises(Forbidden):
        offers.transition(svc, OTHER, offer, rid, "accept")
    with pytest.raises(Forbidden):
        offers.find_referral(svc, OTHER, rid)
    with pytest.raises(Forbidden):
        offers.referrals(svc, OTHER, operator_id="fle-liege")
    assert offers.referrals(svc, OTHER) == []
    assert [d["_id"] for d in offers.referrals(svc, FLE)] == [rid]
    with pytest.raises(Forbidden):   # a partner account without an operator
        offers.referrals(svc, staff("partenaire"))
    with pytest.raises(Forbidden):   # only the centre proposes and cancels
        offers.propose(svc, FLE, {"offer_id": offer, "person_id": "p-2",
                                  "purpose": "training", "consent": False})
    with pytest.raises(Forbidden):
        offers.transition(svc, FLE, offer, rid, "cancel", "error")


def test_the_operator_sees_only_what_the_person_consented_to_share(svc, offer):
    with pytest.raises(ValidationFailed, match="consentement"):
        propose(svc, "p-1", consent=False, partage={"first_name": "Amina"})
    silent = propose(svc, "p-1")
    shared = propose(svc, "p-2", consent=True,
                     partage={"first_name": "Amina", "contact": "0470 00 00 00"})
    views = {d["_id"]: offers.referral_view(svc, FLE, d) for d in offers.referrals(svc, FLE)}
    assert views[silent]["partage"] is None
    assert views[shared]["partage"] == {"first_name": "Amina", "contact": "0470 00 00 00"}
    stored = svc.read_model.get("referrals", shared)
    assert "Amina" not in repr(stored)          # encrypted at rest
    svc.cards.keys.destroy("p-2")               # erasure: the card is gone for good
    assert offers.referral_view(svc, FLE, stored)["partage"] is None


def test_attendance_for_a_seat_counts_once_and_a_correction_supersedes(svc, offer):
    rid = propose(svc, "p-1")
    with pytest.raises(DomainRuleViolation, match="aucune place"):
        attendance.record(svc, FLE, {"referral_id": rid, "session_date": date(2026, 11, 16),
                                     "hours": 3})
    offers.transition(svc, FLE, offer, rid, "accept")
    report = {"referral_id": rid, "session_date": date(2026, 11, 16), "hours": 3}
    first, created = attendance.record(svc, FLE, report)
    assert created and first.state[0].data["training"] == "french"
    assert attendance.record(svc, FLE, report)[1] is False
    with pytest.raises(DomainRuleViolation, match="correction"):
        attendance.record(svc, FLE, {**report, "hours": 2})
    corrected, _ = attendance.record(svc, FLE, {**report, "hours": 2, "correction": True})
    assert [e.type for e in corrected.state] == ["partners.AttendanceRecorded",
                                                 "partners.AttendanceCorrected"]
    assert svc.read_model.hours_by_referral([rid]) == {rid: 2.0}
    with pytest.raises(ValidationFailed, match="séance"):
        attendance.record(svc, FLE, {**report, "session_date": date(2026, 11, 17)})
    with pytest.raises(Forbidden):
        attendance.record(svc, OTHER, report)
    with pytest.raises(NotFound):
        attendance.record(svc, FLE, {**report, "referral_id": "nope"})
    with pytest.raises(Forbidden):   # a partner always reports against a referral
        attendance.record(svc, FLE, {"attendance_id": "a-1", "person_id": "p-9",
                                     "training": "french", "hours": 3,
                                     "session_date": TODAY})


def test_csv_upload_reports_bad_rows_and_is_idempotent(svc, offer):
    rids = [propose(svc, f"p-{i}") for i in range(2)]
    for rid in rids:
        offers.transition(svc, FLE, offer, rid, "accept")
    other = propose(svc, "p-9")   # proposed only: no seat, no attendance
    text = "\ufeffOrientation;Date;Heures;Présence;Motif\r\n" + "".join([
        f"{rids[0]};16/11/2026;3;oui;\r\n",
        f"{rids[1]};2026-11-16;0;non;justifiée\r\n",
        f"{rids[0]};23/11/2026;3,5;oui;\r\n",
        "\r\n",
        f"{rids[1]};31/02/2026;3;oui;\r\n",          # no such day
        f"{other};16/11/2026;3;oui;\r\n",            # no seat
        f"{rids[1]};23/11/2026;3;peut-être;\r\n",    # unreadable presence
    ])
    result = attendance.upload(svc, FLE, io.BytesIO(text.encode("utf-8")))
    assert (result["rows"], result["applied"], result["rejected"]) == (6, 3, 3)
    assert [r["line"] for r in result["rejected_rows"]] == [6, 7, 8]
    assert "date illisible" in result["rejected_rows"][0]["reason"]
    again = attendance.upload(svc, FLE, io.BytesIO(text.encode("utf-8")))
    assert (again["applied"], again["unchanged"], again["rejected"]) == (0, 3, 3)
    assert svc.read_model.hours_by_referral(rids) == {rids[0]: 6.5, rids[1]: 0.0}
    comma = "referral_id,session_date,hours\n" + f"{rids[1]},2026-11-23,2\n"
    assert attendance.upload(svc, FLE, io.BytesIO(comma.encode()))["applied"] == 1
    with pytest.raises(ValidationFailed, match="colonnes manquantes"):
        attendance.upload(svc, FLE, io.BytesIO(b"nom;prenom\nA;B\n"))
    with pytest.raises(ValidationFailed, match="UTF-8"):
        attendance.upload(svc, FLE, io.BytesIO(
            "orientation;date;heures\nx;16/11/2026;3\n".encode("utf-16")))


def test_erasure_blanks_the_person_everywhere_in_partners(svc, offer):
    from services.partners.service_layer import erasure
    rid = propose(svc, "p-1", consent=True, partage={"first_name": "Amina"})
    offers.transition(svc, FLE, offer, rid, "accept")
    attendance.record(svc, FLE, {"referral_id": rid, "session_date": date(2026, 11, 16),
                                 "hours": 3})
    assert erasure.forget(svc, "p-1") == 3          # referral, attendance, followed person
    assert not svc.people.followed("p-1")
    doc = svc.read_model.get("referrals", rid)
    assert doc["person_id"] == erasure.ERASED and doc["card"] is None
    assert [a["person_id"] for a in svc.read_model.find("attendance", referral_id=rid)] == \
        [erasure.ERASED]
    assert svc.cards.keys.get("p-1") is None
    assert svc.read_model.find("referrals", person_id="p-1") == []
