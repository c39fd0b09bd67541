"""Person aggregate: command -> events -> evolve sequences, privacy of event payloads."""
import json
import uuid
from dataclasses import replace
from datetime import date

import pytest

from services.intake.domain.commands import (Address, AssessEligibility, BilanTheme,
                                             ChangeAddress, CoordinatorOverride, ErasePerson,
                                             RecordBilanSocial, RecordConsent, RecordDispense,
                                             RecordFrenchTest, RegisterPerson)
from services.intake.domain.person import (PersonState, decide_assess_eligibility,
                                           decide_change_address, decide_erase, decide_override,
                                           decide_record_bilan_social, decide_record_consent,
                                           decide_record_dispense, decide_record_french_test,
                                           decide_register, evolve, replay)
from shared.errors import DomainRuleViolation, Gone, NotFound, ValidationFailed
from shared.messages import DomainEvent

SECRET = b"regional-secret-for-tests-000000"
TODAY = date(2025, 2, 1)
NISS = "90.05.17-002.55"                       # valid, born 17 May 1990, female
REGISTER = RegisterPerson(
    person_id="1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b", centre="cai", last_name="Diop",
    first_names="Ngoné Awa", birth_date=date(1990, 5, 17), sex="F", nationality="sn",
    commune_nis="92094", address=Address("Rue de Fer", "12", "5000"), permit_type="A",
    permit_order_date=date(2024, 6, 1), national_number=NISS, phone="+32 470 12 34 56",
    email="ngone.diop@example.org", notes="Parle wolof, interprète SETIS")
PERSONAL_VALUES = ["Diop", "Ngoné", "1990-05-17", "90051700255", "Rue de Fer", "+32 470",
                   "ngone.diop@example.org", "wolof"]


def apply(state, events):
    for event in events:
        state = evolve(state, event)
    return state


def registered(**changes) -> PersonState:
    cmd = replace(REGISTER, **changes)
    return apply(PersonState(), decide_register(PersonState(), cmd, TODAY, regional_secret=SECRET))


def public_part(event: DomainEvent) -> str:
    return json.dumps({k: v for k, v in event.data.items() if k != "personal"}, ensure_ascii=False)


def test_register_puts_personal_data_under_personal_only():
    [event] = decide_register(PersonState(), REGISTER, TODAY, regional_secret=SECRET)
    assert event.type == "intake.PersonRegistered"
    d = event.data
    assert (d["centre"], d["age_band"], d["sex"], d["nationality"], d["commune_nis"]) == \
        ("cai", "26-35", "F", "SN", "92094")
    assert d["pseudonym_strength"] == "strong"
    assert d["personal"]["national_number"] == "90051700255"
    assert d["personal"]["national_number_kind"] == "niss"
    assert d["personal"]["birth_date"] == "1990-05-17"
    for value in PERSONAL_VALUES:
        assert value not in public_part(event)


def test_register_without_number_gives_weak_pseudonym():
    state = registered(national_number=None)
    assert state.pseudonym_strength == "weak" and state.personal["national_number"] is None


def test_pseudonym_is_the_same_whatever_the_centre_and_formatting():
    a = registered()
    b = registered(person_id=str(uuid.uuid4()), centre="cripel", commune_nis="62063",
                   address=None, national_number="90051700255")
    assert a.pseudonym == b.pseudonym and a.person_id != b.person_id


def test_register_twice_is_refused():
    with pytest.raises(DomainRuleViolation):
        decide_register(registered(), REGISTER, TODAY, regional_secret=SECRET)


@pytest.mark.parametrize("changes, fields", [
    ({"commune_nis": "62063", "address": None}, {"commune_nis"}),       # Liège is CRIPEL's
    ({"national_number": "90.05.17-002.56"}, {"national_number"}),
    ({"birth_date": date(1990, 5, 18)}, {"national_number"}),           # number says 17 May
    ({"last_name": " ", "sex": "W", "email": "not-an-email"}, {"last_name", "sex", "email"}),
    ({"address": Address("Rue", "1", "4000")}, {"address.postal_code"}),
    ({"person_id": "42"}, {"person_id"}),
    ({"nationality": "QQ", "permit_type": "Z"}, {"nationality", "permit_type"}),
    ({"permit_order_date": None}, {"permit_order_date"}),
    ({"arrival_date": date(2025, 3, 1)}, {"arrival_date"}),
])
def test_register_validation_gathers_field_errors(changes, fields):
    with pytest.raises(ValidationFailed) as err:
        decide_register(PersonState(), replace(REGISTER, **changes), TODAY,
                        regional_secret=SECRET)
    assert set(err.value.fields) == fields


