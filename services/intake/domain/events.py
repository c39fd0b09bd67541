"""Event schemas of the intake service (« événements du module d'accueil »), version 1.

Public, coarse fields sit at top level and may leave the service; everything personal
sits under "personal" (schemas in `event_personal`), which the infrastructure encrypts
per person at rest and strips before publishing (hence `allow_none`: an erased or
stripped payload still validates). Call `register_events(registry)` once; nothing is
registered at import time.
"""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from . import event_personal as personal
from . import protected
from .commands import CEFR_LEVELS, CONSENT_PURPOSES, CONSENT_RECIPIENTS, ERASURE_REASONS, SEXES
from .dispenses import DISPENSE_GROUNDS
from .eligibility import STATUSES
from .privacy import AGE_BANDS
from .territory import CENTRES

_NIS = validate.Regexp(r"^\d{5}$")
_STATUS = validate.OneOf(STATUSES)
_PUBLIC_GROUNDS = sorted({protected.public_ground(g) for g in DISPENSE_GROUNDS})


def _personal(schema: type[ma.Schema]) -> fields.Nested:
    return fields.Nested(schema, allow_none=True, load_default=None)


def _one_of(values) -> validate.OneOf:
    return validate.OneOf(sorted(values))


class _Identity(ma.Schema):
    """Who: the stream's person, pseudonymised, and the centre holding the file."""

    person_id = fields.UUID(required=True)
    pseudonym = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{32}$"))
    pseudonym_strength = fields.String(required=True, validate=validate.OneOf(["strong", "weak"]))
    centre = fields.String(required=True, validate=_one_of(CENTRES))


class _Header(_Identity):
    """Coarse attributes, as of the event, for statistics without names."""

    age_band = fields.String(required=True, validate=validate.OneOf(AGE_BANDS))
    sex = fields.String(required=True, validate=validate.OneOf(SEXES))
    nationality = fields.String(required=True, validate=validate.Regexp(r"^[A-Z]{2}$"))
    commune_nis = fields.String(required=True, validate=_NIS)


class PersonRegisteredV1(_Header):
    registered_on = fields.Date(required=True)
    personal = _personal(personal.RegisteredPersonal)


class EligibilityDecidedV1(_Header):
    status = fields.String(required=True, validate=_STATUS)
    rule_version = fields.String(required=True)
    reason_codes = fields.List(fields.String(), required=True)
    reasons = fields.List(fields.String(), required=True)
    dispense_grounds = fields.List(fields.String(validate=_one_of(DISPENSE_GROUNDS)),
                                   required=True)
    deadline = fields.Date(required=True, allow_none=True)
    wants_voluntary = fields.Boolean(required=True)
    assessed_on = fields.Date(required=True)
    personal = _personal(personal.DecidedPersonal)


class EligibilityOverriddenV1(_Header):
    status = fields.String(required=True, validate=_STATUS)
    computed_status = fields.String(required=True, validate=_STATUS)
    rule_version = fields.String(required=True)
    deadline = fields.Date(required=True, allow_none=True)
    overridden_by = fields.String(required=True)
    overridden_on = fields.Date(required=True)
    personal = _personal(personal.OverriddenPersonal)


class EligibilityDecidedV2(EligibilityDecidedV1):
    """v2: art. 9 grounds coarse in public (`motif_protege`), precise under `personal`."""
    dispense_grounds = fields.List(fields.String(validate=_one_of(_PUBLIC_GROUNDS)),
                                   required=True)
    personal = _personal(personal.DecidedPersonalV2)


class EligibilityOverriddenV2(EligibilityOverriddenV1):
    """v2: the coordinator's staff id only under `personal`."""
    personal = _personal(personal.OverriddenPersonalV2)

    class Meta:
        exclude = ("overridden_by",)


class DispenseRecordedV1(_Header):
    ground = fields.String(required=True, validate=_one_of(DISPENSE_GROUNDS))
    recorded_on = fields.Date(required=True)
    personal = _personal(personal.DispensePersonal)


