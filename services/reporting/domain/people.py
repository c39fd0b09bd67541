"""People received (« personnes reçues »): one document per person file and centre,
folded from intake's public events, and the region-wide view of who is where now.

The document keeps coarse attributes only (status, sex, age band, nationality, commune
NIS code, dates) and the regional pseudonym; intake never publishes a name. A transfer
leaves a forwarding document at the sender (`transferred_to`) and a new one at the
receiver, so `current_people` counts the person once, where the person is now.
"""
from __future__ import annotations

from typing import Any

from shared.events.envelope import Envelope

REGISTERED = "intake.PersonRegistered"
DECIDED = "intake.EligibilityDecided"
OVERRIDDEN = "intake.EligibilityOverridden"
TRANSFERRED_IN = "intake.PersonTransferredIn"
TRANSFERRED_OUT = "intake.PersonTransferredOut"
ERASED = "intake.PersonErased"
# Events carrying the coarse header: the latest values win (corrections, moves).
_HEADER = ("intake.DispenseRecorded", "intake.BilanSocialRecorded",
           "intake.FrenchTestRecorded", "intake.ConsentRecorded", "intake.AddressChanged")
_ATTRIBUTES = ("sex", "nationality", "commune_nis")


def evolve(state: dict[str, Any] | None, env: Envelope) -> dict[str, Any] | None:
    d = env.data
    if env.type == REGISTERED:
        return _new(env, registered_on=d["registered_on"], age_band=d["age_band"])
    if env.type == TRANSFERRED_IN:
        doc = _new(env, registered_on=d["registered_on"], age_band=d["age_band"])
        return {**doc, "status": d.get("final_status"), "from_centre": d["from_centre"],
                "received_on": d["received_on"]}
    if state is None:
        return None   # nothing to amend: not a person stream reporting knows
    if env.type in (DECIDED, OVERRIDDEN):
        return {**state, **_header(d), "status": d["status"]}
    if env.type in _HEADER:
        return {**state, **_header(d)}
    if env.type == TRANSFERRED_OUT:
        transfer = {"id": d["transfer_id"], "from": env.centre, "to": d["to_centre"],
                    "on": d["transferred_on"]}
        return {**state, "transferred_to": d["to_centre"],
                "transfers_out": [*state.get("transfers_out", []), transfer]}
    if env.type == ERASED:
        # Aggregates stay (they are anonymous); the link to the person goes.
        return {**state, "pseudonym": None, "erased": True}
    return None


def _new(env: Envelope, *, registered_on: str, age_band: str) -> dict[str, Any]:
    d = env.data
    return {"centre": env.centre, "pseudonym": d["pseudonym"], "age_band": age_band,
            **_header(d), "registered_on": registered_on, "status": None,
            "transferred_to": None, "transfers_out": [], "erased": False}


def _header(d: dict[str, Any]) -> dict[str, Any]:
    return {k: d[k] for k in _ATTRIBUTES if k in d}


def current_people(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One document per person, region-wide: where the person is now.

    Files transferred away are dropped (the receiver holds the person). The same
    pseudonym open in two centres without a transfer counts once, at the most recent
    file; `first_registered_on` keeps the earliest reception, which dates the person
    in the yearly figures."""
    by_person: dict[str, list[dict[str, Any]]] = {}
    for doc in docs:
        key = doc.get("pseudonym") or f"doc:{doc['_id']}"
        by_person.setdefault(key, []).append(doc)
    out = []
    for files in by_person.values():
        active = [f for f in files if not f.get("transferred_to")]
        if not active:
            continue
        current = max(active, key=lambda f: (f.get("received_on") or f.get("registered_on")
                                             or "", f["_id"]))
        first = min(f.get("registered_on") or "9999" for f in files)
        out.append({**current, "first_registered_on": first})
    return out


def transfers(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [t for doc in docs for t in doc.get("transfers_out", [])]
