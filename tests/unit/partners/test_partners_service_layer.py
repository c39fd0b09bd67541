"""Partners' service layer on the in-memory store (bootstrap with a fake database)."""
from __future__ import annotations

from datetime import date

import pytest

from shared.auth import Principal
from shared.config import Config
from shared.errors import DomainRuleViolation
from shared.store.memory import memory_database

from services.partners.bootstrap import bootstrap
from services.partners.service_layer.attendance import record

TODAY = date(2026, 11, 29)
OPERATOR = Principal(subject="op-1", roles=frozenset({"partenaire"}), centre="cripel",
                     operator_id="fle-liege")
REPORT = {"attendance_id": "a-1", "person_id": "p-1", "training": "french", "hours": 3.0,
          "session_date": date(2026, 11, 20)}


@pytest.fixture
def svc():
    config = Config(service="partners", centre="cripel", kafka_bootstrap_servers="unused:1",
                    mongodb_uri="mongodb://unused:1", mongodb_db="unused")
    return bootstrap(config, db=memory_database(), today=lambda: TODAY)


def test_a_report_is_recorded_once_and_never_rewritten(svc):
    first, created = record(svc, OPERATOR, REPORT)
    assert created and first.version == 1
    assert first.state[0].data["operator_id"] == "fle-liege"
    again, created = record(svc, OPERATOR, REPORT)
    assert not created and again.version == 1
    with pytest.raises(DomainRuleViolation):
        record(svc, OPERATOR, {**REPORT, "hours": 4.0})
