"""The pathway service's part of an access export, fetched with the DPO's own token
(`GET <pathway>/api/v1/pathways/<id>/export`): intake never reads pathway's store."""
from __future__ import annotations

from typing import Any

import requests

from shared.errors import StoreUnavailable


def fetch(base_url: str, person_id: str, authorization: str) -> dict[str, Any] | None:
    """The pathway's export, or None (no pathway service configured, no pathway here).
    An unreachable or failing pathway service is a 503: never an export that looks
    complete and is not."""
    if not base_url:
        return None
    try:
        r = requests.get(f"{base_url}/api/v1/pathways/{person_id}/export", timeout=10,
                         headers={"Authorization": authorization})
    except requests.RequestException:
        r = None
    if r is not None and r.status_code in (404, 410):
        return None
    if r is None or r.status_code != 200:
        raise StoreUnavailable("le service des parcours ne répond pas : l'export d'accès "
                               "serait incomplet, réessayez",
                               message_en="the pathway service is unavailable: the access "
                               "export would be incomplete, retry")
    return r.json()
