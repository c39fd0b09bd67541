from __future__ import annotations

import pytest
import requests

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


def publish(infra, *flags: str) -> dict:
    """`cri reporting publish` for the month just ended, as an operator runs it."""
    import json
    import os
    import subprocess
    import sys

    from shared import clock
    from services.reporting.domain.periods import Period
    env = {k: v for k, v in os.environ.items() if k != "MONGODB_DB"}
    r = subprocess.run([sys.executable, "-m", "services.cli", "reporting", "publish",
                        "--period", Period.before(clock.today()).id, "--mongodb-uri",
                        infra["mongodb_uri"], *flags],
                       capture_output=True, text=True, timeout=300, env=env)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


@pytest.fixture(scope="package")
def published(registered, analyst, stack, infra) -> dict:
    """A publication of the month just ended taken once the plan's people are counted:
    a correction, since the worker's scheduled run may have published the month before
    they arrived. Returns the public API's view of the latest publication."""
    from tests.api_client import eventually
    from tests.e2e.reporting.test_reporting_e2e import cells, communes_ready

    eventually(lambda: communes_ready(analyst), timeout=90, interval=1)
    public = stack.url("region", "reporting") + "/api/v1/publications/latest"

    def frozen_with_ours():
        publish(infra, "--correct")
        r = requests.get(public + "/personnes-par-commune", timeout=30)
        assert r.status_code == 200, r.text
        assert cells(r.json())[("61031", "cripel")]["value"] == 6
        return requests.get(public, timeout=30).json()
    return eventually(frozen_with_ours, timeout=120, interval=1)
