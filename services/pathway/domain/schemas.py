"""Marshmallow building blocks for the pathway's event payloads: field helpers and the
schemas of the records that appear both in events and in the transfer history.

Unknown keys are refused (marshmallow's default), so no personal field can slip in.
"""
from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields as f, validate as v

from .rules import RULE_VERSIONS
from .vocab import (ABSENCE_REASONS, CEFR_LEVELS, CENTRE_ID_PATTERN, ELIGIBILITY,
                    EXTENSION_REASONS, INFORMATION_SESSIONS, OPEN_JUSTIFICATIONS,
                    PROGRAMME_CHANGES, RECEPTION_STEPS, SUSPENSION_REASONS,
                    TRAINING_ATTENDANCE, TRAININGS)


def day(nullable: bool = False) -> f.Date:
    return f.Date(required=True, allow_none=nullable)


def code(choices: tuple[str, ...], nullable: bool = False) -> f.String:
    return f.String(required=True, allow_none=nullable, validate=v.OneOf(choices))


def ident() -> f.String:
    return f.String(required=True, validate=v.Length(min=1, max=100))


def centre() -> f.String:
    return f.String(required=True, validate=v.Regexp(CENTRE_ID_PATTERN))


def flag(nullable: bool = False) -> f.Boolean:
    return f.Boolean(required=True, allow_none=nullable)


def codes(choices: tuple[str, ...]) -> f.List:
    return f.List(f.String(validate=v.OneOf(choices)), required=True)


def many(schema: type[ma.Schema]) -> f.List:
    return f.List(f.Nested(schema), required=True)


class ReceptionStepV1(ma.Schema):
    step = code(RECEPTION_STEPS)
    done_on = day()
    session = code(INFORMATION_SESSIONS, nullable=True)
    french_level = code(CEFR_LEVELS, nullable=True)
    needs_osp = flag(nullable=True)

    @ma.validates_schema
    def _step_detail(self, data: dict[str, Any], **_: Any) -> None:
        # Each step carries its own detail and only that one.
        detail = {"information": "session", "french_test": "french_level",
                  "bilan_social": "needs_osp"}
        wanted = detail.get(data.get("step"))
        for name in ("session", "french_level", "needs_osp"):
            if (data.get(name) is None) == (name == wanted):
                raise ma.ValidationError("unexpected or missing step detail", name)


class RequirementV1(ma.Schema):
    training = code(TRAININGS)
    hours_required = f.Float(required=True, validate=v.Range(min=0))


class ConventionV1(ma.Schema):
    signed_on = day()
    requirements = f.List(f.Nested(RequirementV1), required=True,
                          validate=v.Length(min=1))


class CreditV1(ma.Schema):
    attendance_id = ident()
    training = code(TRAININGS)
    hours = f.Float(required=True, validate=v.Range(min=0, max=24, min_inclusive=False))
    session_date = day()


class CorrectionV1(ma.Schema):
    """A partner's correction: the report's hours are now these (0: nothing counts)."""
    attendance_id = ident()
    training = code(TRAININGS)
    hours = f.Float(required=True, validate=v.Range(min=0, max=24))
    session_date = day()
    previous_hours = f.Float(required=True, validate=v.Range(min=0, max=24))
    previous_session_date = day(nullable=True)


class ExtensionV1(ma.Schema):
    months = f.Integer(required=True, strict=True, validate=v.Range(min=1))
    reason = code(EXTENSION_REASONS)
    granted_on = day()


class SuspensionV1(ma.Schema):
    suspension_id = ident()
    reason = code(SUSPENSION_REASONS)
    start = day()
    end = day(nullable=True)


class InterviewV1(ma.Schema):
    """An interview in the history: scheduled only, or recorded."""
    interview_id = ident()
    scheduled_for = day(nullable=True)
    held_on = day(nullable=True)
    person_attended = flag(nullable=True)
    training_attendance = code(TRAINING_ATTENDANCE, nullable=True)
    absence_reasons = codes(ABSENCE_REASONS)
    programme_changes = codes(PROGRAMME_CHANGES)
    extension_needed = flag(nullable=True)


class FlagV1(ma.Schema):
    flagged_on = day()
    deadline = day()


class HistoryV1(ma.Schema):
    """`export_history`: what a receiving centre needs for the clock and hours to go on."""
    person_id = ident()
    pseudonym = ident()
    centre = centre()
    previous_centres = f.List(f.String(validate=v.Regexp(CENTRE_ID_PATTERN)),
                              required=True)
    status = code(ELIGIBILITY)
    permit_order_date = day(nullable=True)
    rule_version = code(RULE_VERSIONS)
    opened_on = day()
    on_request = flag()
    justification = code(OPEN_JUSTIFICATIONS, nullable=True)
    reception = many(ReceptionStepV1)
    reception_completed_on = day(nullable=True)
    convention = f.Nested(ConventionV1, required=True, allow_none=True)
    credits = many(CreditV1)
    french_level_proven = code(CEFR_LEVELS, nullable=True)
    french_proven_on = day(nullable=True)
    orientation_completed_on = day(nullable=True)
    extensions = many(ExtensionV1)
    suspensions = many(SuspensionV1)
    interviews = many(InterviewV1)
    flags = many(FlagV1)
