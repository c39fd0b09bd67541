"""The public attestation check on the running stack: a number with a wrong check part
(or none) finds nothing, and one client address is limited (429 problem+json in French
with Retry-After) while another still gets its answer."""
from __future__ import annotations

import re

import pytest
import requests
from requests.adapters import HTTPAdapter

from services.pathway.adapters.numbers import sequence_of
from services.pathway.domain.vocab import CHECK_ALPHABET
from shared.config import Config

from .journey import ok, public

pytestmark = pytest.mark.infra


def _other_check(number: str) -> str:
    head, check = number.rsplit("-", 1)
    return f"{head}-{''.join(CHECK_ALPHABET[(CHECK_ALPHABET.index(c) + 1) % 32] for c in check)}"


def test_a_number_with_a_wrong_check_part_is_not_found(stack, journey):
    anonymous = public(stack, "cai")
    assert re.fullmatch(r"CAI-\d{4}-\d{6}-[0-9A-Z]{4}", journey.number)
    ok(anonymous.get(f"/api/v1/attestations/{journey.number}/verification"))
    for guess in (_other_check(journey.number), sequence_of(journey.number)):
        assert anonymous.get(f"/api/v1/attestations/{guess}/verification").status_code == 404
        page = anonymous.get(f"/verification/{guess}")
        assert page.status_code == 404 and "Attestation introuvable" in page.text


class _FromAddress(HTTPAdapter):
    """Connects from another loopback address: another client, as the service sees it."""

    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def test_the_public_check_is_rate_limited_per_client_address(stack, journey):
    allowed = int(Config.__dataclass_fields__["public_rate_limit"].default.split()[0])
    base = stack.url("cai", "pathway")
    client = requests.Session()
    client.mount("http://", _FromAddress("127.0.0.2"))
    wrong = _other_check(journey.number)
    codes = []
    for i in range(allowed + 5):
        path = f"/verification/{wrong}" if i % 2 else f"/api/v1/attestations/{wrong}/verification"
        r = client.get(base + path, timeout=30)
        codes.append(r.status_code)
        if r.status_code == 429:
            break
    assert codes[:-1] == [404] * allowed and codes[-1] == 429, codes   # one shared budget
    assert r.headers["Content-Type"].startswith("application/problem+json")
    assert r.json()["title"] == "Trop de requêtes" and "réessayez" in r.json()["detail"]
    assert 1 <= int(r.headers["Retry-After"]) <= 61
    # the genuine holder, from another address, is still answered
    assert ok(public(stack, "cai").get(f"/verification/{journey.number}")).status_code == 200