def test_commands_before_registration_are_not_found():
    with pytest.raises(NotFound):
        decide_assess_eligibility(PersonState(), AssessEligibility(), TODAY)


def test_assessment_uses_the_file_facts():
    [event] = decide_assess_eligibility(registered(), AssessEligibility(), TODAY)
    assert event.type == "intake.EligibilityDecided"
    assert (event.data["status"], event.data["rule_version"], event.data["deadline"]) == \
        ("obligated", "2016-v1", "2025-12-01")
    asylum = registered(permit_type="asylum_seeker", permit_order_date=date(2025, 1, 5))
    [event] = decide_assess_eligibility(asylum, AssessEligibility(wants_voluntary=True), TODAY)
    assert (event.data["status"], event.data["rule_version"]) == ("voluntary", "2025-v1")


def test_override_keeps_computed_and_final_decisions():
    state = registered()
    with pytest.raises(DomainRuleViolation):                 # nothing computed yet
        decide_override(state, CoordinatorOverride("voluntary", "x", "coord-7"), TODAY)
    state = apply(state, decide_assess_eligibility(state, AssessEligibility(), TODAY))
    events = decide_override(state, CoordinatorOverride(
        "dispensed", "Hospitalisée, certificat à venir", "coord-7"), TODAY)
    assert events[0].data["computed_status"] == "obligated"
    assert events[0].data["status"] == "dispensed" and events[0].data["deadline"] is None
    assert "Hospitalisée" not in public_part(events[0])
    state = apply(state, events)
    assert state.eligibility["status"] == "obligated" and state.final_status == "dispensed"
    assert [(e["kind"], e["status"]) for e in state.eligibility_history] == \
        [("computed", "obligated"), ("override", "dispensed")]
    assert state.eligibility_history[1]["justification"] == "Hospitalisée, certificat à venir"
    # A later computation supersedes the override; the history keeps all three.
    state = apply(state, decide_assess_eligibility(state, AssessEligibility(), TODAY))
    assert state.final_status == "obligated" and len(state.eligibility_history) == 3


@pytest.mark.parametrize("cmd, field", [
    (CoordinatorOverride("dispensed", "   ", "coord-7"), "justification"),
    (CoordinatorOverride("exempt", "motif", "coord-7"), "final_status"),
    (CoordinatorOverride("obligated", "motif", "coord-7"), "final_status"),   # unchanged
    (CoordinatorOverride("voluntary", "motif", ""), "coordinator"),
])
def test_override_requires_a_justified_change(cmd, field):
    state = registered()
    state = apply(state, decide_assess_eligibility(state, AssessEligibility(), TODAY))
    with pytest.raises(ValidationFailed) as err:
        decide_override(state, cmd, TODAY)
    assert field in err.value.fields


def test_override_to_obligated_gets_the_rule_deadline():
    state = registered(nationality="TR")                   # standstill: computed dispensed
    state = apply(state, decide_assess_eligibility(state, AssessEligibility(), TODAY))
    assert state.final_status == "dispensed"
    [event] = decide_override(state, CoordinatorOverride("obligated", "motif", "c"), TODAY)
    assert event.data["deadline"] == "2025-12-01"


def test_dispense_after_decision_recomputes_the_status():
    state = registered()
    state = apply(state, decide_assess_eligibility(state, AssessEligibility(), TODAY))
    events = decide_record_dispense(state, RecordDispense("employed_half_time_3_months",
                                                          "contrat CDI 2024-09"), TODAY)
    assert [e.type for e in events] == ["intake.DispenseRecorded", "intake.EligibilityDecided"]
    assert events[0].data["personal"] == {"evidence_ref": "contrat CDI 2024-09",
                                          "ground": "employed_half_time_3_months"}
    assert "contrat" not in public_part(events[0]) + public_part(events[1])
    assert events[1].data["status"] == "dispensed"
    assert events[1].data["dispense_grounds"] == ["employed_half_time_3_months"]
    state = apply(state, events)
    assert state.dispenses == {"employed_half_time_3_months": "contrat CDI 2024-09"}
    with pytest.raises(DomainRuleViolation):
        decide_record_dispense(state, RecordDispense("employed_half_time_3_months", "x"), TODAY)


