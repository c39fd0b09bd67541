"""The pathway's event types ("pathway.<EventName>", version 1) and their schemas.

Payloads carry ids, dates, codes and hours (transfer inbox and region message schemas
live in `transfer_schemas`); the only personal data is the holder's
initials on the attestation (person_id and pseudonym are not personal data here).
`register_events(registry)` registers them all; nothing registers at import time.
"""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields as f, validate as v

from shared.events.registry import EventRegistry

from . import event_names as n
from . import protected
from .rules import RULE_VERSIONS
from . import transfer_schemas as ts
from .schemas import (ConventionV1, CorrectionV1, CreditV1, ExtensionV1, HistoryV1, ReceptionStepV1,
                      SuspensionV1, centre, code, codes, day, flag, ident)
from .vocab import (ABSENCE_REASONS, ATTESTATION_NUMBER_PATTERN, CEFR_LEVELS, ELIGIBILITY,
                    EXTENSION_REASONS, INITIALS_PATTERN, SUSPENSION_REASONS, OPEN_JUSTIFICATIONS, PROGRAMME_CHANGES,
                    REVOCATION_REASONS, TRAINING_ATTENDANCE, TRAININGS,
                    TRANSFER_REJECTION_REASONS, TRANSFER_TRIGGERS)


class PathwayOpenedV1(ma.Schema):
    person_id = ident()
    pseudonym = ident()
    centre = centre()
    status = code(ELIGIBILITY)
    permit_order_date = day(nullable=True)
    rule_version = code(RULE_VERSIONS)
    opened_on = day()
    on_request = flag()
    justification = code(OPEN_JUSTIFICATIONS, nullable=True)


def _one_date(name: str) -> type[ma.Schema]:
    return ma.Schema.from_dict({name: day()}, name=f"{name}Only")


class FrenchLevelProvenV1(ma.Schema):
    level = code(CEFR_LEVELS[CEFR_LEVELS.index("A2"):])
    proven_on = day()


class ClockResumedV1(ma.Schema):
    suspension_id = ident()
    resumed_on = day()


class InterviewScheduledV1(ma.Schema):
    interview_id = ident()
    scheduled_for = day()


class InterviewRecordedV1(ma.Schema):
    interview_id = ident()
    held_on = day()
    person_attended = flag()
    training_attendance = code(TRAINING_ATTENDANCE, nullable=True)
    absence_reasons = codes(ABSENCE_REASONS)
    programme_changes = codes(PROGRAMME_CHANGES)
    extension_needed = flag()


class HoursFactV1(ma.Schema):
    training = code(TRAININGS)
    required = f.Float(required=True)
    credited = f.Float(required=True)
    done = flag()


class NonComplianceFlaggedV1(ma.Schema):
    flagged_on = day()
    deadline = day()
    rule_version = code(RULE_VERSIONS)
    convention_signed = flag()
    hours = f.List(f.Nested(HoursFactV1), required=True)
    last_interview_on = day(nullable=True)


class TransferProposedV1(ma.Schema):
    transfer_id = ident()
    from_centre = centre()
    to_centre = centre()
    trigger = code(TRANSFER_TRIGGERS)
    proposed_on = day()


class TransferRejectedV1(ma.Schema):
    transfer_id = ident()
    reason = code(TRANSFER_REJECTION_REASONS)
    rejected_on = day()


class TransferWithdrawnV1(ma.Schema):
    transfer_id = ident()
    withdrawn_on = day()


class TransferCompletedV1(ma.Schema):
    transfer_id = ident()
    to_centre = centre()
    completed_on = day()


class PathwayReceivedV1(ma.Schema):
    transfer_id = ident()
    from_centre = centre()
    centre = centre()
    received_on = day()
    history = f.Nested(HistoryV1, required=True)


class AttestationIssuedV1(ma.Schema):
    number = f.String(required=True, validate=v.Regexp(ATTESTATION_NUMBER_PATTERN))
    issued_on = day()
    centre = centre()
    holder_initials = f.String(required=True, validate=v.Regexp(INITIALS_PATTERN))


class AttestationRevokedV1(ma.Schema):
    number = f.String(required=True, validate=v.Length(min=1, max=50))
    reason = code(REVOCATION_REASONS)
    revoked_on = day()


