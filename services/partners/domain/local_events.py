"""Event types of local action ("partners.<EventName>"): integration plans (`plan-<id>`),
integration activities (`activity-<id>`), practitioner trainings (`training-<id>`) and
the public directory (`listing-<offer id>`, `directory-contact`).

Nothing personal travels: a practitioner's name, organisation and role are sealed with a
key of their own under `personal` (dropped from the bus by the envelope); a newcomer's
link to an activity is the centre's person id under `personal` too; participation is
counts by coarse category. Who approved a plan is the staff member's subject (an account
id, not a name). `personal` is optional in every schema: on the bus it is gone.
"""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields as f, validate as v

from .events import NIS, code, day, ident, text
from .local_vocab import (ACTION_STATUS, ACTIVITY_KINDS, ACTIVITY_THEMES, AUDIENCES,
                          EVALUATION_SCALE, INDICATOR_UNITS, LANGUAGES,
                          PARTICIPANT_CATEGORIES, PLAN_THEMES, PRIORITIES, PUBLICS,
                          TRAINING_THEMES)

PLAN_DRAFTED = "partners.PlanDrafted"
PLAN_REVISED = "partners.PlanRevised"
PLAN_ACTION_SET = "partners.PlanActionSet"
PLAN_ACTION_PROGRESSED = "partners.PlanActionProgressed"
PLAN_INDICATOR_SET = "partners.PlanIndicatorSet"
PLAN_INDICATOR_MEASURED = "partners.PlanIndicatorMeasured"
PLAN_ADOPTED = "partners.PlanAdopted"
PLAN_EVALUATED = "partners.PlanEvaluated"
PLAN_VERSION_OPENED = "partners.PlanVersionOpened"
ACTIVITY_PLANNED = "partners.ActivityPlanned"
ACTIVITY_UPDATED = "partners.ActivityUpdated"
ACTIVITY_CANCELLED = "partners.ActivityCancelled"
ACTIVITY_PARTICIPATION_RECORDED = "partners.ActivityParticipationRecorded"
ACTIVITY_PARTICIPANT_LINKED = "partners.ActivityParticipantLinked"
ACTIVITY_PARTICIPANT_UNLINKED = "partners.ActivityParticipantUnlinked"
TRAINING_SCHEDULED = "partners.TrainingScheduled"
PRACTITIONER_REGISTERED = "partners.PractitionerRegistered"
PRACTITIONER_UNREGISTERED = "partners.PractitionerUnregistered"
PRACTITIONER_ATTENDED = "partners.PractitionerAttended"
PRACTITIONER_EVALUATED = "partners.PractitionerEvaluated"
PRACTITIONER_ERASED = "partners.PractitionerErased"
OFFER_LISTING_DESCRIBED = "partners.OfferListingDescribed"
CENTRE_CONTACT_SET = "partners.CentreContactSet"

SUBJECT = r"^[^\x00-\x1f]{1,200}$"


def nis_list(max_len: int = 300) -> f.List:
    return f.List(f.String(validate=v.Regexp(NIS)), required=True,
                  validate=v.Length(min=1, max=max_len))


def ids(max_len: int = 100) -> f.List:
    return f.List(ident(), required=True, validate=v.Length(max=max_len))


def by() -> f.String:
    return f.String(required=True, validate=v.Regexp(SUBJECT))


class DescriptionV1(ma.Schema):
    lang = code(LANGUAGES)
    text = text(2000)


def descriptions() -> f.List:
    return f.List(f.Nested(DescriptionV1), required=True, validate=v.Length(max=20))


# ---- plans (« plans locaux d'intégration ») -----------------------------------------

class FindingV1(ma.Schema):
    theme = code(PLAN_THEMES)
    findings = text(2000)
    priority = code(PRIORITIES)


class ObjectiveV1(ma.Schema):
    objective_id = ident()
    theme = code(PLAN_THEMES)
    text = text(1000)