def test_dispense_before_any_decision_emits_only_the_dispense():
    events = decide_record_dispense(registered(), RecordDispense("medical", "cert-9"), TODAY)
    assert [e.type for e in events] == ["intake.DispenseRecorded"]


@pytest.mark.parametrize("cmd, field", [(RecordDispense("age", "passport"), "ground"),
                                        (RecordDispense("medical", ""), "evidence_ref"),
                                        (RecordDispense("bored", "x"), "ground")])
def test_invalid_dispenses(cmd, field):
    with pytest.raises(ValidationFailed) as err:
        decide_record_dispense(registered(), cmd, TODAY)
    assert field in err.value.fields


@pytest.mark.parametrize("needs, osp", [
    ({"employment": BilanTheme(True, "cherche emploi")}, True),
    ({"education_diplomas": {"need": True, "notes": "équivalence"}}, True),
    ({"health": BilanTheme(True, "suivi"), "housing": BilanTheme(True)}, False),
    ({}, False),
])
def test_bilan_social_derives_osp_and_keeps_needs_private(needs, osp):
    [event] = decide_record_bilan_social(registered(), RecordBilanSocial(needs, "RAS"), TODAY)
    assert event.data["needs_osp"] is osp
    assert set(event.data["personal"]["needs"]) == {"housing", "health", "family", "employment",
                                                    "education_diplomas", "administrative_steps"}
    assert "health" not in public_part(event) and "RAS" not in public_part(event)


@pytest.mark.parametrize("needs", [{"hobbies": BilanTheme(True)},
                                   {"health": {"need": "yes"}},
                                   {"health": {"needed": True}}])
def test_bilan_social_rejects_bad_themes(needs):
    with pytest.raises(ValidationFailed):
        decide_record_bilan_social(registered(), RecordBilanSocial(needs), TODAY)


@pytest.mark.parametrize("level, fle", [("pre-A1", True), ("A1", True), ("A2", False),
                                        ("B1", False), ("C2", False)])
def test_french_test_level_decides_fle(level, fle):
    [event] = decide_record_french_test(registered(), RecordFrenchTest(
        level, date(2025, 1, 20), "M. Lambert"), TODAY)
    assert (event.data["level"], event.data["needs_fle"]) == (level, fle)
    assert event.data["personal"]["tester"] == "M. Lambert"
    assert "Lambert" not in public_part(event)


@pytest.mark.parametrize("cmd, field", [
    (RecordFrenchTest("A3", TODAY, "X"), "level"),
    (RecordFrenchTest("A1", date(2025, 2, 2), "X"), "test_date"),
    (RecordFrenchTest("A1", TODAY, ""), "tester"),
])
def test_french_test_validation(cmd, field):
    with pytest.raises(ValidationFailed) as err:
        decide_record_french_test(registered(), cmd, TODAY)
    assert field in err.value.fields


def test_consent_given_then_partly_withdrawn():
    state = registered()
    state = apply(state, decide_record_consent(state, RecordConsent(
        "socio_professional_orientation", ("forem", "operators", "forem"), True), TODAY))
    assert state.consents["socio_professional_orientation"] == {"forem", "operators"}
    events = decide_record_consent(state, RecordConsent(
        "socio_professional_orientation", ("forem",), False), TODAY)
    assert events[0].data["given"] is False and events[0].data["recipients"] == ["forem"]
    state = apply(state, events)
    assert state.consents["socio_professional_orientation"] == {"operators"}
    with pytest.raises(DomainRuleViolation):
        decide_record_consent(state, RecordConsent("socio_professional_orientation",
                                                   ("forem",), False), TODAY)


@pytest.mark.parametrize("cmd, field", [
    (RecordConsent("marketing", ("forem",), True), "purpose"),
    (RecordConsent("referral", (), True), "recipients"),
    (RecordConsent("referral", ("police",), True), "recipients"),
])
def test_consent_validation(cmd, field):
    with pytest.raises(ValidationFailed) as err:
        decide_record_consent(registered(), cmd, TODAY)
    assert field in err.value.fields


