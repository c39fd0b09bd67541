"""The partners service's event types ("partners.<EventName>").

Streams: `operator-<id>`, `agreement-<id>`, `offer-<id>` (the offer and every referral to
it: the seats are decided in one stream, so capacity holds under concurrency) and
`attendance-<id>`. Nothing personal travels: persons are the centre's internal ids, and
what a person consents to share with an operator sits under `personal` (encrypted with
the person's key, dropped from the bus by the envelope). Reasons are coarse codes, never
a health ground. `register_events(registry)` registers them; nothing at import time.
"""
from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields as f, validate as v

from shared.events.registry import EventRegistry

from .vocab import (ABSENCE_REASONS, APPROVAL, CANCEL_REASONS, CEFR_LEVELS, DECLINE_REASONS,
                    DROP_REASONS, OFFER_KINDS, OPERATOR_TYPES, PURPOSES, QUOTA_KINDS, SUBJECTS,
                    TRAININGS)

OPERATOR_REGISTERED = "partners.OperatorRegistered"
OPERATOR_UPDATED = "partners.OperatorUpdated"
AGREEMENT_SIGNED = "partners.AgreementSigned"
AGREEMENT_AMENDED = "partners.AgreementAmended"
AGREEMENT_TERMINATED = "partners.AgreementTerminated"
OFFER_PUBLISHED = "partners.OfferPublished"
OFFER_CAPACITY_CHANGED = "partners.OfferCapacityChanged"
OFFER_CLOSED = "partners.OfferClosed"
REFERRAL_PROPOSED = "partners.ReferralProposed"
REFERRAL_ACCEPTED = "partners.ReferralAccepted"
REFERRAL_WAITLISTED = "partners.ReferralWaitlisted"
REFERRAL_PROMOTED = "partners.ReferralPromoted"
REFERRAL_DECLINED = "partners.ReferralDeclined"
REFERRAL_STARTED = "partners.ReferralStarted"
REFERRAL_COMPLETED = "partners.ReferralCompleted"
REFERRAL_DROPPED_OUT = "partners.ReferralDroppedOut"
REFERRAL_CANCELLED = "partners.ReferralCancelled"
ATTENDANCE_RECORDED = "partners.AttendanceRecorded"
ATTENDANCE_CORRECTED = "partners.AttendanceCorrected"

ID = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$"   # as shared.web.schema.RECORD_ID
NIS = r"^[0-9]{5}$"


def ident(nullable: bool = False) -> f.String:
    return f.String(required=True, allow_none=nullable, validate=v.Regexp(ID))


def code(choices, nullable: bool = False) -> f.String:
    return f.String(required=True, allow_none=nullable, validate=v.OneOf(tuple(choices)))


def day(nullable: bool = False) -> f.Date:
    return f.Date(required=True, allow_none=nullable)


def text(max_len: int = 200, nullable: bool = False) -> f.String:
    return f.String(required=True, allow_none=nullable, validate=v.Length(max=max_len))


class ContactV1(ma.Schema):
    function = text(100)
    email = text(200, nullable=True)
    phone = text(40, nullable=True)


class OperatorPersonalV1(ma.Schema):
    contacts = f.List(f.Nested(ContactV1), required=True, validate=v.Length(max=20))
    staff = f.List(f.String(validate=v.Length(max=100)), required=True,
                   validate=v.Length(max=200))


class OperatorV1(ma.Schema):
    """Registered, then each update carries the whole new description."""
    operator_id = ident()
    name = text(200)
    type = code(OPERATOR_TYPES)
    bce = f.String(required=True, allow_none=True, validate=v.Regexp(r"^[01][0-9]{9}$"))
    approval = code(APPROVAL)
    communes = f.List(f.String(validate=v.Regexp(NIS)), required=True,
                      validate=v.Length(max=300))
    personal = f.Nested(OperatorPersonalV1, required=True)


class AgreementSignedV1(ma.Schema):
    agreement_id = ident()
    operator_id = ident()
    subject = code(SUBJECTS)
    valid_from = day()
    valid_to = day()
    quota_kind = code(QUOTA_KINDS)
    quota = f.Integer(required=True, validate=v.Range(min=1, max=1_000_000))
    funding_ref = text(100, nullable=True)


class AgreementAmendedV1(ma.Schema):
    agreement_id = ident()
    valid_to = day()
    quota = f.Integer(required=True, validate=v.Range(min=1, max=1_000_000))


class AgreementTerminatedV1(ma.Schema):
    agreement_id = ident()
    terminated_on = day()


class SessionV1(ma.Schema):
    date = day()
    hours = f.Float(required=True, validate=v.Range(min=0, max=24, min_inclusive=False))


class OfferPublishedV1(ma.Schema):
    offer_id = ident()
    operator_id = ident()
    agreement_id = ident()
    title = text(200)
    kind = code(OFFER_KINDS)
    level = code(CEFR_LEVELS, nullable=True)
    language = f.String(required=True, validate=v.Regexp(r"^[a-z]{2,3}$"))
    commune_nis = f.String(required=True, validate=v.Regexp(NIS))
    capacity = f.Integer(required=True, validate=v.Range(min=1, max=10_000))
    sessions = f.List(f.Nested(SessionV1), required=True, validate=v.Length(max=500))
    published_on = day()


