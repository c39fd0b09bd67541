from __future__ import annotations

import pytest

from shared.auth import DevIssuer
from shared.clock import today as brussels_today

from .harness import Centre


@pytest.fixture
def issuer(tmp_path):
    issuer = DevIssuer(tmp_path / "issuer")
    issuer.ensure_keys()
    return issuer


@pytest.fixture
def centres(infra, mongo, issuer):
    made = []

    def make(name: str, today=None) -> Centre:
        c = Centre(name, mongo, infra["mongodb_uri"], issuer, today or brussels_today())
        made.append(c)
        return c
    yield make
    for c in made:
        c.drop()
