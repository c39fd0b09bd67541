"""Attestation numbers carry a random check part; the public checks are rate-limited
per client address (429 problem+json in French, with Retry-After)."""
from __future__ import annotations

import re

from flask import Flask

from services.pathway.adapters.numbers import AttestationNumbers, sequence_of
from services.pathway.domain.vocab import ATTESTATION_NUMBER_PATTERN
from shared.store.memory import memory_database
from shared.web import problems
from shared.web.rate_limit import limit_public


def test_numbers_follow_the_sequence_with_an_unguessable_check_part():
    numbers = AttestationNumbers(memory_database("cri_test_numbers"))
    taken = [numbers.allocate("cripel", 2026, f"p{i}") for i in range(50)]
    assert [sequence_of(n) for n in taken] == [f"CRIPEL-2026-{i:06d}" for i in range(1, 51)]
    checks = [re.fullmatch(ATTESTATION_NUMBER_PATTERN, n)["check"] for n in taken]
    assert all(checks) and len(set(checks)) > 40          # drawn, not derived from the sequence
    numbers.mark_issued(taken[0])
    assert numbers.numbers.find_one({"_id": "CRIPEL-2026-000001"})["status"] == "issued"


def test_older_numbers_without_a_check_part_still_match():
    assert re.fullmatch(ATTESTATION_NUMBER_PATTERN, "CRIPEL-2026-000006")
    assert not re.fullmatch(ATTESTATION_NUMBER_PATTERN, "CRIPEL-2026-000006-K7QI")  # no I


def _app(rate: str) -> Flask:
    app = Flask("t")
    problems.install(app)
    app.add_url_rule("/verification/<number>", "check", lambda number: "ok")
    app.add_url_rule("/other", "other", lambda: "free")
    limit_public(app, ["check"], rate, "test")
    return app


def test_the_public_check_answers_429_in_french_with_retry_after_per_client():
    client = _app("3 per minute").test_client()
    one = {"REMOTE_ADDR": "192.0.2.1"}
    assert [client.get(f"/verification/N{i}", environ_base=one).status_code
            for i in range(3)] == [200, 200, 200]
    r = client.get("/verification/N4", environ_base=one)
    assert r.status_code == 429 and r.mimetype == "application/problem+json"
    assert r.json["title"] == "Trop de requêtes" and "réessayez" in r.json["detail"]
    assert 1 <= int(r.headers["Retry-After"]) <= 61       # a one-minute window
    en = client.get("/verification/N5", environ_base=one, headers={"Accept-Language": "en"})
    assert en.status_code == 429 and en.json["title"] == "Too many requests"
    assert client.get("/verification/N1", environ_base={"REMOTE_ADDR": "192.0.2.2"}).status_code == 200
    assert client.get("/other", environ_base=one).status_code == 200      # only the public check