class OfferCapacityChangedV1(ma.Schema):
    offer_id = ident()
    capacity = f.Integer(required=True, validate=v.Range(min=1, max=10_000))


class OfferClosedV1(ma.Schema):
    offer_id = ident()
    closed_on = day()


class ReferralPersonalV1(ma.Schema):
    card = f.String(required=True, allow_none=True, validate=v.Length(max=4000))


def _referral(**extra: Any) -> type[ma.Schema]:
    """A referral event: which referral, which offer and operator, whose, when."""
    fields = {"referral_id": ident(), "offer_id": ident(), "operator_id": ident(),
              "person_id": ident(), "kind": code(OFFER_KINDS), "on": day(), **extra}
    return ma.Schema.from_dict(fields)


ReferralProposedV1 = _referral(
    agreement_id=ident(), purpose=code(PURPOSES), consent=f.Boolean(required=True),
    personal=f.Nested(ReferralPersonalV1, required=True))
ReferralAcceptedV1 = _referral()
ReferralWaitlistedV1 = _referral(position=f.Integer(required=True, validate=v.Range(min=1)))
ReferralPromotedV1 = _referral()
ReferralDeclinedV1 = _referral(reason=code(DECLINE_REASONS))
ReferralStartedV1 = _referral()
ReferralCompletedV1 = _referral()
ReferralDroppedOutV1 = _referral(reason=code(DROP_REASONS))
ReferralCancelledV1 = _referral(reason=code(CANCEL_REASONS))


class AttendanceRecordedV1(ma.Schema):
    """One attendance report ("présence"): hours a person followed in one session."""

    attendance_id = f.String(required=True, validate=v.Length(min=1, max=100))
    person_id = f.String(required=True, validate=v.Length(min=1, max=100))
    centre = f.String(required=True, validate=v.Regexp(r"^[a-z][a-z0-9_-]{1,31}$"))
    training = f.String(required=True, validate=v.OneOf(TRAININGS))
    hours = f.Float(required=True, validate=v.Range(min=0, max=24, min_inclusive=False))
    session_date = f.Date(required=True)
    operator_id = f.String(required=True, allow_none=True)
    recorded_on = f.Date(required=True)


class AttendanceRecordedV2(ma.Schema):
    """v2: per referral and session; absences are reported too (0 hours, a reason)."""

    attendance_id = ident()
    person_id = ident()
    centre = f.String(required=True, validate=v.Regexp(r"^[a-z][a-z0-9_-]{1,31}$"))
    training = code(TRAININGS, nullable=True)     # None: an offer the pathway does not count
    hours = f.Float(required=True, validate=v.Range(min=0, max=24))
    present = f.Boolean(required=True)
    absence_reason = code(ABSENCE_REASONS, nullable=True)
    session_date = day()
    operator_id = ident(nullable=True)
    referral_id = ident(nullable=True)
    offer_id = ident(nullable=True)
    agreement_id = ident(nullable=True)
    recorded_on = day()

    @ma.validates_schema
    def _presence(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("present") and not data.get("hours"):
            raise ma.ValidationError("une présence compte des heures", "hours")
        if not data.get("present") and data.get("hours"):
            raise ma.ValidationError("une absence ne compte pas d'heures", "hours")


def _v1_to_v2(d: dict[str, Any]) -> dict[str, Any]:
    return {**d, "present": True, "absence_reason": None, "referral_id": None,
            "offer_id": None, "agreement_id": None}


class AttendanceCorrectedV1(AttendanceRecordedV2):
    """A correction supersedes the report with the same id (the pathway follows)."""


EVENT_SCHEMAS: dict[str, type[ma.Schema]] = {
    OPERATOR_REGISTERED: OperatorV1, OPERATOR_UPDATED: OperatorV1,
    AGREEMENT_SIGNED: AgreementSignedV1, AGREEMENT_AMENDED: AgreementAmendedV1,
    AGREEMENT_TERMINATED: AgreementTerminatedV1,
    OFFER_PUBLISHED: OfferPublishedV1, OFFER_CAPACITY_CHANGED: OfferCapacityChangedV1,
    OFFER_CLOSED: OfferClosedV1,
    REFERRAL_PROPOSED: ReferralProposedV1, REFERRAL_ACCEPTED: ReferralAcceptedV1,
    REFERRAL_WAITLISTED: ReferralWaitlistedV1, REFERRAL_PROMOTED: ReferralPromotedV1,
    REFERRAL_DECLINED: ReferralDeclinedV1, REFERRAL_STARTED: ReferralStartedV1,
    REFERRAL_COMPLETED: ReferralCompletedV1, REFERRAL_DROPPED_OUT: ReferralDroppedOutV1,
    REFERRAL_CANCELLED: ReferralCancelledV1,
    ATTENDANCE_CORRECTED: AttendanceCorrectedV1,
}


def register_events(registry: EventRegistry) -> None:
    from .local_events import LOCAL_EVENT_SCHEMAS    # local action: plans, activities…
    for event_type, schema in {**EVENT_SCHEMAS, **LOCAL_EVENT_SCHEMAS}.items():
        registry.register(event_type, 1, schema)
    registry.register(ATTENDANCE_RECORDED, 1, AttendanceRecordedV1)
    registry.register(ATTENDANCE_RECORDED, 2, AttendanceRecordedV2, upcast_from_previous=_v1_to_v2)
