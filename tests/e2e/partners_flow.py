"""A centre's partner network over HTTP, for end-to-end tests: an approved operator, an
agreement for this year and one offer, then referrals accepted by the operator's staff.
Shared by the partners e2e test and the pathway journey."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from shared.clock import today as brussels_today
from tests.api_client import ApiClient, eventually


def ok(resp, *codes):
    assert resp.status_code in (codes or (200,)), (resp.status_code, resp.text[:2000])
    return resp


@dataclass
class Network:
    centre: str
    operator_id: str
    offer_id: str
    coordination: ApiClient
    operator: ApiClient          # a partenaire of this operator
    sessions: list[str]

    def refer(self, person_id: str, consent: bool = False, partage=None,
              timeout: float = 300) -> str:
        """Propose a referral; partners knows the person once its worker has read the
        pathway opened (or received) on the centre's topic: 404 until then."""
        body = {"offer_id": self.offer_id, "person_id": person_id, "purpose": "training",
                "consent": consent, "partage": partage}
        r = eventually(lambda: (resp := self.coordination.post("/api/v1/referrals", body))
                       .status_code != 404 and resp, timeout=timeout)
        return ok(r, 201).json()["referral_id"]

    def accept(self, referral_id: str) -> dict:
        return ok(self.operator.post(f"/api/v1/referrals/{referral_id}/acceptance")).json()


def network(stack, centre: str, *, kind: str = "french", capacity: int = 20,
            sessions: int = 5, hours: float = 2.0) -> Network:
    tag = uuid.uuid4().hex[:8]
    operator_id, offer_id = f"op-{tag}", f"offre-{tag}"
    coordination = stack.client(centre, "partners", "coordination")
    ok(coordination.post("/api/v1/operators", {
        "operator_id": operator_id, "name": f"Opérateur {tag}", "type": "association",
        "bce": "0203.201.340", "approval": "approved", "communes": ["62022"],
        "contacts": [{"function": "coordination FLE", "email": "fle@example.be"}]}), 201)
    today = brussels_today()
    ok(coordination.post("/api/v1/agreements", {
        "agreement_id": f"conv-{tag}", "operator_id": operator_id, "subject": kind
        if kind in ("french", "citizenship") else "other",
        "valid_from": f"{today.year}-01-01", "valid_to": f"{today.year}-12-31",
        "quota_kind": "seats", "quota": 10_000, "funding_ref": "AViQ-2026"}), 201)
    days = sorted((today - timedelta(days=n)).isoformat() for n in range(sessions))
    operator = ApiClient(stack.url(centre, "partners"),
                         stack.token("partenaire", centre, operator_id=operator_id))
    ok(operator.post("/api/v1/offers", {
        "offer_id": offer_id, "operator_id": operator_id, "agreement_id": f"conv-{tag}",
        "title": f"Cours {tag}", "kind": kind, "level": "A1" if kind == "french" else None,
        "language": "fr", "commune_nis": "62022", "capacity": capacity,
        "sessions": [{"date": d, "hours": hours} for d in days]}), 201)
    return Network(centre, operator_id, offer_id, coordination, operator, days)