class PlanContentV1(ma.Schema):
    plan_id = ident()
    title = text(200)
    communes = nis_list()
    period_from = day()
    period_to = day()
    diagnosis = f.List(f.Nested(FindingV1), required=True, validate=v.Length(max=50))
    objectives = f.List(f.Nested(ObjectiveV1), required=True, validate=v.Length(max=50))


class PlanDraftedV1(PlanContentV1):
    by = by()
    on = day()


class PlanRevisedV1(PlanContentV1):
    by = by()
    on = day()


class PlanActionSetV1(ma.Schema):
    plan_id = ident()
    action_id = ident()
    objective_id = ident(nullable=True)
    title = text(300)
    lead_operator_id = ident(nullable=True)      # None: the centre itself
    operators = ids()
    communes = nis_list()
    budget = f.Float(required=True, validate=v.Range(min=0, max=100_000_000))
    period_from = day()
    period_to = day()
    status = code(ACTION_STATUS)
    by = by()


class PlanActionProgressedV1(ma.Schema):
    plan_id = ident()
    action_id = ident()
    status = code(ACTION_STATUS)
    on = day()
    by = by()


class PlanIndicatorSetV1(ma.Schema):
    plan_id = ident()
    indicator_id = ident()
    objective_id = ident(nullable=True)
    label = text(300)
    unit = code(INDICATOR_UNITS)
    baseline = f.Float(required=True, validate=v.Range(min=0, max=1e12))
    target = f.Float(required=True, validate=v.Range(min=0, max=1e12))
    target_on = day()


class PlanIndicatorMeasuredV1(ma.Schema):
    plan_id = ident()
    indicator_id = ident()
    value = f.Float(required=True, validate=v.Range(min=0, max=1e12))
    measured_on = day()
    by = by()


class PlanAdoptedV1(ma.Schema):
    plan_id = ident()
    plan_version = f.Integer(required=True, validate=v.Range(min=1))
    adopted_on = day()
    by = by()
    decision = text(300)                 # e.g. « conseil communal du 12/03/2026 »


class PlanEvaluatedV1(ma.Schema):
    plan_id = ident()
    plan_version = f.Integer(required=True, validate=v.Range(min=1))
    evaluated_on = day()
    by = by()
    summary = text(4000)


class PlanVersionOpenedV1(ma.Schema):
    plan_id = ident()
    plan_version = f.Integer(required=True, validate=v.Range(min=2))
    on = day()
    by = by()
    reason = text(1000)


# ---- activities (« activités d'intégration ») ----------------------------------------

class ActivityV1(ma.Schema):
    activity_id = ident()
    operator_id = ident(nullable=True)           # None: organised by the centre
    title = text(200)
    kind = code(ACTIVITY_KINDS)
    theme = code(ACTIVITY_THEMES)
    public = code(PUBLICS)
    commune_nis = f.String(required=True, validate=v.Regexp(NIS))
    partners = ids()
    starts_on = day()
    ends_on = day()
    place = text(300, nullable=True)
    listed = f.Boolean(required=True)            # shown in the public directory
    plan_id = ident(nullable=True)
    action_id = ident(nullable=True)
    descriptions = descriptions()


class ActivityCancelledV1(ma.Schema):
    activity_id = ident()
    operator_id = ident(nullable=True)
    on = day()


class ActivityParticipationV1(ma.Schema):
    activity_id = ident()
    operator_id = ident(nullable=True)
    counts = f.Dict(keys=f.String(validate=v.OneOf(tuple(PARTICIPANT_CATEGORIES))),
                    values=f.Integer(validate=v.Range(min=0, max=1_000_000)), required=True)
    on = day()


class LinkPersonalV1(ma.Schema):
    person_id = ident()


class ActivityParticipantLinkedV1(ma.Schema):
    activity_id = ident()
    on = day()
    personal = f.Nested(LinkPersonalV1)


# ---- practitioner trainings (« formations des intervenants ») -------------------------

class TrainingSessionV1(ma.Schema):
    date = day()
    hours = f.Float(required=True, validate=v.Range(min=0, max=24, min_inclusive=False))


