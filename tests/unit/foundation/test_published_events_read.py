"""What a consumer reads off the bus is the event without its `personal` part: an event
type whose schema requires that part must still be read, not dead-lettered (reporting
dead-lettered every partners.ReferralProposed)."""
from __future__ import annotations

import pytest

from services.catalog import build_registry
from shared.errors import InvalidEvent
from shared.events.envelope import public_data


def test_a_published_referral_proposal_is_read_without_its_personal_part():
    registry = build_registry()
    stored = {"referral_id": "r-1", "offer_id": "o-1", "operator_id": "op-1",
              "person_id": "p-1", "kind": "french", "on": "2026-11-30",
              "agreement_id": "a-1", "purpose": "training", "consent": True,
              "personal": {"card": "sealed"}}
    event_type = "partners.ReferralProposed"
    version = registry.latest_version(event_type)
    assert registry.read(event_type, version, stored).data["consent"] is True
    published = public_data(stored)
    assert "personal" not in published
    assert registry.read(event_type, version, published).data["referral_id"] == "r-1"


def test_any_other_missing_field_is_still_refused():
    registry = build_registry()
    event_type = "partners.ReferralProposed"
    with pytest.raises(InvalidEvent):
        registry.read(event_type, registry.latest_version(event_type),
                      {"referral_id": "r-1", "offer_id": "o-1"})
