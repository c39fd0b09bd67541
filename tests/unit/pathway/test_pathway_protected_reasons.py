"""Art. 9 reasons (illness, maternity) stay in the centre: coarse on the bus, precise in
the pathway's own store and state; v1 events stored before still replay the same."""
from __future__ import annotations

import json

from services.pathway.domain import decide_suspend_clock
from services.pathway.domain import event_names as n
from services.pathway.domain.commands import SuspendClock
from shared.events import envelope
from tests.unit.pathway.builders import (REGISTRY, d, extended, opened, replay, run, signed,
                                         stored, suspended)


def published(event) -> dict:
    written = REGISTRY.validate_for_write(event)
    _, value, _ = envelope.encode("/cri/cripel/pathway", "pathway-p-1", 3, 0, "t",
                                  {"type": written.type, "version": written.version,
                                   "data": written.data})
    return json.loads(value)


def test_a_maternity_suspension_is_coarse_on_the_bus_and_precise_in_the_state():
    state = replay(opened(), signed())
    state, [event] = run(state, decide_suspend_clock,
                         SuspendClock("s-9", "maternity", d("2024-04-01")), d("2024-04-02"))
    assert event.version == REGISTRY.latest_version(n.CLOCK_SUSPENDED) == 2
    assert published(event) == {"suspension_id": "s-9", "reason": "motif_protege",
                                "start": "2024-04-01", "end": None}
    assert [s.reason for s in state.suspensions] == ["maternity"]
    # a consumer of the topic (reporting) folds the coarse reason, and validates it
    seen = REGISTRY.read(event.type, 2, published(event))
    assert seen.data["reason"] == "motif_protege" and not seen.data.get("personal")
    # a reason that is no art. 9 code travels as it is
    _, [other] = run(state, decide_suspend_clock,
                     SuspendClock("s-10", "absence_from_territory", d("2024-07-01")),
                     d("2024-07-02"))
    assert published(other)["reason"] == "absence_from_territory"


def test_v1_events_with_precise_reasons_still_replay_to_the_same_state():
    old = [suspended("s1", "2024-05-01", "2024-06-01", reason="illness"),
           extended(3, reason="illness")]
    assert all(e.version == 1 for e in old)
    upcast = [stored(e) for e in old]
    assert [e.version for e in upcast] == [2, 2]
    assert [e.data["reason"] for e in upcast] == ["motif_protege"] * 2
    assert [e.data["personal"]["reason"] for e in upcast] == ["illness"] * 2
    state = replay(opened(), signed(), *old)
    assert [s.reason for s in state.suspensions] == ["illness"]
    assert [x.reason for x in state.extensions] == ["illness"]
