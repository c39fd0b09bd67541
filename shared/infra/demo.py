"""Demo data for the local stack (filled in as the domain services land)."""
from __future__ import annotations

import requests


def seed_if_empty(stack, urls: dict) -> dict:
    """Send one probe per centre service so the wiring shows on the reporting side."""
    token = stack.issuer().token(["accueil"], "region")
    sent = 0
    for centre, services in urls["centres"].items():
        for service, base in services.items():
            r = requests.post(f"{base}/api/v1/probes", json={"note": "démarrage"},
                              headers={"Authorization": f"Bearer {token}"}, timeout=10)
            r.raise_for_status()
            sent += 1
    return {"probes": sent}
