"""The pathway state as a JSON document and back (read model storage).

The read model keeps the whole folded state so the candidates of a list or work-queue
page (found by equality on bucket keys, see read_model.py) are checked in Python with the
domain's own predicates and today's date.
"""
from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

from services.pathway.domain.history import export_history, import_history
from services.pathway.domain.records import as_date, iso
from services.pathway.domain.state import Attestation, PathwayState, Transfer


def _plain(obj: Any) -> dict[str, Any]:
    return {f.name: iso(v) if hasattr(v, "isoformat") else v
            for f in fields(obj) for v in [getattr(obj, f.name)]}


def encode(state: PathwayState) -> dict[str, Any]:
    """Every field of the state: `export_history` plus what a transfer does not carry."""
    return {**export_history(state),
            "aggregate_status": state.status,
            "forwarded_to": state.forwarded_to,
            "transfers": [_plain(t) for t in state.transfers],
            "attestations": [_plain(a) for a in state.attestations]}


def decode(doc: dict[str, Any]) -> PathwayState:
    centre = doc["centre"]
    # import_history appends the exporting centre to previous_centres: undo that here.
    state = import_history({**doc, "centre": centre}, centre)
    return replace(
        state, previous_centres=tuple(doc["previous_centres"]),
        status=doc["aggregate_status"], forwarded_to=doc["forwarded_to"],
        transfers=tuple(Transfer(**{**t, "proposed_on": as_date(t["proposed_on"]),
                                    "closed_on": as_date(t["closed_on"])})
                        for t in doc["transfers"]),
        attestations=tuple(Attestation(**{**a, "issued_on": as_date(a["issued_on"]),
                                          "revoked_on": as_date(a["revoked_on"])})
                           for a in doc["attestations"]))
