"""Course offers and the referrals to them (« offres de formation », « orientations »).

One stream per offer holds the offer and every referral to it, so seats are decided in
one place: an acceptance takes a seat if one is free, else the referral waits; a freed
seat (drop-out, cancellation, more capacity) promotes the first person waiting, in the
same commit. Two acceptances racing conflict on the stream's version and the loser is
decided again on what the winner stored, so the capacity is never exceeded.

Referral lifecycle: proposed → accepted | waitlisted | declined; waitlisted → accepted
(promoted) | declined | cancelled; accepted → started → completed | dropped_out;
proposed / accepted / waitlisted → cancelled (by the centre).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Iterable

from shared.errors import DomainRuleViolation, NotFound, ValidationFailed
from shared.messages import DomainEvent

from . import events as ev
from .vocab import ACTIVE, HOLDS_SEAT, REFERRAL_STATUS


@dataclass(frozen=True)
class Referral:
    referral_id: str
    person_id: str
    agreement_id: str
    purpose: str
    consent: bool
    status: str
    proposed_on: str
    waitlist_position: int | None = None
    waitlisted_on: str | None = None
    accepted_on: str | None = None
    ended_on: str | None = None
    reason: str | None = None
    card: str | None = None          # ciphertext of what the person consented to share


@dataclass(frozen=True)
class OfferState:
    offer: dict[str, Any] | None = None
    capacity: int = 0
    status: str = "open"
    referrals: dict[str, Referral] = field(default_factory=dict)
    next_position: int = 1

    @property
    def seats_taken(self) -> int:
        return sum(1 for r in self.referrals.values() if r.status in HOLDS_SEAT)

    @property
    def seats_free(self) -> int:
        return max(0, self.capacity - self.seats_taken)

    def waiting(self) -> list[Referral]:
        return sorted((r for r in self.referrals.values() if r.status == "waitlisted"),
                      key=lambda r: r.waitlist_position or 0)

    def referral(self, referral_id: str) -> Referral:
        r = self.referrals.get(referral_id)
        if r is None:
            raise NotFound(f"orientation {referral_id} inconnue pour cette offre",
                           message_en=f"unknown referral {referral_id} for this offer")
        return r


# ---- folding ----------------------------------------------------------------------

def _set(state: OfferState, rid: str, **changes: Any) -> OfferState:
    refs = dict(state.referrals)
    refs[rid] = replace(refs[rid], **changes)
    return replace(state, referrals=refs)


def _evolve(state: OfferState, e: DomainEvent) -> OfferState:
    d, t = e.data, e.type
    if t == ev.OFFER_PUBLISHED:
        return replace(state, offer=dict(d), capacity=d["capacity"], status="open")
    if t == ev.OFFER_CAPACITY_CHANGED:
        return replace(state, capacity=d["capacity"])
    if t == ev.OFFER_CLOSED:
        return replace(state, status="closed")
    if t == ev.REFERRAL_PROPOSED:
        refs = dict(state.referrals)
        refs[d["referral_id"]] = Referral(
            d["referral_id"], d["person_id"], d["agreement_id"], d["purpose"], d["consent"],
            "proposed", str(d["on"]), card=(d.get("personal") or {}).get("card"))
        return replace(state, referrals=refs)
    rid, on = d.get("referral_id"), str(d.get("on"))
    if t == ev.REFERRAL_WAITLISTED:
        return replace(_set(state, rid, status="waitlisted", waitlist_position=d["position"],
                            waitlisted_on=on), next_position=d["position"] + 1)
    if t in (ev.REFERRAL_ACCEPTED, ev.REFERRAL_PROMOTED):
        return _set(state, rid, status="accepted", accepted_on=on, waitlist_position=None)
    if t == ev.REFERRAL_STARTED:
        return _set(state, rid, status="started")
    ends = {ev.REFERRAL_DECLINED: "declined", ev.REFERRAL_COMPLETED: "completed",
            ev.REFERRAL_DROPPED_OUT: "dropped_out", ev.REFERRAL_CANCELLED: "cancelled"}
    if t in ends:
        return _set(state, rid, status=ends[t], ended_on=on, reason=d.get("reason"),
                    waitlist_position=None)
    return state


def fold(events: Iterable[DomainEvent], state: OfferState | None) -> OfferState:
    state = state or OfferState()
    for e in events:
        state = _evolve(state, e)
    return state


# ---- deciding ---------------------------------------------------------------------

def require_offer(state: OfferState) -> dict[str, Any]:
    if state.offer is None:
        raise NotFound("offre inconnue", message_en="unknown offer")
    return state.offer


def decide_publish(state: OfferState, offer: dict[str, Any], today: date) -> list[DomainEvent]:
    if state.offer is not None:
        same = {k: v for k, v in state.offer.items() if k != "published_on"}
        if same == {k: v for k, v in offer.items() if k != "published_on"}:
            return []
        raise DomainRuleViolation(f"l'offre {offer['offer_id']} existe déjà avec d'autres "
                                  "données", message_en="the offer already exists")
    return [DomainEvent(ev.OFFER_PUBLISHED, {**offer, "published_on": today.isoformat()})]


def _referral_data(state: OfferState, r: Referral, today: date, **extra: Any) -> dict[str, Any]:
    o = require_offer(state)
    return {"referral_id": r.referral_id, "offer_id": o["offer_id"],
            "operator_id": o["operator_id"], "person_id": r.person_id, "kind": o["kind"],
            "on": today.isoformat(), **extra}


def _promotions(state: OfferState, today: date) -> list[DomainEvent]:
    """Fill free seats from the waiting list, first come first served."""
    out = []
    for r in state.waiting()[:state.seats_free]:
        out.append(DomainEvent(ev.REFERRAL_PROMOTED, _referral_data(state, r, today)))
    return out


def decide_change_capacity(state: OfferState, capacity: int, today: date) -> list[DomainEvent]:
    o = require_offer(state)
    if capacity == state.capacity:
        return []
    if capacity < state.seats_taken:
        raise DomainRuleViolation(
            f"{state.seats_taken} places sont déjà occupées : la capacité ne peut pas "
            f"descendre à {capacity}",
            message_en=f"{state.seats_taken} seats are taken: capacity cannot go below that")
    changed = DomainEvent(ev.OFFER_CAPACITY_CHANGED, {"offer_id": o["offer_id"],
                                                      "capacity": capacity})
    return [changed, *_promotions(fold([changed], state), today)]


def decide_close(state: OfferState, today: date) -> list[DomainEvent]:
    o = require_offer(state)
    if state.status == "closed":
        return []
    return [DomainEvent(ev.OFFER_CLOSED, {"offer_id": o["offer_id"],
                                          "closed_on": today.isoformat()})]


def decide_propose(state: OfferState, *, referral_id: str, person_id: str, agreement_id: str,
                   purpose: str, consent: bool, card: str | None,
                   today: date) -> list[DomainEvent]:
    o = require_offer(state)
    existing = state.referrals.get(referral_id)
    if existing is not None:
        if existing.person_id == person_id:
            return []      # the same proposal sent twice
        raise DomainRuleViolation(f"l'orientation {referral_id} existe déjà",
                                  message_en=f"referral {referral_id} already exists")
    if state.status == "closed":
        raise DomainRuleViolation("cette offre est clôturée : plus aucune orientation n'y est "
                                  "possible", message_en="this offer is closed")
    for r in state.referrals.values():
        if r.person_id == person_id and r.status in ACTIVE:
            raise DomainRuleViolation(
                f"cette personne a déjà une orientation en cours vers cette offre "
                f"({r.referral_id}, {REFERRAL_STATUS[r.status]})",
                message_en=f"this person already has an active referral ({r.referral_id})")
    if not consent and card is not None:
        raise ValidationFailed("sans consentement, l'orientation ne porte aucune donnée "
                               "personnelle", message_en="no consent: no personal data",
                               fields={"partage": ["interdit sans consentement"]})
    data = _referral_data(state, Referral(referral_id, person_id, agreement_id, purpose,
                                          consent, "proposed", today.isoformat()), today)
    return [DomainEvent(ev.REFERRAL_PROPOSED, {**data, "agreement_id": agreement_id,
                                               "purpose": purpose, "consent": consent,
                                               "personal": {"card": card}})]


def _require(r: Referral, allowed: tuple[str, ...], action: str) -> None:
    if r.status not in allowed:
        raise DomainRuleViolation(
            f"impossible de {action} une orientation {REFERRAL_STATUS[r.status]}",
            message_en=f"cannot {action} a referral that is {r.status}")


def decide_accept(state: OfferState, referral_id: str, today: date) -> list[DomainEvent]:
    """A seat if one is free, else the waiting list (the answer says which)."""
    r = state.referral(referral_id)
    if r.status in ("accepted", "waitlisted"):
        return []
    _require(r, ("proposed",), "accepter")
    if state.seats_free > 0:
        return [DomainEvent(ev.REFERRAL_ACCEPTED, _referral_data(state, r, today))]
    return [DomainEvent(ev.REFERRAL_WAITLISTED,
                        _referral_data(state, r, today, position=state.next_position))]


def decide_decline(state: OfferState, referral_id: str, reason: str,
                   today: date) -> list[DomainEvent]:
    r = state.referral(referral_id)
    if r.status == "declined":
        return []
    _require(r, ("proposed", "waitlisted"), "refuser")
    return [DomainEvent(ev.REFERRAL_DECLINED, _referral_data(state, r, today, reason=reason))]


def decide_start(state: OfferState, referral_id: str, today: date) -> list[DomainEvent]:
    r = state.referral(referral_id)
    if r.status == "started":
        return []
    _require(r, ("accepted",), "commencer")
    return [DomainEvent(ev.REFERRAL_STARTED, _referral_data(state, r, today))]


def decide_complete(state: OfferState, referral_id: str, today: date) -> list[DomainEvent]:
    r = state.referral(referral_id)
    if r.status == "completed":
        return []
    _require(r, ("accepted", "started"), "clôturer")
    return [DomainEvent(ev.REFERRAL_COMPLETED, _referral_data(state, r, today))]


def _ending(state: OfferState, referral_id: str, reason: str, today: date, event_type: str,
            status: str, allowed: tuple[str, ...], action: str) -> list[DomainEvent]:
    """A referral that ends and frees what it held: the first person waiting gets it."""
    r = state.referral(referral_id)
    if r.status == status:
        return []
    _require(r, allowed, action)
    ended = DomainEvent(event_type, _referral_data(state, r, today, reason=reason))
    return [ended, *_promotions(fold([ended], state), today)]


def decide_drop_out(state: OfferState, referral_id: str, reason: str,
                    today: date) -> list[DomainEvent]:
    return _ending(state, referral_id, reason, today, ev.REFERRAL_DROPPED_OUT, "dropped_out",
                   ("accepted", "started"), "marquer en abandon")


def decide_cancel(state: OfferState, referral_id: str, reason: str,
                  today: date) -> list[DomainEvent]:
    return _ending(state, referral_id, reason, today, ev.REFERRAL_CANCELLED, "cancelled",
                   ("proposed", "accepted", "waitlisted"), "annuler")
