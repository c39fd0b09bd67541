"""Partners' service layer on the in-memory store (bootstrap with a fake database)."""
from __future__ import annotations

from datetime import date

import pytest

from shared.auth import Principal
from shared.config import Config
from shared.errors import DomainRuleViolation, Forbidden, NotFound
from shared.events.envelope import Envelope, sequence
from shared.store.memory import memory_database

from services.partners.bootstrap import bootstrap
from services.partners.service_layer.attendance import record

TODAY = date(2026, 11, 29)
OPERATOR = Principal(subject="op-1", roles=frozenset({"partenaire"}), centre="cripel",
                     operator_id="fle-liege")
REPORT = {"attendance_id": "a-1", "person_id": "p-1", "training": "french", "hours": 3.0,
          "session_date": date(2026, 11, 20)}


OTHER_OPERATOR = Principal(subject="op-2", roles=frozenset({"partenaire"}), centre="cripel",
                           operator_id="fle-namur")
NO_OPERATOR = Principal(subject="op-3", roles=frozenset({"partenaire"}), centre="cripel")


def pathway_event(person_id: str, event_type: str, version: int) -> Envelope:
    return Envelope(f"pathway-{person_id}:{version}", "/cri/cripel/pathway", event_type, 1,
                    "2026-11-29T10:00:00Z", f"pathway-{person_id}", sequence(version, 0),
                    {})


@pytest.fixture
def svc():
    config = Config(service="partners", centre="cripel", kafka_bootstrap_servers="unused:1",
                    mongodb_uri="mongodb://unused:1", mongodb_db="unused")
    s = bootstrap(config, db=memory_database(), today=lambda: TODAY)
    s.people.apply([pathway_event("p-1", "pathway.PathwayOpened", 1)])
    return s


def streams(svc) -> int:
    return svc.store.collection.count_documents({})


def test_a_report_is_recorded_once_and_never_rewritten(svc):
    first, created = record(svc, OPERATOR, REPORT)
    assert created and first.version == 1
    assert first.state[0].data["operator_id"] == "fle-liege"
    again, created = record(svc, OPERATOR, REPORT)
    assert not created and again.version == 1
    with pytest.raises(DomainRuleViolation):
        record(svc, OPERATOR, {**REPORT, "hours": 4.0})


def test_a_person_this_centre_does_not_follow_gets_no_hours(svc):
    with pytest.raises(NotFound):
        record(svc, OPERATOR, {**REPORT, "person_id": "p-unknown"})
    assert streams(svc) == 0


def test_a_person_transferred_away_gets_no_more_hours_here(svc):
    svc.people.apply([pathway_event("p-1", "pathway.ReceptionStepRecorded", 2),
                      pathway_event("p-1", "pathway.TransferCompleted", 3)])
    assert not svc.people.followed("p-1")
    with pytest.raises(NotFound):
        record(svc, OPERATOR, REPORT)


def test_a_received_pathway_is_followed_and_a_redelivery_changes_nothing(svc):
    opened = pathway_event("p-2", "pathway.PathwayReceived", 1)
    svc.people.apply([opened, pathway_event("p-2", "pathway.TransferCompleted", 2), opened])
    assert not svc.people.followed("p-2")


def test_a_partner_without_operator_id_is_refused(svc):
    with pytest.raises(Forbidden):
        record(svc, NO_OPERATOR, REPORT)
    assert streams(svc) == 0


def test_another_operators_report_is_neither_rewritten_nor_acknowledged(svc):
    record(svc, OPERATOR, REPORT)
    for body in (REPORT, {**REPORT, "hours": 5.0}):
        with pytest.raises(Forbidden):
            record(svc, OTHER_OPERATOR, body)
    assert streams(svc) == 1


def test_the_coordination_reports_for_the_centre(svc):
    coordinator = Principal(subject="c-1", roles=frozenset({"coordination"}), centre="cripel")
    loaded, created = record(svc, coordinator, REPORT)
    assert created and loaded.state[0].data["operator_id"] is None
