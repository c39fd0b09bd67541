"""Schemas of the transfer inbox events and of the messages between centres (v1, v2).

v2 of the offer and of the history: what is more than routing travels sealed for the
receiving centre and signed by the sender (`services.pathway.adapters.sealed_messages`).

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


class _Sealed(ma.Schema):
    """v2: the secret part sealed for the receiving centre's pathway (base64 of
    `shared.sealed.seal`), the clear part signed by the sending centre's pathway
    (base64 Ed25519, `services.pathway.adapters.sealed_messages`). Both are null only
    on a v1 message read through the upcaster: receivers refuse it."""
    sealed = f.String(required=True, allow_none=True, validate=v.Length(max=4_000_000))
    signature = f.String(required=True, allow_none=True, validate=v.Length(max=200))


class TransferOfferedV2(_Route, _Sealed):
    """The offer without its preview in clear: the preview is in `sealed`."""
    person_id = ident()
    trigger = code(TRANSFER_TRIGGERS)
    proposed_on = day()


class TransferHistorySentV2(_Route, _Sealed):
    """The history (suspensions and their reasons, interviews, permit date…) is in
    `sealed` only."""
    sent_on = day()


class _Signed(ma.Schema):
    """v2 of a message with nothing secret: the whole message signed by the centre that
    sends it (null only on a v1 read through the upcaster: receivers refuse it)."""
    signature = f.String(required=True, allow_none=True, validate=v.Length(max=200))


class TransferOfferWithdrawnV2(TransferOfferWithdrawnV1, _Signed):
    """Signed by the sending centre's pathway (`from_centre`)."""


class TransferAnsweredV2(TransferAnsweredV1, _Signed):
    """Signed by the receiving centre's pathway (`to_centre`), which answers."""


def upcast_unsigned_v1(data: dict) -> dict:
    return {**data, "signature": None}


def upcast_offer_v1(data: dict) -> dict:
    """A v1 offer (preview in clear, unsigned) read as v2: its preview is not carried
    over (v2 never has it in clear) and it has no seal: a receiver refuses it; the
    sender only needs its route and person id."""
    return {**{k: val for k, val in data.items() if k != "preview"},
            "sealed": None, "signature": None}


def upcast_history_v1(data: dict) -> dict:
    return {**{k: val for k, val in data.items() if k != "history"},
            "sealed": None, "signature": None}


class IncomingTransferRecordedV1(TransferOfferedV1):
    recorded_on = day()


class IncomingTransferWithdrawnV1(ma.Schema):
    transfer_id = ident()
    withdrawn_on = day()


class IncomingTransferCompletedV1(ma.Schema):
    transfer_id = ident()
    received_on = day()
