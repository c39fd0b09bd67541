"""The partners' attendance as the pathway worker takes it: a batch of events is applied
per person, in order, in bounded commits (one stream load for many rows), each attendance
credited once; a person whose pathway is not open here has them parked."""
from __future__ import annotations

import pytest

from shared.errors import ValidationFailed
from shared.events.envelope import Envelope

from services.pathway.service_layer import attendance
from services.pathway.service_layer.facts import FACTS_PER_COMMIT

from .builders import opened, signed
from .test_pathway_service_layer import _services

RECORDED, CORRECTED = attendance.ATTENDANCE_RECORDED, attendance.ATTENDANCE_CORRECTED


def report(n: int, person: str = "p-1", kind: str = RECORDED, hours: float = 2.0,
           training: str | None = "french") -> Envelope:
    return Envelope(f"ev-{kind}-{person}-{n}-{hours}", "/cri/cripel/partners", kind, 1,
                    "2026-11-29T10:00:00+00:00", f"offer-o-{person}", str(n),
                    {"attendance_id": f"at-{person}-{n}", "person_id": person,
                     "training": training, "hours": hours,
                     "session_date": f"2026-{1 + n % 10:02d}-{1 + n % 27:02d}"})


def _svc():
    svc = _services("cripel")
    svc.pathways.append(svc.pathways.empty("p-1"), [opened(person="p-1"), signed()])
    return svc


def french_hours(svc, person: str = "p-1") -> float:
    return sum(c.hours for c in svc.pathways.load(person).state.credits if c.training == "french")


def test_a_batch_is_credited_once_per_attendance_in_bounded_commits():
    svc = _svc()
    before = svc.pathways.load("p-1").version
    rows = FACTS_PER_COMMIT + 50
    batch = [report(n) for n in range(rows)]
    batch.insert(10, report(3))                          # the same row twice in one batch
    batch.append(report(999, training=None))             # an offer outside the trainings
    attendance.handle(svc, batch)
    loaded = svc.pathways.load("p-1")
    assert french_hours(svc) == 2.0 * rows
    assert loaded.version - before == 2                  # 150 rows: two commits, not 150
    assert max(len(c.events) for c in loaded.commits[-2:]) <= FACTS_PER_COMMIT

    # The same batch redelivered: nothing moves.
    attendance.handle(svc, batch)
    assert svc.pathways.load("p-1").version == loaded.version

    # A correction in a later batch replaces its report's hours.
    attendance.handle(svc, [report(5, kind=CORRECTED, hours=0.5)])
    assert french_hours(svc) == 2.0 * rows - 1.5


def test_credits_for_a_pathway_not_open_here_are_parked_then_applied_at_opening():
    svc = _svc()
    attendance.handle(svc, [report(n, person="p-2") for n in range(3)] + [report(0)])
    assert french_hours(svc) == 2.0
    assert len(svc.facts.waiting("p-2")) == 3
    assert svc.pathways.load("p-2").version == 0


def test_an_invalid_row_fails_the_batch_so_the_loop_can_find_it_alone():
    svc = _svc()
    bad = report(1, hours=-4.0)
    with pytest.raises(ValidationFailed):     # the loop retries one by one, then dead-letters
        attendance.handle(svc, [report(0), bad])
    attendance.handle(svc, [report(0)])
    assert french_hours(svc) == 2.0

