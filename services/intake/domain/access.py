"""Reads of a person's file (« journal des accès »): who read what, when, and why.

Every read of personal data is recorded as an `intake.PersonFileRead` event on a
stream of its own (see the service's access-log adapter), never on the file's stream,
so a read does not move the file's version (ETag). The record holds staff ids and
codes only: it outlives an erasure and may be published.
"""
from __future__ import annotations

from datetime import datetime

import marshmallow as ma
from marshmallow import fields, validate

from shared.errors import ValidationFailed
from shared.messages import DomainEvent

from .event_personal import StaffPersonal
from .protected import staff_under_personal

# Purposes are codes, not free text: free text could carry personal data into a
# record that is never erased.
PURPOSES: dict[str, str] = {
    "consultation": "Consultation du dossier",
    "accueil": "Accueil et inscription",
    "suivi": "Suivi du parcours",
    "bilan": "Bilan social",
    "eligibilite": "Décision d'obligation ou dispense",
    "demande_personne": "Demande de la personne (droit d'accès)",
    "controle": "Contrôle ou audit",
    "transfert": "Transfert vers un autre centre",
}
DEFAULT_PURPOSE = "consultation"
WHATS = ("file", "export_json", "export_pdf", "history", "list")


def check_purpose(raw: str | None) -> str:
    purpose = (raw or DEFAULT_PURPOSE).strip().lower()
    if purpose not in PURPOSES:
        message = f"Finalité inconnue : {raw!r} ({', '.join(PURPOSES)})."
        raise ValidationFailed(message, message_en=f"Unknown purpose: {raw!r}.",
                               fields={"purpose": [message]})
    return purpose


class PersonFileReadV1(ma.Schema):
    person_id = fields.UUID(required=True)
    centre = fields.String(required=True)
    read_by = fields.String(required=True)
    roles = fields.List(fields.String(), required=True)
    purpose = fields.String(required=True, validate=validate.OneOf(sorted(PURPOSES)))
    what = fields.String(required=True, validate=validate.OneOf(WHATS))
    read_at = fields.DateTime(required=True)


class PersonsListedV1(ma.Schema):
    """A list or search page showed these files (names, birth dates) to a reader."""

    person_ids = fields.List(fields.UUID(), required=True)
    centre = fields.String(required=True)
    read_by = fields.String(required=True)
    roles = fields.List(fields.String(), required=True)
    purpose = fields.String(required=True, validate=validate.OneOf(sorted(PURPOSES)))
    read_at = fields.DateTime(required=True)


class PersonFileReadV2(PersonFileReadV1):
    """v2: who read sits under `personal` (the centre's store keeps it; never published)."""
    personal = fields.Nested(StaffPersonal, allow_none=True, load_default=None)

    class Meta:
        exclude = ("read_by",)


class PersonsListedV2(PersonsListedV1):
    personal = fields.Nested(StaffPersonal, allow_none=True, load_default=None)

    class Meta:
        exclude = ("read_by",)


ACCESS_LATER_VERSIONS = [
    ("intake.PersonFileRead", 2, PersonFileReadV2, staff_under_personal("read_by")),
    ("intake.PersonsListed", 2, PersonsListedV2, staff_under_personal("read_by")),
]


def persons_listed(person_ids: list[str], centre: str, read_by: str, roles, purpose: str,
                   at: datetime) -> DomainEvent:
    return DomainEvent("intake.PersonsListed", {
        "person_ids": list(person_ids), "centre": centre, "personal": {"read_by": read_by},
        "roles": sorted(roles), "purpose": purpose, "read_at": at.isoformat()}, 2)


def file_read(person_id: str, centre: str, read_by: str, roles, purpose: str, what: str,
              at: datetime) -> DomainEvent:
    return DomainEvent("intake.PersonFileRead", {
        "person_id": person_id, "centre": centre, "personal": {"read_by": read_by},
        "roles": sorted(roles), "purpose": purpose, "what": what,
        "read_at": at.isoformat()}, 2)