class TrainingScheduledV1(ma.Schema):
    training_id = ident()
    title = text(200)
    theme = code(TRAINING_THEMES)
    audiences = f.List(code(AUDIENCES), required=True, validate=v.Length(min=1, max=4))
    commune_nis = f.String(required=True, validate=v.Regexp(NIS))
    capacity = f.Integer(required=True, validate=v.Range(min=1, max=1000))
    sessions = f.List(f.Nested(TrainingSessionV1), required=True,
                      validate=v.Length(min=1, max=100))


class RegistrationPersonalV1(ma.Schema):
    sealed = f.String(required=True, validate=v.Length(max=4000))


class PractitionerRegisteredV1(ma.Schema):
    training_id = ident()
    registration_id = ident()
    operator_id = ident(nullable=True)
    audience = code(AUDIENCES)
    on = day()
    personal = f.Nested(RegistrationPersonalV1)


class PractitionerUnregisteredV1(ma.Schema):
    training_id = ident()
    registration_id = ident()
    on = day()


class PractitionerAttendedV1(ma.Schema):
    training_id = ident()
    registration_id = ident()
    session_date = day()
    hours = f.Float(required=True, validate=v.Range(min=0, max=24))
    present = f.Boolean(required=True)


class PractitionerEvaluatedV1(ma.Schema):
    training_id = ident()
    registration_id = ident()
    satisfaction = f.Integer(required=True, validate=v.OneOf(EVALUATION_SCALE))
    usefulness = f.Integer(required=True, validate=v.OneOf(EVALUATION_SCALE))
    on = day()


class PractitionerErasedV1(ma.Schema):
    """Who the practitioner was is gone (their data key destroyed); hours and counts stay."""
    training_id = ident()
    registration_id = ident()
    on = day()


# ---- the public directory (« annuaire ») ----------------------------------------------

class OfferListingDescribedV1(ma.Schema):
    offer_id = ident()
    descriptions = descriptions()


class CentreContactSetV1(ma.Schema):
    name = text(200)
    address = text(300)
    phone = text(40, nullable=True)
    email = text(200, nullable=True)
    website = text(300, nullable=True)
    hours = text(300, nullable=True)
    descriptions = descriptions()


LOCAL_EVENT_SCHEMAS: dict[str, type[ma.Schema]] = {
    PLAN_DRAFTED: PlanDraftedV1, PLAN_REVISED: PlanRevisedV1,
    PLAN_ACTION_SET: PlanActionSetV1, PLAN_ACTION_PROGRESSED: PlanActionProgressedV1,
    PLAN_INDICATOR_SET: PlanIndicatorSetV1, PLAN_INDICATOR_MEASURED: PlanIndicatorMeasuredV1,
    PLAN_ADOPTED: PlanAdoptedV1, PLAN_EVALUATED: PlanEvaluatedV1,
    PLAN_VERSION_OPENED: PlanVersionOpenedV1,
    ACTIVITY_PLANNED: ActivityV1, ACTIVITY_UPDATED: ActivityV1,
    ACTIVITY_CANCELLED: ActivityCancelledV1,
    ACTIVITY_PARTICIPATION_RECORDED: ActivityParticipationV1,
    ACTIVITY_PARTICIPANT_LINKED: ActivityParticipantLinkedV1,
    ACTIVITY_PARTICIPANT_UNLINKED: ActivityParticipantLinkedV1,   # the same fields
    TRAINING_SCHEDULED: TrainingScheduledV1,
    PRACTITIONER_REGISTERED: PractitionerRegisteredV1,
    PRACTITIONER_UNREGISTERED: PractitionerUnregisteredV1,
    PRACTITIONER_ATTENDED: PractitionerAttendedV1,
    PRACTITIONER_EVALUATED: PractitionerEvaluatedV1,
    PRACTITIONER_ERASED: PractitionerErasedV1,
    OFFER_LISTING_DESCRIBED: OfferListingDescribedV1,
    CENTRE_CONTACT_SET: CentreContactSetV1,
}