class DispenseRecordedV2(_Header):
    ground = fields.String(required=True, validate=_one_of(_PUBLIC_GROUNDS))
    recorded_on = fields.Date(required=True)
    personal = _personal(personal.DispensePersonalV2)


class BilanSocialRecordedV1(_Header):
    needs_osp = fields.Boolean(required=True)
    recorded_on = fields.Date(required=True)
    personal = _personal(personal.BilanPersonal)


class FrenchTestRecordedV1(_Header):
    level = fields.String(required=True, validate=validate.OneOf(CEFR_LEVELS))
    test_date = fields.Date(required=True)
    needs_fle = fields.Boolean(required=True)
    personal = _personal(personal.FrenchTestPersonal)


class ConsentRecordedV1(_Header):
    purpose = fields.String(required=True, validate=_one_of(CONSENT_PURPOSES))
    recipients = fields.List(fields.String(validate=_one_of(CONSENT_RECIPIENTS)),
                             required=True, validate=validate.Length(min=1))
    given = fields.Boolean(required=True)
    recorded_on = fields.Date(required=True)
    personal = _personal(personal.ConsentPersonal)


class AddressChangedV1(_Header):
    previous_commune_nis = fields.String(required=True, validate=_NIS)
    moved_to_centre = fields.String(required=True, allow_none=True, validate=_one_of(CENTRES))
    left_territory = fields.Boolean(required=True)
    changed_on = fields.Date(required=True)
    personal = _personal(personal.AddressPersonal)


class PersonErasedV1(_Identity):
    """Outlives the person's key: codes and staff ids only, nothing personal."""

    erased_by = fields.String(required=True)
    reason = fields.String(required=True, validate=_one_of(ERASURE_REASONS))
    erased_on = fields.Date(required=True)
    personal = fields.Constant(None)


class PersonErasedV2(PersonErasedV1):
    """v2: codes only; who erased is in the commit's meta, in the centre's store."""

    class Meta:
        exclude = ("erased_by",)


# Newer versions: (type, version, schema, upcaster from the previous version).
LATER_VERSIONS = [
    ("intake.EligibilityDecided", 2, EligibilityDecidedV2, protected.decided_v2),
    ("intake.EligibilityOverridden", 2, EligibilityOverriddenV2,
     protected.staff_under_personal("overridden_by")),
    ("intake.DispenseRecorded", 2, DispenseRecordedV2, protected.dispense_v2),
    ("intake.PersonErased", 2, PersonErasedV2, protected.without("erased_by")),
]


def latest(event_type: str) -> int:
    """The version an intake event is written at."""
    return max((v for t, v, _, _ in LATER_VERSIONS if t == event_type), default=1)


EVENT_SCHEMAS: dict[str, type[ma.Schema]] = {
    "intake.PersonRegistered": PersonRegisteredV1,
    "intake.EligibilityDecided": EligibilityDecidedV1,
    "intake.EligibilityOverridden": EligibilityOverriddenV1,
    "intake.DispenseRecorded": DispenseRecordedV1,
    "intake.BilanSocialRecorded": BilanSocialRecordedV1,
    "intake.FrenchTestRecorded": FrenchTestRecordedV1,
    "intake.ConsentRecorded": ConsentRecordedV1,
    "intake.AddressChanged": AddressChangedV1,
    "intake.PersonErased": PersonErasedV1,
}


def register_events(registry) -> None:
    """Register every intake event type, version 1 and later ones with their upcasters,
    into a `shared.events.registry.EventRegistry`."""
    from .access import ACCESS_LATER_VERSIONS, PersonFileReadV1, PersonsListedV1
    from .transfer_events import TRANSFER_EVENT_SCHEMAS
    every = {**EVENT_SCHEMAS, **TRANSFER_EVENT_SCHEMAS, "intake.PersonFileRead": PersonFileReadV1,
             "intake.PersonsListed": PersonsListedV1}
    for event_type, schema in every.items():
        registry.register(event_type, 1, schema)
    for event_type, version, schema, upcast in LATER_VERSIONS + ACCESS_LATER_VERSIONS:
        registry.register(event_type, version, schema, upcast_from_previous=upcast)
