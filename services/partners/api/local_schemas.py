"""Request schemas of local action: plans, activities, trainings, the directory."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields as f, validate as v

from shared.web.paging import PageArgs
from shared.web.schema import RequestSchema, past_date, person_id

from services.partners.api.schemas import choice, ident, text
from services.partners.domain.local_vocab import (ACTION_STATUS, ACTIVITY_KINDS,
                                                  ACTIVITY_THEMES, AUDIENCES,
                                                  EVALUATION_SCALE, INDICATOR_UNITS,
                                                  LANGUAGES, PARTICIPANT_CATEGORIES,
                                                  PLAN_THEMES, PRIORITIES, PUBLICS,
                                                  TRAINING_THEMES)
from services.partners.service_layer import communes

UNKNOWN_COMMUNE = "commune inconnue (code INS à 5 chiffres)"


def commune(**kw) -> f.String:
    def check(value: str) -> None:
        if not communes.known(value):
            raise ma.ValidationError(UNKNOWN_COMMUNE)
    return f.String(validate=[v.Length(equal=5), check], **kw)


def commune_list(**kw) -> f.List:
    return f.List(commune(), validate=v.Length(min=1, max=300), **kw)


def amount(**kw) -> f.Float:
    return f.Float(allow_nan=False, validate=[v.Range(min=0), v.Range(max=1e12)], **kw)


class FindingIn(RequestSchema):
    theme = choice(PLAN_THEMES, required=True)
    findings = text(2000, required=True)
    priority = choice(PRIORITIES, load_default="medium")


class ObjectiveIn(RequestSchema):
    objective_id = ident(required=True)
    theme = choice(PLAN_THEMES, required=True)
    text = text(1000, required=True)


class PlanContentIn(RequestSchema):
    title = text(200, required=True)
    communes = commune_list(required=True)
    period_from = f.Date(required=True)
    period_to = f.Date(required=True)
    diagnosis = f.List(f.Nested(FindingIn), load_default=list, validate=v.Length(max=50))
    objectives = f.List(f.Nested(ObjectiveIn), load_default=list, validate=v.Length(max=50))


class PlanIn(PlanContentIn):
    plan_id = ident(required=True)


class ActionIn(RequestSchema):
    objective_id = ident(load_default=None, allow_none=True)
    title = text(300, required=True)
    lead_operator_id = ident(load_default=None, allow_none=True, metadata={
        "description": "l'opérateur qui porte l'action (vide : le centre)"})
    operators = f.List(ident(), load_default=list, validate=v.Length(max=100))
    communes = commune_list(required=True)
    budget = f.Float(required=True, allow_nan=False,
                     validate=[v.Range(min=0), v.Range(max=100_000_000)])
    period_from = f.Date(required=True)
    period_to = f.Date(required=True)
    status = choice(ACTION_STATUS, load_default="planned")


class ProgressIn(RequestSchema):
    status = choice(ACTION_STATUS, required=True)


class IndicatorIn(RequestSchema):
    objective_id = ident(load_default=None, allow_none=True)
    label = text(300, required=True)
    unit = choice(INDICATOR_UNITS, required=True)
    baseline = amount(required=True)
    target = amount(required=True)
    target_on = f.Date(required=True)


class MeasureIn(RequestSchema):
    value = amount(required=True)
    measured_on = past_date(required=True)


class DecisionIn(RequestSchema):
    decision = text(300, required=True, metadata={
        "description": "l'instance et la date, p. ex. « conseil communal du 12/03/2026 »"})


class SummaryIn(RequestSchema):
    summary = text(4000, required=True)


class ReasonTextIn(RequestSchema):
    reason = text(1000, required=True)


class DescriptionIn(RequestSchema):
    lang = choice(LANGUAGES, required=True)
    text = text(2000, required=True)


def descriptions(**kw) -> f.List:
    return f.List(f.Nested(DescriptionIn), validate=v.Length(max=20), **kw)


class ActivityBody(RequestSchema):
    operator_id = ident(load_default=None, allow_none=True, metadata={
        "description": "l'opérateur qui organise (vide : le centre)"})
    title = text(200, required=True)
    kind = choice(ACTIVITY_KINDS, required=True)
    theme = choice(ACTIVITY_THEMES, required=True)
    public = choice(PUBLICS, load_default="newcomers")
    commune_nis = commune(required=True)
    partners = f.List(ident(), load_default=list, validate=v.Length(max=100))
    starts_on = f.Date(required=True)
    ends_on = f.Date(required=True)
    place = text(300, load_default=None, allow_none=True)
    listed = f.Boolean(load_default=True, metadata={
        "description": "visible dans l'annuaire public"})
    plan_id = ident(load_default=None, allow_none=True)
    action_id = ident(load_default=None, allow_none=True)
    descriptions = descriptions(load_default=list)


class ActivityIn(ActivityBody):
    activity_id = ident(required=True)


class ActivityArgs(PageArgs):
    operator_id = ident()
    commune_nis = commune()
    theme = choice(ACTIVITY_THEMES)


class ParticipationIn(RequestSchema):
    counts = f.Dict(keys=f.String(validate=v.OneOf(tuple(PARTICIPANT_CATEGORIES))),
                    values=f.Integer(validate=[v.Range(min=0), v.Range(max=1_000_000)]),
                    required=True, validate=v.Length(max=len(PARTICIPANT_CATEGORIES)))


class LinkIn(RequestSchema):
    person_id = person_id(required=True)


class TrainingSessionIn(RequestSchema):
    date = f.Date(required=True)
    hours = f.Float(required=True, allow_nan=False,
                    validate=[v.Range(min=0, min_inclusive=False), v.Range(max=24)])


class TrainingIn(RequestSchema):
    training_id = ident(required=True)
    title = text(200, required=True)
    theme = choice(TRAINING_THEMES, required=True)
    audiences = f.List(choice(AUDIENCES), required=True, validate=v.Length(min=1, max=4))
    commune_nis = commune(required=True)
    capacity = f.Integer(required=True, validate=[v.Range(min=1), v.Range(max=1000)])
    sessions = f.List(f.Nested(TrainingSessionIn), required=True,
                      validate=v.Length(min=1, max=100))


class RegistrationIn(RequestSchema):
    """The practitioner (a professional): sealed in this service, never on the bus."""
    name = text(200, required=True)
    organisation = text(200, required=True)
    role = text(200, required=True)
    audience = choice(AUDIENCES, required=True)
    operator_id = ident(load_default=None, allow_none=True)
    registration_id = ident(load_default=None)


class TrainingAttendanceIn(RequestSchema):
    session_date = f.Date(required=True)
    present = f.Boolean(load_default=True)


class EvaluationIn(RequestSchema):
    satisfaction = f.Integer(required=True, validate=v.OneOf(EVALUATION_SCALE))
    usefulness = f.Integer(required=True, validate=v.OneOf(EVALUATION_SCALE))


class ListingIn(RequestSchema):
    descriptions = descriptions(required=True)


class CentreContactIn(RequestSchema):
    name = text(200, required=True)
    address = text(300, required=True)
    phone = f.String(load_default=None, allow_none=True, validate=v.Regexp(
        r"^[0-9 +./()-]{6,40}$", error="numéro de téléphone invalide"))
    email = f.Email(load_default=None, allow_none=True, validate=v.Length(max=200))
    website = f.Url(load_default=None, allow_none=True, schemes={"https", "http"},
                    validate=v.Length(max=300))
    hours = text(300, load_default=None, allow_none=True)
    descriptions = descriptions(load_default=list)


class DirectoryArgs(RequestSchema):
    commune = commune(load_default=None)
