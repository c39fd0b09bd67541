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
from services.intake.domain.events import EVENT_SCHEMAS, register_events
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


def test_all_nine_types_registered_at_v1(registry):
    # the file's nine types, plus transfers and the access log (intake.PersonFileRead)
    assert set(EVENT_SCHEMAS) <= set(registry.types())
    assert len(EVENT_SCHEMAS) == 9
    assert all(registry.latest_version(t) == 1 for t in EVENT_SCHEMAS)


def test_emitted_events_validate_and_roundtrip(registry):
    events = full_history()
    assert {e.type for e in events} == set(EVENT_SCHEMAS)
    for event in events:
        written = registry.validate_for_write(event)
        stored = json.loads(json.dumps(written.data))          # what the store keeps
        assert registry.read(event.type, 1, stored).data == stored


def test_stripped_personal_still_reads(registry):
    for event in full_history():
        registry.read(event.type, 1, {**registry.validate_for_write(event).data, "personal": None})


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
    tampered = DomainEvent(erased.type, {**erased.data, "personal": {"name": "Diop"}})
    assert registry.validate_for_write(tampered).data["personal"] is None
