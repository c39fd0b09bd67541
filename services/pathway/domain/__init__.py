"""The pathway service's pure domain ("parcours d'intégration"): state, decisions, events.

No I/O here. `fold(events)` builds the state; `decide_<command>(state, command, today)`
returns new events or raises `DomainRuleViolation` / `ValidationFailed`; read functions
(clock, requirements, interviews, work queue, transfer preview, verification) are pure.
"""
from .attestation import decide_issue_attestation, decide_revoke_attestation, verification_view
from .clock import (base_deadline, days_remaining, effective_deadline, is_suspended,
                    suspended_days)
from .clock_decisions import decide_extend_deadline, decide_resume_clock, decide_suspend_clock
from .commands import (AcceptTransfer, CompleteOrientation, CreditHours, ExtendDeadline,
                       FlagNonCompliance, IssueAttestation, OpenPathway, ProposeTransfer,
                       ProveFrenchLevel, ReceivePathway, RecordInterview,
                       RecordReceptionStep, RejectTransfer, ResumeClock, RevokeAttestation,
                       ScheduleInterview, SignConvention, SuspendClock, WithdrawTransfer)
from .convention import (all_trainings_done, decide_sign_convention, hours_credited,
                         requirements_status)
from .events import EVENT_SCHEMAS, register_events
from .evolve import evolve, fold
from .history import export_history, import_history, transfer_preview
from .hours import decide_complete_orientation, decide_credit_hours, decide_prove_french_level
from .interviews import (decide_record_interview, decide_schedule_interview,
                         interview_overdue, next_interview_due)
from .opening import decide_open
from .reception import decide_record_reception_step
from .state import EMPTY, PathwayState
from .receiving import decide_receive
from .transfers import (decide_accept_transfer, decide_propose_transfer,
                        decide_reject_transfer, decide_withdraw_transfer)
from .workqueue import (deadline_horizon, deadline_within, decide_flag_non_compliance,
                        needs_non_compliance_flag, past_deadline, work_queue_items)

import types as _types

__all__ = [_n for _n, _v in dict(globals()).items()
           if not _n.startswith("_") and not isinstance(_v, _types.ModuleType)]
