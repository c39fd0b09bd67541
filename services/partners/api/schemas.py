"""Request and response schemas of the partners API (marshmallow; OpenAPI from them)."""
from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields as f, validate as v
from stdnum.be import vat

from shared.web.paging import PageArgs, PageOut  # noqa: F401 (re-exported)
from shared.web.schema import RequestSchema, past_date, person_id, record_id, visible

from services.partners.domain.events import ID, NIS
from services.partners.domain.vocab import (ABSENCE_REASONS, APPROVAL, CANCEL_REASONS,
                                            CEFR_LEVELS, DECLINE_REASONS, DROP_REASONS,
                                            OFFER_KINDS, OPERATOR_TYPES, PURPOSES,
                                            QUOTA_KINDS, REFERRAL_STATUS, SUBJECTS, TRAININGS)


def ident(**kw: Any) -> f.String:
    return record_id(**kw)


def choice(choices, **kw: Any) -> f.String:
    return f.String(validate=v.OneOf(tuple(choices)), **kw)


def text(max_len: int, **kw: Any) -> f.String:
    """A label shown as typed: visible characters only (no control, NUL, bidi override)."""
    return f.String(validate=[v.Length(min=1, max=max_len), visible], **kw)


class Bce(f.String):
    """A BCE/KBO enterprise number, checked (python-stdnum `be.vat`), stored compact."""

    def _deserialize(self, value, attr, data, **kwargs):
        raw = super()._deserialize(value, attr, data, **kwargs)
        if len(raw) > 20 or not vat.is_valid(raw):
            raise ma.ValidationError("numéro d'entreprise (BCE) invalide")
        return vat.compact(raw)


class ContactIn(RequestSchema):
    function = text(100, required=True)
    email = f.Email(load_default=None, validate=v.Length(max=200))
    phone = f.String(load_default=None, validate=v.Regexp(r"^[0-9 +./()-]{6,40}$",
                                                          error="numéro de téléphone invalide"))


class OperatorIn(RequestSchema):
    name = text(200, required=True)
    type = choice(OPERATOR_TYPES, required=True)
    bce = Bce(load_default=None, allow_none=True)
    approval = choice(APPROVAL, load_default="pending")
    communes = f.List(f.String(validate=v.Regexp(NIS, error="code INS à 5 chiffres")),
                      load_default=list, validate=v.Length(max=300))
    contacts = f.List(f.Nested(ContactIn), load_default=list, validate=v.Length(max=20))
    staff = f.List(text(100), load_default=list, validate=v.Length(max=200))


class OperatorCreate(OperatorIn):
    operator_id = ident(required=True)


class AgreementIn(RequestSchema):
    agreement_id = ident(required=True)
    operator_id = ident(required=True)
    subject = choice(SUBJECTS, required=True)
    valid_from = f.Date(required=True)
    valid_to = f.Date(required=True)
    quota_kind = choice(QUOTA_KINDS, required=True)
    quota = f.Integer(required=True, validate=[v.Range(min=1), v.Range(max=1_000_000)])
    funding_ref = f.String(load_default=None, validate=v.Length(max=100))


class AmendIn(RequestSchema):
    valid_to = f.Date(required=True)
    quota = f.Integer(required=True, validate=[v.Range(min=1), v.Range(max=1_000_000)])


class ListByOperator(PageArgs):
    operator_id = ident()


class SessionIn(RequestSchema):
    date = f.Date(required=True)   # sessions may be planned ahead (1900-2100 by default)
    hours = f.Float(required=True, allow_nan=False,
                    validate=[v.Range(min=0, min_inclusive=False), v.Range(max=24)])


class OfferIn(RequestSchema):
    offer_id = ident(required=True)
    operator_id = ident(required=True)
    agreement_id = ident(required=True)
    title = text(200, required=True)
    kind = choice(OFFER_KINDS, required=True)
    level = choice(CEFR_LEVELS, load_default=None, allow_none=True)
    language = f.String(load_default="fr", validate=v.Regexp(r"^[a-z]{2,3}$",
                                                             error="code de langue ISO 639"))
    commune_nis = f.String(required=True, validate=v.Regexp(NIS, error="code INS à 5 chiffres"))
    capacity = f.Integer(required=True, validate=[v.Range(min=1), v.Range(max=10_000)])
    sessions = f.List(f.Nested(SessionIn), load_default=list, validate=v.Length(max=500))


class OfferArgs(ListByOperator):
    kind = choice(OFFER_KINDS)
    commune_nis = f.String(validate=v.Regexp(NIS))
    status = choice(("open", "closed"))


class CapacityIn(RequestSchema):
    capacity = f.Integer(required=True, validate=[v.Range(min=1), v.Range(max=10_000)])


class ShareIn(RequestSchema):
    """At most a first name and a contact, only with the person's consent."""
    first_name = text(100, load_default=None)
    contact = text(200, load_default=None)


class ReferralIn(RequestSchema):
    offer_id = ident(required=True)
    person_id = person_id(required=True)
    purpose = choice(PURPOSES, load_default="training")
    consent = f.Boolean(required=True, metadata={
        "description": "la personne accepte que l'opérateur reçoive `partage`"})
    partage = f.Nested(ShareIn, load_default=None, allow_none=True)
    referral_id = ident(load_default=None, metadata={
        "description": "facultatif : le même identifiant renvoyé ne crée rien de plus"})


class ReferralArgs(ListByOperator):
    offer_id = ident()
    person_id = person_id()
    status = choice(REFERRAL_STATUS)


class ReasonIn(RequestSchema):
    reason = f.String(required=True)


class DeclineIn(RequestSchema):
    reason = choice(DECLINE_REASONS, required=True)


class DropIn(RequestSchema):
    reason = choice(DROP_REASONS, required=True)


class CancelIn(RequestSchema):
    reason = choice(CANCEL_REASONS, required=True)


class AttendanceIn(RequestSchema):
    referral_id = ident(load_default=None, metadata={
        "description": "l'orientation (obligatoire pour un partenaire)"})
    session_date = past_date(required=True)
    hours = f.Float(required=True, allow_nan=False, validate=[v.Range(min=0), v.Range(max=24)])
    present = f.Boolean(load_default=True)
    absence_reason = choice(ABSENCE_REASONS, load_default=None, allow_none=True)
    correction = f.Boolean(load_default=False,
                           metadata={"description": "remplace la présence déjà déclarée"})
    # Without a referral (coordination only): a training outside the partners' offers.
    attendance_id = ident(load_default=None)
    person_id = person_id(load_default=None)
    training = choice(TRAININGS, load_default=None)


class AttendanceArgs(PageArgs):
    referral_id = ident(required=True)


class AttendanceOut(ma.Schema):
    attendance_id = f.String()
    stream_id = f.String()
    version = f.Integer()
    created = f.Boolean()


class RejectedRow(ma.Schema):
    line = f.Integer()
    reason = f.String()


class UploadOut(ma.Schema):
    rows = f.Integer()
    applied = f.Integer()
    unchanged = f.Integer()
    rejected = f.Integer()
    rejected_rows = f.List(f.Nested(RejectedRow))
    rejected_rows_truncated = f.Boolean()
