"""Request and response schemas of the pathway API (marshmallow; OpenAPI from them)."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields as f, validate as v

from services.pathway.domain.vocab import (ABSENCE_REASONS, CEFR_LEVELS, CENTRES,
                                           ELIGIBILITY, EXTENSION_REASONS,
                                           INFORMATION_SESSIONS, OPEN_JUSTIFICATIONS,
                                           PROGRAMME_CHANGES, RECEPTION_STEPS,
                                           REVOCATION_REASONS, SUSPENSION_REASONS,
                                           TRAINING_ATTENDANCE, TRANSFER_REJECTION_REASONS)
from shared.web.paging import PageOut, page_field  # noqa: F401 (PageOut re-exported)
from shared.web.schema import RequestSchema, person_id as person_id_field
from services.pathway.service_layer.views import QUEUES


def _desc(text: str) -> dict:
    return {"metadata": {"description": text}}


class PageArgs(RequestSchema):
    page = page_field()
    page_size = f.Integer(load_default=50, validate=v.Range(min=1, max=200))


class ListArgs(PageArgs):
    status = f.String(validate=v.OneOf(("open", "transferred")),
                      **_desc("open (suivi ici) ou transferred (fiche de renvoi)"))
    eligibility = f.String(validate=v.OneOf(ELIGIBILITY))
    queue = f.String(validate=v.OneOf(tuple(QUEUES)), **_desc("file de travail"))


class DeadlineArgs(PageArgs):
    within = f.Integer(load_default=30, validate=v.OneOf((30, 60, 90)),
                       **_desc("échéance dans 30, 60 ou 90 jours"))


class OpenIn(RequestSchema):
    person_id = person_id_field(required=True)
    justification = f.String(load_default=None, allow_none=True,
                             validate=v.OneOf(OPEN_JUSTIFICATIONS),
                             **_desc("requis pour une personne dispensée ou hors champ"))


class ReceptionStepIn(RequestSchema):
    step = f.String(required=True, validate=v.OneOf(RECEPTION_STEPS))
    done_on = f.Date(required=True)
    session = f.String(load_default=None, allow_none=True,
                       validate=v.OneOf(INFORMATION_SESSIONS))
    french_level = f.String(load_default=None, allow_none=True, validate=v.OneOf(CEFR_LEVELS))
    needs_osp = f.Boolean(load_default=None, allow_none=True)


class ConventionIn(RequestSchema):
    signed_on = f.Date(load_default=None, allow_none=True)
    osp_hours = f.Float(load_default=None, allow_none=True, validate=v.Range(min=0))


class ExtensionIn(RequestSchema):
    months = f.Integer(required=True, strict=True, validate=v.Range(min=1))
    reason = f.String(required=True, validate=v.OneOf(EXTENSION_REASONS))
    granted_on = f.Date(load_default=None, allow_none=True)


class SuspensionIn(RequestSchema):
    reason = f.String(required=True, validate=v.OneOf(SUSPENSION_REASONS))
    start = f.Date(required=True)
    end = f.Date(load_default=None, allow_none=True,
                 **_desc("jour de reprise prévu ; vide = jusqu'à la reprise"))


class ResumptionIn(RequestSchema):
    resumed_on = f.Date(load_default=None, allow_none=True)


class InterviewScheduleIn(RequestSchema):
    scheduled_for = f.Date(required=True)


class InterviewRecordIn(RequestSchema):
    held_on = f.Date(required=True)
    person_attended = f.Boolean(required=True)
    training_attendance = f.String(load_default=None, allow_none=True,
                                   validate=v.OneOf(TRAINING_ATTENDANCE))
    absence_reasons = f.List(f.String(validate=v.OneOf(ABSENCE_REASONS)), load_default=list)
    programme_changes = f.List(f.String(validate=v.OneOf(PROGRAMME_CHANGES)),
                               load_default=list)
    extension_needed = f.Boolean(load_default=False)


class FrenchLevelIn(RequestSchema):
    level = f.String(required=True, validate=v.OneOf(CEFR_LEVELS))
    proven_on = f.Date(load_default=None, allow_none=True)


class DateIn(RequestSchema):
    completed_on = f.Date(load_default=None, allow_none=True)


class TransferIn(RequestSchema):
    to_centre = f.String(required=True, validate=v.OneOf(CENTRES))


class RejectIn(RequestSchema):
    reason = f.String(required=True, validate=v.OneOf(TRANSFER_REJECTION_REASONS))


class AttestationIn(RequestSchema):
    holder_initials = f.String(required=True, validate=v.Length(min=1, max=12),
                               **_desc("initiales du titulaire, ex. « J.D. » (jamais le nom)"))


class RevokeIn(RequestSchema):
    reason = f.String(required=True, validate=v.OneOf(REVOCATION_REASONS))


class PathwayOut(ma.Schema):
    person_id = f.String()
    pseudonym = f.String()
    centre = f.String()
    status = f.String()
    eligibility = f.String()
    version = f.Integer()
    reception = f.Dict()
    convention = f.Dict(allow_none=True)
    requirements = f.Dict()
    clock = f.Dict()
    interviews = f.Dict()
    work_queue = f.List(f.String())
    transfers = f.List(f.Dict())
    attestations = f.List(f.Dict())


class TransferOut(ma.Schema):
    transfer_id = f.String()
    direction = f.String()
    from_centre = f.String()
    to_centre = f.String()
    state = f.String()
    preview = f.Dict()
    version = f.Integer()


class AttestationIssuedOut(ma.Schema):
    number = f.String()
    verification_url = f.String()
    pathway = f.Nested(PathwayOut)


class VerificationOut(ma.Schema):
    number = f.String()
    issued_on = f.String()
    centre = f.String()
    centre_name = f.String()
    initials = f.String()
    status = f.String(metadata={"description": "valid ou revoked"})
    revoked_on = f.String(allow_none=True)
