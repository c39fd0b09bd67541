"""The pathway's event type names ("pathway.<EventName>"), in one place."""
from __future__ import annotations

OPENED = "pathway.PathwayOpened"
RECEPTION_STEP_RECORDED = "pathway.ReceptionStepRecorded"
RECEPTION_MODULE_COMPLETED = "pathway.ReceptionModuleCompleted"
CONVENTION_SIGNED = "pathway.ConventionSigned"
HOURS_CREDITED = "pathway.HoursCredited"
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

ALL = (OPENED, RECEPTION_STEP_RECORDED, RECEPTION_MODULE_COMPLETED, CONVENTION_SIGNED,
       HOURS_CREDITED, FRENCH_LEVEL_PROVEN, ORIENTATION_COMPLETED, DEADLINE_EXTENDED,
       CLOCK_SUSPENDED, CLOCK_RESUMED, INTERVIEW_SCHEDULED, INTERVIEW_RECORDED,
       NON_COMPLIANCE_FLAGGED, TRANSFER_PROPOSED, TRANSFER_REJECTED, TRANSFER_WITHDRAWN,
       TRANSFER_COMPLETED, RECEIVED, ATTESTATION_ISSUED, ATTESTATION_REVOKED)
