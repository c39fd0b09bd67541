"""Opening a pathway from intake's eligibility, and the event schemas' registration."""
from __future__ import annotations

import pytest

from services.pathway.domain import (EVENT_SCHEMAS, OpenPathway, decide_open, evolve,
                                     register_events)
from services.pathway.domain import event_names as n
from services.pathway.domain.state import EMPTY
from shared.errors import DomainRuleViolation, InvalidEvent, UnknownEventType, ValidationFailed
from shared.events.registry import EventRegistry, registry as global_registry
from shared.messages import DomainEvent

from .builders import REGISTRY, d, opened, run

TODAY = d("2025-03-01")


def _open(status, permit=None, **kw):
    return OpenPathway("p-1", "ps-1", "cripel", status, permit and d(permit), **kw)


@pytest.mark.parametrize("command, version", [
    (_open("obligated", "2024-12-20"), "2016"),
    (_open("obligated", "2025-01-01"), "2025"),
    (_open("voluntary"), "2025"),                         # by opening date
    (_open("voluntary", "2024-06-01"), "2016"),
    (_open("dispensed", "2025-01-10", on_request=True,
           justification="nationality_application"), "2025"),
    (_open("out_of_scope", on_request=True, justification="personal_request"), "2025"),
])
def test_opening(command, version):
    state, events = run(EMPTY, decide_open, command, TODAY)
    assert events[0].data["rule_version"] == version
    assert (state.status, state.eligibility_status) == ("open", command.status)
    with pytest.raises(DomainRuleViolation):
        decide_open(state, command, TODAY)


@pytest.mark.parametrize("command, fields", [
    (_open("obligated"), {"permit_order_date"}),
    (_open("dispensed", "2025-01-10"), {"on_request", "justification"}),
    (_open("dispensed", "2025-01-10", on_request=True), {"justification"}),
    (_open("out_of_scope", justification="other"), {"on_request"}),
    (_open("refugee", "2025-01-10"), {"status"}),
    (_open("obligated", "2025-04-01"), {"permit_order_date"}),   # future
    (OpenPathway("", "", "CRIPEL!", "voluntary", None), {"person_id", "pseudonym", "centre"}),
])
def test_opening_input_errors_are_field_level(command, fields):
    with pytest.raises(ValidationFailed) as err:
        decide_open(EMPTY, command, TODAY)
    assert set(err.value.fields) == fields


def test_register_events_registers_every_type_once_and_not_globally():
    assert set(REGISTRY.types()) == set(n.ALL) == set(EVENT_SCHEMAS)
    assert all(t.startswith("pathway.") for t in n.ALL)
    assert not any(t.startswith("pathway.") for t in global_registry.types())
    fresh = EventRegistry()
    register_events(fresh)
    with pytest.raises(ValueError):
        register_events(fresh)


@pytest.mark.parametrize("event", [
    DomainEvent(n.OPENED, {**opened().data, "name": "Jean Dupont"}),   # no personal field
    DomainEvent(n.ATTESTATION_ISSUED, {"number": "CRIPEL-2026-000001",
                                       "issued_on": "2026-01-01", "centre": "cripel",
                                       "holder_initials": "Jean Dupont"}),
    DomainEvent(n.CLOCK_SUSPENDED, {"suspension_id": "s", "reason": "holiday",
                                    "start": "2025-01-01", "end": None}),
    DomainEvent(n.RECEPTION_STEP_RECORDED, {"step": "french_test", "done_on": "2025-01-01",
                                            "session": None, "french_level": None,
                                            "needs_osp": None}),
])
def test_invalid_payloads_are_refused_on_write(event):
    with pytest.raises(InvalidEvent):
        REGISTRY.validate_for_write(event)


def test_unknown_event_type_is_refused_by_evolve():
    with pytest.raises(UnknownEventType):
        evolve(EMPTY, DomainEvent("pathway.Nonsense", {}))
