"""Integration activities (« activités d'intégration », missions 4, 8 and 10):
intercultural meetings, citizenship and participation workshops, anti-discrimination
actions, housing / health / employment information sessions… with their theme, public,
commune, partners and dates.

Participation is counts by coarse category (each record replaces the previous one), no
list of people. A newcomer the centre follows may be linked by person id: the link stays
in the service (`personal`, never on the bus) and is never published.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Iterable

from shared.errors import DomainRuleViolation, NotFound, ValidationFailed
from shared.messages import DomainEvent

from . import local_events as ev

Activity = dict[str, Any]


def fold(events: Iterable[DomainEvent], state: Activity | None) -> Activity | None:
    for e in events:
        d = e.data
        if e.type in (ev.ACTIVITY_PLANNED, ev.ACTIVITY_UPDATED):
            before = state or {"status": "planned", "counts": {}, "linked": []}
            state = {**{k: v for k, v in before.items()}, **d,
                     "starts_on": str(d["starts_on"]), "ends_on": str(d["ends_on"])}
        elif state is None:
            continue
        elif e.type == ev.ACTIVITY_CANCELLED:
            state = {**state, "status": "cancelled"}
        elif e.type == ev.ACTIVITY_PARTICIPATION_RECORDED:
            state = {**state, "counts": dict(d["counts"]), "status": "held"}
        elif e.type == ev.ACTIVITY_PARTICIPANT_LINKED:
            person = (d.get("personal") or {}).get("person_id")
            if person:
                state = {**state, "linked": sorted({*state["linked"], person})}
        elif e.type == ev.ACTIVITY_PARTICIPANT_UNLINKED:
            person = (d.get("personal") or {}).get("person_id")
            state = {**state, "linked": [p for p in state["linked"] if p != person]}
    return state


def require(state: Activity | None) -> Activity:
    if state is None:
        raise NotFound("activité inconnue", message_en="unknown activity")
    return state


def _check(activity: dict[str, Any]) -> None:
    if activity["ends_on"] < activity["starts_on"]:
        raise ValidationFailed("l'activité se termine avant de commencer",
                               message_en="the activity ends before it starts",
                               fields={"ends_on": ["avant le début"]})
    if bool(activity.get("action_id")) != bool(activity.get("plan_id")):
        raise ValidationFailed("une action se désigne avec son plan (plan_id et action_id)",
                               message_en="plan_id and action_id go together",
                               fields={"action_id": ["avec plan_id"]})
    langs = [d["lang"] for d in activity["descriptions"]]
    if len(langs) != len(set(langs)):
        raise ValidationFailed("une seule description par langue",
                               message_en="one description per language",
                               fields={"descriptions": ["langue en double"]})


def _data(activity: dict[str, Any]) -> dict[str, Any]:
    return {**activity, "starts_on": activity["starts_on"].isoformat(),
            "ends_on": activity["ends_on"].isoformat()}


def _public(state: Activity) -> dict[str, Any]:
    return {k: v for k, v in state.items() if k not in ("status", "counts", "linked")}


def decide_plan(state: Activity | None, activity: dict[str, Any]) -> list[DomainEvent]:
    _check(activity)
    data = _data(activity)
    if state is not None:
        if _public(state) == data:
            return []
        raise DomainRuleViolation(f"l'activité {activity['activity_id']} existe déjà",
                                  message_en="this activity already exists")
    return [DomainEvent(ev.ACTIVITY_PLANNED, data)]


def decide_update(state: Activity | None, activity: dict[str, Any]) -> list[DomainEvent]:
    a = require(state)
    if a["status"] == "cancelled":
        raise DomainRuleViolation("une activité annulée ne se modifie plus",
                                  message_en="a cancelled activity cannot change")
    _check(activity)
    data = _data(activity)
    if _public(a) == data:
        return []
    return [DomainEvent(ev.ACTIVITY_UPDATED, data)]


def decide_cancel(state: Activity | None, today: date) -> list[DomainEvent]:
    a = require(state)
    if a["status"] == "cancelled":
        return []
    if a["status"] == "held":
        raise DomainRuleViolation("une activité réalisée (participation enregistrée) ne "
                                  "s'annule plus", message_en="a held activity cannot be "
                                  "cancelled")
    return [DomainEvent(ev.ACTIVITY_CANCELLED, {"activity_id": a["activity_id"],
                                                "operator_id": a["operator_id"],
                                                "on": today.isoformat()})]


def decide_participation(state: Activity | None, counts: dict[str, int], today: date
                         ) -> list[DomainEvent]:
    a = require(state)
    if a["status"] == "cancelled":
        raise DomainRuleViolation("l'activité est annulée : pas de participation",
                                  message_en="the activity is cancelled")
    if date.fromisoformat(a["starts_on"]) > today:
        raise DomainRuleViolation("la participation s'enregistre une fois l'activité "
                                  "commencée", message_en="the activity has not started")
    counts = {k: int(n) for k, n in counts.items() if n}
    if a["status"] == "held" and a["counts"] == counts:
        return []
    return [DomainEvent(ev.ACTIVITY_PARTICIPATION_RECORDED, {
        "activity_id": a["activity_id"], "operator_id": a["operator_id"], "counts": counts,
        "on": today.isoformat()})]


def decide_link(state: Activity | None, person_id: str, today: date) -> list[DomainEvent]:
    a = require(state)
    if a["status"] == "cancelled":
        raise DomainRuleViolation("l'activité est annulée", message_en="cancelled activity")
    if person_id in a["linked"]:
        return []
    return [DomainEvent(ev.ACTIVITY_PARTICIPANT_LINKED, {
        "activity_id": a["activity_id"], "on": today.isoformat(),
        "personal": {"person_id": person_id}})]


def decide_unlink(state: Activity | None, person_id: str, today: date) -> list[DomainEvent]:
    """The person's erasure: their link goes (a cancelled activity's too); the counts of
    participation, anonymous, stay."""
    a = require(state)
    if person_id not in a["linked"]:
        return []
    return [DomainEvent(ev.ACTIVITY_PARTICIPANT_UNLINKED, {
        "activity_id": a["activity_id"], "on": today.isoformat(),
        "personal": {"person_id": person_id}})]
