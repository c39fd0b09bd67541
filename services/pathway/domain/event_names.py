"""The pathway's event type names ("pathway.<EventName>"), in one place.

Three families: the pathway aggregate's own events (stream "pathway-<person_id>"), the
receiving centre's inbox of incoming transfers (stream "transfer-<transfer_id>"), and the
messages between centres, routed by the relay to `cri.region.transfers` (stream
"transfer-<transfer_id>" in the writing centre's store: in the store, hash-chained,
published with the outbox guarantee, and never carrying the person's stream id).
"""
from __future__ import annotations

OPENED = "pathway.PathwayOpened"
RECEPTION_STEP_RECORDED = "pathway.ReceptionStepRecorded"
RECEPTION_MODULE_COMPLETED = "pathway.ReceptionModuleCompleted"
CONVENTION_SIGNED = "pathway.ConventionSigned"
HOURS_CREDITED = "pathway.HoursCredited"
HOURS_CORRECTED = "pathway.HoursCorrected"
FRENCH_LEVEL_PROVEN = "pathway.FrenchLevelProven"
ORIENTATION_COMPLETED = "pathway.OrientationCompleted"
DEADLINE_EXTENDED = "pathway.DeadlineExtended"
CLOCK_SUSPENDED = "pathway.ClockSuspended"
CLOCK_RESUMED = "pathway.ClockResumed"
INTERVIEW_SCHEDULED = "pathway.InterviewScheduled"
INTERVIEW_RECORDED = "pathway.InterviewRecorded"
NON_COMPLIANCE_FLAGGED = "pathway.NonComplianceFlagged"
TRANSFER_PROPOSED = "pathway.TransferProposed"
TRANSFER_REJECTED = "pathway.TransferRejected"
TRANSFER_WITHDRAWN = "pathway.TransferWithdrawn"
TRANSFER_COMPLETED = "pathway.TransferCompleted"
RECEIVED = "pathway.PathwayReceived"
ATTESTATION_ISSUED = "pathway.AttestationIssued"
ATTESTATION_REVOKED = "pathway.AttestationRevoked"

AGGREGATE = (OPENED, RECEPTION_STEP_RECORDED, RECEPTION_MODULE_COMPLETED,
             CONVENTION_SIGNED, HOURS_CREDITED, HOURS_CORRECTED, FRENCH_LEVEL_PROVEN, ORIENTATION_COMPLETED,
             DEADLINE_EXTENDED, CLOCK_SUSPENDED, CLOCK_RESUMED, INTERVIEW_SCHEDULED,
             INTERVIEW_RECORDED, NON_COMPLIANCE_FLAGGED, TRANSFER_PROPOSED,
             TRANSFER_REJECTED, TRANSFER_WITHDRAWN, TRANSFER_COMPLETED, RECEIVED,
             ATTESTATION_ISSUED, ATTESTATION_REVOKED)
"""Events of the pathway aggregate ("parcours"), folded by `evolve`."""

# Receiving centre's inbox ("transferts entrants"), on the centre's own topic.
INCOMING_RECORDED = "pathway.IncomingTransferRecorded"
INCOMING_WITHDRAWN = "pathway.IncomingTransferWithdrawn"
INCOMING_COMPLETED = "pathway.IncomingTransferCompleted"
INBOX = (INCOMING_RECORDED, INCOMING_WITHDRAWN, INCOMING_COMPLETED)

# Messages between centres, on cri.region.transfers.
TRANSFER_OFFERED = "pathway.TransferOffered"              # sender -> receiver
TRANSFER_OFFER_WITHDRAWN = "pathway.TransferOfferWithdrawn"  # sender -> receiver
TRANSFER_ANSWERED = "pathway.TransferAnswered"            # receiver -> sender
TRANSFER_HISTORY_SENT = "pathway.TransferHistorySent"     # sender -> receiver
REGION_MESSAGES = (TRANSFER_OFFERED, TRANSFER_OFFER_WITHDRAWN, TRANSFER_ANSWERED,
                   TRANSFER_HISTORY_SENT)

ALL = AGGREGATE + INBOX + REGION_MESSAGES