EVENT_SCHEMAS: dict[str, type[ma.Schema]] = {
    n.OPENED: PathwayOpenedV1,
    n.RECEPTION_STEP_RECORDED: ReceptionStepV1,
    n.RECEPTION_MODULE_COMPLETED: _one_date("completed_on"),
    n.CONVENTION_SIGNED: ConventionV1,
    n.HOURS_CREDITED: CreditV1,
    n.HOURS_CORRECTED: CorrectionV1,
    n.FRENCH_LEVEL_PROVEN: FrenchLevelProvenV1,
    n.ORIENTATION_COMPLETED: _one_date("completed_on"),
    n.DEADLINE_EXTENDED: ExtensionV1,
    n.CLOCK_SUSPENDED: SuspensionV1,
    n.CLOCK_RESUMED: ClockResumedV1,
    n.INTERVIEW_SCHEDULED: InterviewScheduledV1,
    n.INTERVIEW_RECORDED: InterviewRecordedV1,
    n.NON_COMPLIANCE_FLAGGED: NonComplianceFlaggedV1,
    n.TRANSFER_PROPOSED: TransferProposedV1,
    n.TRANSFER_REJECTED: TransferRejectedV1,
    n.TRANSFER_WITHDRAWN: TransferWithdrawnV1,
    n.TRANSFER_COMPLETED: TransferCompletedV1,
    n.RECEIVED: PathwayReceivedV1,
    n.ATTESTATION_ISSUED: AttestationIssuedV1,
    n.ATTESTATION_REVOKED: AttestationRevokedV1,
    n.INCOMING_RECORDED: ts.IncomingTransferRecordedV1,
    n.INCOMING_WITHDRAWN: ts.IncomingTransferWithdrawnV1,
    n.INCOMING_COMPLETED: ts.IncomingTransferCompletedV1,
    n.TRANSFER_OFFERED: ts.TransferOfferedV1,
    n.TRANSFER_OFFER_WITHDRAWN: ts.TransferOfferWithdrawnV1,
    n.TRANSFER_ANSWERED: ts.TransferAnsweredV1,
    n.TRANSFER_HISTORY_SENT: ts.TransferHistorySentV1,
}
"""Every pathway event type at version 1: the aggregate's, the inbox's, the region's."""


class _ReasonPersonal(ma.Schema):
    reason = f.String(allow_none=True, load_default=None)


class _AbsencePersonal(ma.Schema):
    absence_reasons = f.List(f.String(), load_default=list)


class ExtensionV2(ExtensionV1):
    """v2: an art. 9 reason is `motif_protege` in public, precise under `personal`."""
    reason = code(protected.public_choices(EXTENSION_REASONS))
    personal = f.Nested(_ReasonPersonal, allow_none=True, load_default=None)


class SuspensionV2(SuspensionV1):
    reason = code(protected.public_choices(SUSPENSION_REASONS))
    personal = f.Nested(_ReasonPersonal, allow_none=True, load_default=None)


class InterviewRecordedV2(InterviewRecordedV1):
    absence_reasons = codes(protected.public_choices(ABSENCE_REASONS))
    personal = f.Nested(_AbsencePersonal, allow_none=True, load_default=None)


class _ReceivedPersonal(ma.Schema):
    history = f.Nested(HistoryV1, required=True)


class PathwayReceivedV2(ma.Schema):
    """v2: the transferred history (art. 9 reasons of suspensions, extensions and
    absences among it) under `personal`, which never travels in clear; in public what
    the figures need: the pseudonym, the status and the opening date the clock goes on
    from (the same public facts as "PathwayOpened")."""
    transfer_id = ident()
    from_centre = centre()
    centre = centre()
    received_on = day()
    pseudonym = ident()
    status = code(ELIGIBILITY)
    opened_on = day()
    personal = f.Nested(_ReceivedPersonal, required=True)


def upcast_received_v1(data: dict) -> dict:
    """v1 (history in clear) -> v2 (history under `personal`, public facts lifted)."""
    history = data["history"]
    return {**{k: data[k] for k in ("transfer_id", "from_centre", "centre", "received_on")},
            **{k: history[k] for k in ("pseudonym", "status", "opened_on")},
            "personal": {"history": history}}


LATER_VERSIONS = [(n.DEADLINE_EXTENDED, 2, ExtensionV2), (n.CLOCK_SUSPENDED, 2, SuspensionV2),
                  (n.INTERVIEW_RECORDED, 2, InterviewRecordedV2)]
UPCAST_VERSIONS = [(n.TRANSFER_OFFERED, 2, ts.TransferOfferedV2, ts.upcast_offer_v1),
                   (n.TRANSFER_HISTORY_SENT, 2, ts.TransferHistorySentV2, ts.upcast_history_v1),
                   (n.TRANSFER_OFFER_WITHDRAWN, 2, ts.TransferOfferWithdrawnV2,
                    ts.upcast_unsigned_v1),
                   (n.TRANSFER_ANSWERED, 2, ts.TransferAnsweredV2, ts.upcast_unsigned_v1),
                   (n.RECEIVED, 2, PathwayReceivedV2, upcast_received_v1)]
"""v2 of the region messages (preview / history sealed for the receiver; every message
signed by the centre that sends it) and of
"PathwayReceived" (its history under `personal`), with their upcasters."""


def register_events(registry: EventRegistry) -> None:
    """Register every pathway event schema (v1, then later versions with their
    upcasters) into `registry`."""
    for event_type, schema in EVENT_SCHEMAS.items():
        registry.register(event_type, 1, schema)
    for event_type, version, schema in LATER_VERSIONS:
        registry.register(event_type, version, schema, upcast_from_previous=lambda d, t=event_type:
                          protected.split(t, d))
    for event_type, version, schema, upcaster in UPCAST_VERSIONS:
        registry.register(event_type, version, schema, upcast_from_previous=upcaster)
