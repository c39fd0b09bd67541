"""The pathway aggregate's state ("parcours d'intégration"), one per person and centre.

Frozen: only `evolve` builds new states (by folding events). `status` is the
aggregate's lifecycle (new, open, transferred = forwarding record); the person's
eligibility ("obligé", "volontaire", "dispensé", "hors champ") is `eligibility_status`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .records import (Convention, Credit, Extension, Flag, Interview, ReceptionStep,
                      Suspension)


@dataclass(frozen=True)
class Transfer:
    """"Transfert" to another centre: proposed -> accepted | rejected | withdrawn."""
    transfer_id: str
    from_centre: str
    to_centre: str
    trigger: str
    proposed_on: date
    state: str = "proposed"
    closed_on: date | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Attestation:
    """"Attestation de fréquentation"; verifiable by communes and CPAS."""
    number: str
    issued_on: date
    centre: str
    holder_initials: str
    revoked_on: date | None = None
    revocation_reason: str | None = None

    @property
    def valid(self) -> bool:
        return self.revoked_on is None


@dataclass(frozen=True)
class PathwayState:
    status: str = "new"
    person_id: str | None = None
    pseudonym: str | None = None
    centre: str | None = None
    eligibility_status: str | None = None
    permit_order_date: date | None = None
    rule_version: str | None = None
    opened_on: date | None = None
    on_request: bool = False
    justification: str | None = None
    reception: tuple[ReceptionStep, ...] = ()
    reception_completed_on: date | None = None
    convention: Convention | None = None
    credits: tuple[Credit, ...] = ()          # kept sorted: arrival order never matters
    french_level_proven: str | None = None
    french_proven_on: date | None = None
    orientation_completed_on: date | None = None
    extensions: tuple[Extension, ...] = ()
    suspensions: tuple[Suspension, ...] = ()
    interviews: tuple[Interview, ...] = ()
    flags: tuple[Flag, ...] = ()
    transfers: tuple[Transfer, ...] = ()
    forwarded_to: str | None = None
    previous_centres: tuple[str, ...] = ()
    attestations: tuple[Attestation, ...] = ()  # a revoked one stays verifiable

    @property
    def attestation(self) -> Attestation | None:
        """The latest attestation issued here, valid or revoked."""
        return self.attestations[-1] if self.attestations else None

    def step(self, name: str) -> ReceptionStep | None:
        return next((s for s in self.reception if s.step == name), None)

    @property
    def french_test_level(self) -> str | None:
        test = self.step("french_test")
        return test.french_level if test else None

    @property
    def needs_osp(self) -> bool:
        bilan = self.step("bilan_social")
        return bool(bilan and bilan.needs_osp)

    @property
    def pending_transfer(self) -> Transfer | None:
        return next((t for t in self.transfers if t.state == "proposed"), None)

    @property
    def has_valid_attestation(self) -> bool:
        return self.attestation is not None and self.attestation.valid

    @property
    def last_interview_held(self) -> date | None:
        held = [i.held_on for i in self.interviews if i.held_on and i.person_attended]
        return max(held, default=None)

    def credited_ids(self) -> frozenset[str]:
        return frozenset(c.attendance_id for c in self.credits)


EMPTY = PathwayState()
"""The state of a stream with no events yet."""
