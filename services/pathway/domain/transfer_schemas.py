"""Schemas of the transfer inbox events and of the messages between centres (v1).

The offer carries a minimal preview (codes, dates, hours: no personal data) and the
person's random id, so the receiving centre can tell an expected arrival from a new
person; the full history travels only after acceptance.
"""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields as f, validate as v

from .rules import RULE_VERSIONS
from .schemas import HistoryV1, centre, code, day, flag, ident
from .vocab import ELIGIBILITY, TRAININGS, TRANSFER_REJECTION_REASONS, TRANSFER_TRIGGERS

ANSWERS = ("accepted", "rejected")


class HoursPreviewV1(ma.Schema):
    done = f.Float(required=True)
    required = f.Float(required=True)
    completed = flag()


class PreviewV1(ma.Schema):
    """`transfer_preview`: what the receiving coordinator decides on."""
    status = code(ELIGIBILITY)
    rule_version = code(RULE_VERSIONS)
    deadline = day(nullable=True)
    clock_suspended = flag()
    convention_signed = flag()
    hours = f.Dict(keys=f.String(validate=v.OneOf(TRAININGS)),
                   values=f.Nested(HoursPreviewV1), required=True)


class _Route(ma.Schema):
    transfer_id = ident()
    from_centre = centre()
    to_centre = centre()


class TransferOfferedV1(_Route):
    person_id = ident()
    trigger = code(TRANSFER_TRIGGERS)
    proposed_on = day()
    preview = f.Nested(PreviewV1, required=True)


class TransferOfferWithdrawnV1(_Route):
    withdrawn_on = day()


class TransferAnsweredV1(_Route):
    decision = code(ANSWERS)
    reason = code(TRANSFER_REJECTION_REASONS, nullable=True)
    answered_on = day()

    @ma.validates_schema
    def _reason_only_when_rejected(self, data, **_):
        if (data.get("decision") == "rejected") != (data.get("reason") is not None):
            raise ma.ValidationError("a reason goes with a rejection, only", "reason")


class TransferHistorySentV1(_Route):
    sent_on = day()
    history = f.Nested(HistoryV1, required=True)


class IncomingTransferRecordedV1(TransferOfferedV1):
    recorded_on = day()


class IncomingTransferWithdrawnV1(ma.Schema):
    transfer_id = ident()
    withdrawn_on = day()


class IncomingTransferCompletedV1(ma.Schema):
    transfer_id = ident()
    received_on = day()
