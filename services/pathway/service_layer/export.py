"""The pathway's part of an access export (art. 15 GDPR), asked by intake's export:
the pathway as shown, every event of its stream (hours credited from the partners'
attendance reports included), its transfers and attestations."""
from __future__ import annotations

from typing import Any

from shared.errors import Gone, NotFound
from shared.events.canonical import json_types

from services.pathway.bootstrap import PathwayServices
from services.pathway.domain.event_names import HOURS_CREDITED
from services.pathway.service_layer.views import pathway_view


def export(svc: PathwayServices, person_id: str) -> dict[str, Any]:
    if person_id in svc.read_model.erased:
        raise Gone("les données de cette personne ont été effacées",
                   message_en="this person's data was erased")
    loaded = svc.pathways.load(person_id)
    if loaded.state.status == "new":
        raise NotFound("aucun parcours pour cette personne dans ce centre",
                       message_en="no pathway for this person in this centre")
    rm = svc.read_model
    return json_types({
        "centre": svc.centre, "person_id": person_id,
        "pathway": pathway_view(person_id, loaded.state, loaded.version, svc.today()),
        "events": [{"version": c.version, "recorded_at": c.recorded_at, "type": e.type,
                    "data": e.data} for c in loaded.commits for e in c.events],
        "attendance": [e.data for c in loaded.commits for e in c.events
                       if e.type == HOURS_CREDITED],
        "transfers": [_public(d) for d in rm.transfers.find({"person_id": person_id})],
        "attestations": [_public(d) for d in rm.attestations.find({"person_id": person_id})],
    })


def _public(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k not in ("_id", "version")}