@pytest.mark.parametrize("commune, address, moved_to, left", [
    ("62063", Address("Place Saint-Lambert", "1", "4000"), "cripel", False),   # Liège: CRIPEL
    ("91034", None, None, False),                                             # Dinant: same CAI
    ("21004", None, None, True),                                              # Brussels
    ("63023", None, None, True),                                              # Eupen
])
def test_address_change_flags_a_move_to_another_centre(commune, address, moved_to, left):
    state = registered()
    [event] = decide_change_address(state, ChangeAddress(commune, address), TODAY)
    assert event.data["moved_to_centre"] == moved_to
    assert event.data["left_territory"] is left
    assert (event.data["commune_nis"], event.data["previous_commune_nis"]) == (commune, "92094")
    assert "Saint-Lambert" not in public_part(event)
    state = apply(state, [event])
    assert state.commune_nis == commune and state.centre == "cai"   # transfer is pathway's job
    assert state.personal["address"] == (address and address.as_data())


def test_address_change_validation():
    with pytest.raises(DomainRuleViolation):
        decide_change_address(registered(), ChangeAddress("92094", REGISTER.address), TODAY)
    with pytest.raises(ValidationFailed):
        decide_change_address(registered(), ChangeAddress("99999"), TODAY)
    with pytest.raises(ValidationFailed):
        decide_change_address(registered(), ChangeAddress("62063", Address("R", "1", "5000")),
                              TODAY)


def full_history() -> list[DomainEvent]:
    state, events = PersonState(), []
    steps = [
        lambda s: decide_register(s, REGISTER, TODAY, regional_secret=SECRET),
        lambda s: decide_assess_eligibility(s, AssessEligibility(), TODAY),
        lambda s: decide_override(s, CoordinatorOverride("voluntary", "Demande écrite", "c1"),
                                  TODAY),
        lambda s: decide_record_dispense(s, RecordDispense("student", "carte étudiant"), TODAY),
        lambda s: decide_record_bilan_social(s, RecordBilanSocial(
            {"employment": BilanTheme(True, "wolof")}, "Diop"), TODAY),
        lambda s: decide_record_french_test(s, RecordFrenchTest("A1", TODAY, "Diop T."), TODAY),
        lambda s: decide_record_consent(s, RecordConsent("referral", ("operators",), True,
                                                         "formulaire Diop"), TODAY),
        lambda s: decide_change_address(s, ChangeAddress(
            "62063", Address("Rue Ngoné", "3", "4000")), TODAY),
        lambda s: decide_erase(s, ErasePerson("dpo-1", "gdpr_request"), TODAY),
    ]
    for step in steps:
        new = step(state)
        state, events = apply(state, new), events + new
    return events


def test_no_personal_value_ever_reaches_public_fields():
    events = full_history()
    assert len(events) == 10
    for event in events:
        for value in PERSONAL_VALUES + ["Demande écrite", "carte étudiant", "formulaire"]:
            assert value not in public_part(event), (event.type, value)


def test_erasure_makes_every_command_gone_and_forgets_personal_data():
    state = replay(full_history())
    assert state.erased and state.personal == {} and state.bilan_social is None
    assert all(ref is None for ref in state.dispenses.values())
    assert all(e.get("justification") is None for e in state.eligibility_history)
    assert state.final_status == "dispensed"          # the public skeleton survives
    for decide, cmd in [(decide_assess_eligibility, AssessEligibility()),
                        (decide_record_french_test, RecordFrenchTest("A2", TODAY, "X")),
                        (decide_change_address, ChangeAddress("62063")),
                        (decide_erase, ErasePerson("dpo-1", "gdpr_request"))]:
        with pytest.raises(Gone):
            decide(state, cmd, TODAY)


def test_replay_after_crypto_shredding_still_works():
    shredded = [DomainEvent(e.type, {**e.data, "personal": None}) for e in full_history()]
    state = replay(shredded)
    assert state.erased and state.version == 10 and state.commune_nis == "62063"
    assert state.consents == {"referral": {"operators"}} and state.french_level == "A1"


@pytest.mark.parametrize("cmd", [ErasePerson("dpo-1", "because I said so"),
                                 ErasePerson("", "duplicate")])
def test_erasure_needs_a_coded_reason_and_a_dpo(cmd):
    with pytest.raises(ValidationFailed):
        decide_erase(registered(), cmd, TODAY)


def test_evolve_rejects_foreign_events():
    with pytest.raises(ValueError):
        evolve(PersonState(), DomainEvent("pathway.ConventionSigned", {}))
