from __future__ import annotations

import pytest

from tests.e2e.reporting.people import PLAN, registration


@pytest.fixture(scope="package")
def registered(stack) -> list[dict]:
    """Register the plan's people at cripel and cai; returns the bodies sent."""
    sent = []
    for centre, commune, postal, count in PLAN:
        intake = stack.client(centre, "intake", "accueil")
        for n in range(count):
            body = registration(commune, postal, n)
            r = intake.post("/api/v1/persons", json=body)
            assert r.status_code == 201, r.text
            sent.append(body)
    return sent


@pytest.fixture(scope="package")
def analyst(stack):
    return stack.client("region", "reporting", "analyste")
