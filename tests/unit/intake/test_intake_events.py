"""The events the aggregate emits pass the schema registry, on write and on read."""
import json
from dataclasses import replace
from datetime import date

import pytest

from services.intake.domain import person
from services.intake.domain.commands import (Address, AssessEligibility, BilanTheme,
                                             ChangeAddress, CoordinatorOverride, ErasePerson,
                                             RecordBilanSocial, RecordConsent, RecordDispense,
                                             RecordFrenchTest, RegisterPerson)
from services.intake.domain.events import EVENT_SCHEMAS, latest, register_events
from shared.errors import InvalidEvent
from shared.events.registry import EventRegistry
from shared.messages import DomainEvent

TODAY = date(2025, 2, 1)


def full_history() -> list[DomainEvent]:
    """One person through every command (self-contained: no import between test files)."""
    register = RegisterPerson(
        "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b", "cai", "Diop", "Ngoné", date(1990, 5, 17), "F",
        "SN", "92094", Address("Rue de Fer", "12", "5000", box="B2"), "A", date(2024, 6, 1),
        date(2024, 3, 1), "90051700255", "+32 470 12 34 56", "n@example.org", "notes")
    steps = [
        lambda s: person.decide_register(s, register, TODAY, regional_secret=b"secret"),
        lambda s: person.decide_assess_eligibility(s, AssessEligibility(), TODAY),
        lambda s: person.decide_override(s, CoordinatorOverride("voluntary", "motif", "c1"), TODAY),
        lambda s: person.decide_record_dispense(s, RecordDispense("student", "carte"), TODAY),
        lambda s: person.decide_record_bilan_social(s, RecordBilanSocial(
            {"employment": BilanTheme(True, "x")}, "notes"), TODAY),
        lambda s: person.decide_record_french_test(s, RecordFrenchTest("A1", TODAY, "T."), TODAY),
        lambda s: person.decide_record_consent(s, RecordConsent("referral", ("cpas",), True), TODAY),
        lambda s: person.decide_change_address(s, ChangeAddress("62063"), TODAY),
        lambda s: person.decide_erase(s, ErasePerson("dpo-1", "duplicate"), TODAY),
    ]
    state, events = person.PersonState(), []
    for step in steps:
        new = step(state)
        state, events = person.replay(new, state), events + new
    return events


@pytest.fixture()
def registry():
    reg = EventRegistry()
    register_events(reg)
    return reg


def test_all_nine_types_registered_with_their_versions(registry):
    # the file's nine types, plus transfers and the access log (intake.PersonFileRead)
    assert set(EVENT_SCHEMAS) <= set(registry.types())
    assert len(EVENT_SCHEMAS) == 9
    assert {t: registry.latest_version(t) for t in EVENT_SCHEMAS} == {
        t: latest(t) for t in EVENT_SCHEMAS}
    assert {t for t in EVENT_SCHEMAS if latest(t) == 2} == {
        "intake.EligibilityDecided", "intake.EligibilityOverridden",
        "intake.DispenseRecorded", "intake.PersonErased"}


def test_emitted_events_validate_and_roundtrip(registry):
    events = full_history()
    assert {e.type for e in events} == set(EVENT_SCHEMAS)
    for event in events:
        written = registry.validate_for_write(event)
        stored = json.loads(json.dumps(written.data))          # what the store keeps
        assert event.version == registry.latest_version(event.type)
        assert registry.read(event.type, event.version, stored).data == stored


def test_stripped_personal_still_reads(registry):
    for event in full_history():
        registry.read(event.type, event.version,
                      {**registry.validate_for_write(event).data, "personal": None})


@pytest.mark.parametrize("index, change", [
    (0, {"last_name": "Diop"}),                         # personal data at top level: refused
    (0, {"age_band": "30-40"}),
    (0, {"personal": {"last_name": "Diop"}}),           # incomplete personal part
    (1, {"status": "maybe"}),
    (7, {"moved_to_centre": "cpas"}),
    (9, {"reason": "free text with a name"}),
])
def test_invalid_payloads_are_rejected(registry, index, change):
    event = full_history()[index]
    with pytest.raises(InvalidEvent):
        registry.validate_for_write(replace(event, data={**event.data, **change}))


def test_erasure_event_never_carries_personal_data(registry):
    erased = full_history()[-1]
    tampered = DomainEvent(erased.type, {**erased.data, "personal": {"name": "Diop"}},
                           erased.version)
    assert registry.validate_for_write(tampered).data["personal"] is None


def _medical_history() -> list[DomainEvent]:
    events = full_history()[:2]
    state = person.replay(events)
    return events + person.decide_record_dispense(
        state, RecordDispense("medical", "certificat 2025-118"), TODAY)


def test_an_art9_ground_is_coarse_in_public_and_precise_under_personal(registry):
    dispense, decided = _medical_history()[2:]
    assert dispense.data["ground"] == "motif_protege"
    assert dispense.data["personal"]["ground"] == "medical"
    assert "medical" in decided.data["personal"]["dispense_grounds"]
    public = json.dumps({k: v for k, v in registry.validate_for_write(decided).data.items()
                         if k != "personal"}, ensure_ascii=False)
    assert "medical" not in public and "médical" not in public and "motif_protege" in public
    # the office still sees the precise ground, from the (decrypted) personal part
    state = person.replay(_medical_history())
    assert "medical" in state.dispenses and state.final_status == "dispensed"
    assert "dispense:medical" in state.eligibility["reason_codes"]


def test_v1_events_still_replay_through_the_upcasters(registry):
    """Stored v1 payloads (public precise code, staff ids in clear) read as v2."""
    header = {k: v for k, v in full_history()[1].data.items()
              if k in ("person_id", "pseudonym", "pseudonym_strength", "centre", "age_band",
                       "sex", "nationality", "commune_nis")}
    v1 = {**header, "ground": "medical", "recorded_on": "2025-02-01",
          "personal": {"evidence_ref": "cert"}}
    read = registry.read("intake.DispenseRecorded", 1, v1)
    assert read.version == 2 and read.data["ground"] == "motif_protege"
    assert read.data["personal"] == {"evidence_ref": "cert", "ground": "medical"}
    shredded = registry.read("intake.DispenseRecorded", 1, {**v1, "personal": None}).data
    assert shredded["ground"] == "motif_protege" and shredded["personal"] is None
    erased = registry.read("intake.PersonErased", 1, {
        k: header[k] for k in ("person_id", "pseudonym", "pseudonym_strength", "centre")}
        | {"erased_by": "dpo-1", "reason": "duplicate", "erased_on": "2025-02-01",
           "personal": None})
    assert "erased_by" not in erased.data
    overridden = registry.read("intake.EligibilityOverridden", 1, {
        **header, "status": "voluntary", "computed_status": "obligated",
        "rule_version": "2016-v1", "deadline": None, "overridden_by": "coord-7",
        "overridden_on": "2025-02-01", "personal": {"justification": "x"}}).data
    assert "overridden_by" not in overridden
    assert overridden["personal"] == {"justification": "x", "overridden_by": "coord-7"}
    # and the state folded from them is what it was
    state = person.replay([*full_history()[:2], DomainEvent(read.type, read.data, 2)])
    assert "medical" in state.dispenses


def test_no_staff_id_in_the_public_part_of_any_event(registry):
    for event in full_history():
        public = {k: v for k, v in registry.validate_for_write(event).data.items()
                  if k != "personal"}
        assert not {"erased_by", "overridden_by", "read_by"} & set(public), event.type
        assert "dpo-1" not in json.dumps(public) and "c1" not in json.dumps(public).split('"')
