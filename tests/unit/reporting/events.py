"""Envelopes as reporting receives them (public data only), and an in-memory store
for the projector: enough of pymongo's collection API for StreamProjection."""
from __future__ import annotations

import itertools
import uuid

from shared.events.envelope import Envelope, sequence

_versions: dict[tuple[str, str], itertools.count] = {}


def env(centre: str, service: str, event_type: str, subject: str, data: dict,
        time: str = "2025-06-01T10:00:00+00:00") -> Envelope:
    counter = _versions.setdefault((centre, subject), itertools.count(1))
    seq = sequence(next(counter), 0)
    return Envelope(f"{subject}:{seq}", f"/cri/{centre}/{service}", event_type, 1, time,
                    subject, seq, data)


def header(centre: str, person_id: str, pseudonym: str, **over) -> dict:
    return {"person_id": person_id, "pseudonym": pseudonym, "pseudonym_strength": "strong",
            "centre": centre, "age_band": "26-35", "sex": "F", "nationality": "SY",
            "commune_nis": "62063", **over}


def registered(centre: str, person_id: str | None = None, pseudonym: str | None = None,
               status: str = "obligated", on: str = "2025-03-10", **over) -> list[Envelope]:
    person_id = person_id or str(uuid.uuid4())
    pseudonym = pseudonym or uuid.uuid4().hex
    h = header(centre, person_id, pseudonym, **over)
    subject = f"person-{person_id}"
    return [env(centre, "intake", "intake.PersonRegistered", subject,
                {**h, "registered_on": on}),
            env(centre, "intake", "intake.EligibilityDecided", subject,
                {**h, "status": status, "rule_version": "2025-v1", "reason_codes": [],
                 "reasons": [], "dispense_grounds": [], "deadline": None,
                 "wants_voluntary": False, "assessed_on": on})]


def FakeDb():
    """The in-memory database the unit tests use (it passes the store contract suite)."""
    from shared.store.memory import memory_database
    return memory_database()
