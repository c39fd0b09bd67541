"""Seats on the real store (FerretDB/PostgreSQL): concurrent acceptances never exceed an
offer's capacity, and a freed seat promotes exactly one person waiting."""
from __future__ import annotations

import base64
import threading
import uuid
from datetime import date

import pytest

from shared.auth import Principal
from shared.clock import today as brussels_today
from shared.config import Config
from shared.events.envelope import Envelope, sequence

from services.partners.bootstrap import bootstrap
from services.partners.service_layer import offers, operators

COORD = Principal("coord-1", frozenset({"coordination"}), "cripel")
FLE = Principal("fle-1", frozenset({"partenaire"}), "cripel", operator_id="fle-liege")


@pytest.fixture
def svc(infra, mongo):
    name = f"t_partners_{uuid.uuid4().hex[:8]}"
    cfg = Config(service="partners", centre="cripel", kafka_bootstrap_servers="unused:9092",
                 mongodb_uri=infra["mongodb_uri"], mongodb_db=name,
                 master_key=base64.b64encode(b"m" * 32).decode())
    yield bootstrap(cfg)
    mongo.drop_database(name)


def test_twenty_parallel_acceptances_on_ten_seats(svc):
    today = brussels_today()
    operators.register_operator(svc, COORD, {
        "operator_id": "fle-liege", "name": "FLE Liège", "type": "association", "bce": None,
        "approval": "approved", "communes": ["62063"],
        "personal": {"contacts": [], "staff": []}})
    operators.sign(svc, COORD, {
        "agreement_id": "conv-1", "operator_id": "fle-liege", "subject": "french",
        "valid_from": date(today.year, 1, 1), "valid_to": date(today.year, 12, 31),
        "quota_kind": "seats", "quota": 100, "funding_ref": None})
    offers.publish(svc, FLE, {
        "offer_id": "fle-a2", "operator_id": "fle-liege", "agreement_id": "conv-1",
        "title": "FLE A2 soir", "kind": "french", "level": "A2", "language": "fr",
        "commune_nis": "62063", "capacity": 10, "sessions": []})
    svc.people.apply([Envelope(f"pathway-p-{i}:1", "/cri/cripel/pathway",
                               "pathway.PathwayOpened", 1, "2026-11-29T10:00:00Z",
                               f"pathway-p-{i}", sequence(1, 0), {}) for i in range(20)])
    rids = [offers.propose(svc, COORD, {"offer_id": "fle-a2", "person_id": f"p-{i}",
                                        "purpose": "training", "consent": False})[1]
            for i in range(20)]

    start, errors = threading.Barrier(20), []

    def accept(rid: str) -> None:
        try:
            start.wait()
            offers.transition(svc, FLE, "fle-a2", rid, "accept")
        except Exception as exc:      # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=accept, args=(r,)) for r in rids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    state = svc.offers.load("fle-a2").state
    statuses = [state.referrals[r].status for r in rids]
    assert statuses.count("accepted") == 10 and statuses.count("waitlisted") == 10
    positions = sorted(r.waitlist_position for r in state.waiting())
    assert positions == list(range(1, 11))          # one place in line each, no gaps
    doc = svc.read_model.get("offers", "fle-a2")
    assert (doc["taken"], doc["waiting"]) == (10, 10)

    first_waiting = state.waiting()[0].referral_id
    accepted = next(r for r in rids if state.referrals[r].status == "accepted")
    after = offers.transition(svc, COORD, "fle-a2", accepted, "cancel", "person_request").state
    assert after.seats_taken == 10 and len(after.waiting()) == 9
    assert after.referrals[first_waiting].status == "accepted"
    promoted = [e for e in svc.offers.load("fle-a2").events
                if e.type == "partners.ReferralPromoted"]
    assert [e.data["referral_id"] for e in promoted] == [first_waiting]
    waiting_docs = svc.read_model.find("referrals", offer_id="fle-a2", status="waitlisted")
    assert len(waiting_docs) == 9
