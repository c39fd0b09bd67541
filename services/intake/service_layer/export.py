"""Access export (« droit d'accès », art. 15 GDPR): everything the centre holds on a person.

The file as shown on screen, every event of its stream decrypted, the access log, the
key's life cycle, where the region's pseudonym index says the person is followed, and
the pathway service's part (pathway, its events, hours credited from the partners'
attendance reports, transfers, attestations), fetched with the caller's token.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from shared.application import Loaded
from services.intake.adapters import pathway_export
from services.intake.bootstrap import IntakeServices
from services.intake.service_layer.views import file_view

EVENT_LABELS = {
    "intake.PersonRegistered": "Inscription au bureau d'accueil",
    "intake.EligibilityDecided": "Décision d'obligation calculée",
    "intake.EligibilityOverridden": "Décision corrigée par la coordination",
    "intake.DispenseRecorded": "Dispense enregistrée",
    "intake.BilanSocialRecorded": "Bilan social",
    "intake.FrenchTestRecorded": "Test de français",
    "intake.ConsentRecorded": "Consentement",
    "intake.AddressChanged": "Changement d'adresse",
    "intake.PersonErased": "Effacement des données",
    "intake.PersonFileHandedOver": "Dossier scellé pour le centre destinataire",
    "intake.PersonTransferredOut": "Dossier transféré vers un autre centre",
    "intake.PersonTransferredIn": "Dossier reçu d'un autre centre",
}


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def build_export(svc: IntakeServices, loaded: Loaded, authorization: str = "") -> dict[str, Any]:
    state = loaded.state
    person_id = state.person_id
    events = []
    for commit in loaded.commits:
        for event in commit.events:
            data = {k: v for k, v in event.data.items() if k != "sealed"}
            events.append({"version": commit.version, "recorded_at": commit.recorded_at,
                           "type": event.type, "label": EVENT_LABELS.get(event.type, event.type),
                           "data": data})
    key = svc.keys.status(person_id) or {}
    return {
        "generated_at": datetime.now(timezone.utc).isoformat(),
        "centre": svc.centre, "person_id": person_id,
        "transferred_to": state.transferred_to,
        "file": file_view(state, loaded.version),
        "events": events,
        "access_log": svc.access_log.entries(person_id),
        "data_key": {k: _jsonable(v) for k, v in key.items()},
        "followed_in_centres": svc.pseudonyms.centres(state.pseudonym) if state.pseudonym else [],
        "pathway": pathway_export.fetch(svc.config.pathway_url, person_id, authorization),
    }
