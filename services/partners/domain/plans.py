"""Local integration plans (« plans locaux d'intégration », PLI) of a commune or a group
of communes: a needs diagnosis by theme, objectives, actions (operators and communes
involved, budget, period, status) and indicators (baseline, target, measured values).

Lifecycle: draft → adopted → evaluated, each step recording who and when. What a plan
says (diagnosis, objectives, actions, indicators) changes only in draft: an adopted or
evaluated plan changes through a new version (`decide_new_version`), itself a draft
that starts from the previous one. Living with the plan does not change what it says:
measured values and an action's progress are recorded on the adopted plan.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Iterable

from shared.errors import DomainRuleViolation, NotFound, ValidationFailed
from shared.messages import DomainEvent

from . import local_events as ev

Plan = dict[str, Any]
CONTENT = ("title", "communes", "period_from", "period_to", "diagnosis", "objectives")


def _content(d: dict[str, Any]) -> dict[str, Any]:
    return {k: d[k] for k in CONTENT}


def fold(events: Iterable[DomainEvent], state: Plan | None) -> Plan | None:
    for e in events:
        state = _evolve(state, e)
    return state


def _evolve(state: Plan | None, e: DomainEvent) -> Plan | None:
    d = e.data
    if e.type == ev.PLAN_DRAFTED:
        return {"plan_id": d["plan_id"], **_content(d), "status": "draft", "plan_version": 1,
                "actions": {}, "indicators": {},
                "approvals": [{"plan_version": 1, "step": "drafted", "by": d["by"],
                               "on": str(d["on"]), "note": None}]}
    if state is None:
        return None
    s = {**state, "actions": dict(state["actions"]), "indicators": dict(state["indicators"]),
         "approvals": list(state["approvals"])}
    if e.type == ev.PLAN_REVISED:
        s.update(_content(d))
    elif e.type == ev.PLAN_ACTION_SET:
        s["actions"][d["action_id"]] = {k: v for k, v in d.items() if k not in ("plan_id", "by")}
    elif e.type == ev.PLAN_ACTION_PROGRESSED:
        s["actions"][d["action_id"]] = {**s["actions"][d["action_id"]], "status": d["status"]}
    elif e.type == ev.PLAN_INDICATOR_SET:
        before = s["indicators"].get(d["indicator_id"], {})
        s["indicators"][d["indicator_id"]] = {
            **{k: v for k, v in d.items() if k != "plan_id"},
            "measurements": before.get("measurements", [])}
    elif e.type == ev.PLAN_INDICATOR_MEASURED:
        ind = s["indicators"][d["indicator_id"]]
        s["indicators"][d["indicator_id"]] = {**ind, "measurements": sorted(
            [m for m in ind["measurements"] if m["measured_on"] != str(d["measured_on"])] +
            [{"value": d["value"], "measured_on": str(d["measured_on"])}],
            key=lambda m: m["measured_on"])}
    elif e.type == ev.PLAN_ADOPTED:
        s["status"] = "adopted"
        s["approvals"].append({"plan_version": d["plan_version"], "step": "adopted",
                               "by": d["by"], "on": str(d["adopted_on"]), "note": d["decision"]})
    elif e.type == ev.PLAN_EVALUATED:
        s["status"] = "evaluated"
        s["approvals"].append({"plan_version": d["plan_version"], "step": "evaluated",
                               "by": d["by"], "on": str(d["evaluated_on"]),
                               "note": d["summary"]})
    elif e.type == ev.PLAN_VERSION_OPENED:
        s["status"], s["plan_version"] = "draft", d["plan_version"]
        s["approvals"].append({"plan_version": d["plan_version"], "step": "drafted",
                               "by": d["by"], "on": str(d["on"]), "note": d["reason"]})
    return s


# ---- checks -------------------------------------------------------------------------

def require(state: Plan | None) -> Plan:
    if state is None:
        raise NotFound("plan local d'intégration inconnu", message_en="unknown plan")
    return state


def require_draft(state: Plan | None) -> Plan:
    """What a plan says changes only in draft: otherwise a new version (409)."""
    p = require(state)
    if p["status"] != "draft":
        label = "adopté" if p["status"] == "adopted" else "évalué"
        raise DomainRuleViolation(
            f"le plan {p['plan_id']} est {label} (version {p['plan_version']}) : pour le "
            "modifier, ouvrez-en une nouvelle version (POST …/versions)",
            message_en="an adopted plan changes only through a new version")
    return p


def _period(start: date, end: date, field: str = "period_to") -> None:
    if end < start:
        raise ValidationFailed("la fin de la période précède son début",
                               message_en="the period ends before it starts",
                               fields={field: ["avant le début de la période"]})


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _dated(d: dict[str, Any]) -> dict[str, Any]:
    return {k: _iso(v) for k, v in d.items()}


def _objective(p: Plan, objective_id: str | None) -> None:
    if objective_id and objective_id not in {o["objective_id"] for o in p["objectives"]}:
        raise ValidationFailed("objectif inconnu dans ce plan", message_en="unknown objective",
                               fields={"objective_id": ["objectif inconnu dans ce plan"]})


def _check_content(content: dict[str, Any]) -> None:
    _period(content["period_from"], content["period_to"])
    ids = [o["objective_id"] for o in content["objectives"]]
    if len(ids) != len(set(ids)):
        raise ValidationFailed("deux objectifs portent le même identifiant",
                               message_en="duplicate objective id",
                               fields={"objectives": ["identifiants en double"]})


# ---- decisions ----------------------------------------------------------------------

def decide_draft(state: Plan | None, content: dict[str, Any], by: str, today: date
                 ) -> list[DomainEvent]:
    _check_content(content)
    data = {**_dated(content), "by": by, "on": today.isoformat()}
    if state is not None:
        if _content(state) == _content(data):
            return []
        raise DomainRuleViolation(f"le plan {content['plan_id']} existe déjà",
                                  message_en="this plan already exists")
    return [DomainEvent(ev.PLAN_DRAFTED, data)]


def decide_revise(state: Plan | None, content: dict[str, Any], by: str, today: date
                  ) -> list[DomainEvent]:
    p = require_draft(state)
    _check_content(content)
    data = {**_dated(content), "plan_id": p["plan_id"]}
    if _content(p) == _content(data):
        return []
    kept = {o["objective_id"] for o in data["objectives"]}
    used = {x["objective_id"] for x in [*p["actions"].values(), *p["indicators"].values()]
            if x.get("objective_id")}
    if used - kept:
        raise ValidationFailed("des actions ou des indicateurs visent un objectif retiré",
                               message_en="actions or indicators refer to a removed objective",
                               fields={"objectives": ["objectif encore utilisé : " +
                                                      ", ".join(sorted(used - kept))]})
    return [DomainEvent(ev.PLAN_REVISED, {**data, "by": by, "on": today.isoformat()})]


def decide_set_action(state: Plan | None, action: dict[str, Any], by: str
                      ) -> list[DomainEvent]:
    p = require_draft(state)
    _objective(p, action.get("objective_id"))
    _period(action["period_from"], action["period_to"])
    outside = sorted(set(action["communes"]) - set(p["communes"]))
    if outside:
        raise ValidationFailed("une action ne vise que des communes du plan",
                               message_en="an action covers the plan's communes only",
                               fields={"communes": ["hors du plan : " + ", ".join(outside)]})
    data = {**_dated(action), "plan_id": p["plan_id"]}
    if p["actions"].get(action["action_id"]) == {k: v for k, v in data.items()
                                                  if k != "plan_id"}:
        return []
    return [DomainEvent(ev.PLAN_ACTION_SET, {**data, "by": by})]


def decide_progress_action(state: Plan | None, action_id: str, status: str, by: str,
                           today: date) -> list[DomainEvent]:
    p = require(state)
    if p["status"] == "evaluated":
        raise DomainRuleViolation("le plan est évalué : ouvrez une nouvelle version pour "
                                  "suivre ses actions", message_en="the plan is evaluated")
    action = p["actions"].get(action_id)
    if action is None:
        raise NotFound("action inconnue dans ce plan", message_en="unknown action")
    if action["status"] == status:
        return []
    return [DomainEvent(ev.PLAN_ACTION_PROGRESSED, {
        "plan_id": p["plan_id"], "action_id": action_id, "status": status,
        "on": today.isoformat(), "by": by})]


def decide_set_indicator(state: Plan | None, indicator: dict[str, Any]) -> list[DomainEvent]:
    p = require_draft(state)
    _objective(p, indicator.get("objective_id"))
    data = {**_dated(indicator), "plan_id": p["plan_id"]}
    before = p["indicators"].get(indicator["indicator_id"])
    if before and {k: v for k, v in before.items() if k != "measurements"} == \
            {k: v for k, v in data.items() if k != "plan_id"}:
        return []
    return [DomainEvent(ev.PLAN_INDICATOR_SET, data)]


def decide_measure(state: Plan | None, indicator_id: str, value: float, measured_on: date,
                   by: str) -> list[DomainEvent]:
    p = require(state)
    if p["status"] != "adopted":
        raise DomainRuleViolation("un indicateur se mesure sur un plan adopté (et pas encore "
                                  "évalué)", message_en="indicators are measured on an "
                                  "adopted plan")
    ind = p["indicators"].get(indicator_id)
    if ind is None:
        raise NotFound("indicateur inconnu dans ce plan", message_en="unknown indicator")
    if {"value": value, "measured_on": measured_on.isoformat()} in ind["measurements"]:
        return []
    return [DomainEvent(ev.PLAN_INDICATOR_MEASURED, {
        "plan_id": p["plan_id"], "indicator_id": indicator_id, "value": float(value),
        "measured_on": measured_on.isoformat(), "by": by})]


def decide_adopt(state: Plan | None, by: str, today: date, decision: str
                 ) -> list[DomainEvent]:
    p = require(state)
    if p["status"] == "adopted":
        return []
    p = require_draft(p)
    if not p["actions"] or not p["indicators"]:
        raise DomainRuleViolation("un plan s'adopte avec au moins une action et un "
                                  "indicateur", message_en="a plan needs an action and an "
                                  "indicator to be adopted")
    return [DomainEvent(ev.PLAN_ADOPTED, {"plan_id": p["plan_id"],
                                          "plan_version": p["plan_version"],
                                          "adopted_on": today.isoformat(), "by": by,
                                          "decision": decision})]


def decide_evaluate(state: Plan | None, by: str, today: date, summary: str
                    ) -> list[DomainEvent]:
    p = require(state)
    if p["status"] == "evaluated":
        return []
    if p["status"] != "adopted":
        raise DomainRuleViolation("seul un plan adopté s'évalue",
                                  message_en="only an adopted plan is evaluated")
    return [DomainEvent(ev.PLAN_EVALUATED, {"plan_id": p["plan_id"],
                                            "plan_version": p["plan_version"],
                                            "evaluated_on": today.isoformat(), "by": by,
                                            "summary": summary})]


def decide_new_version(state: Plan | None, by: str, today: date, reason: str
                       ) -> list[DomainEvent]:
    p = require(state)
    if p["status"] == "draft":
        raise DomainRuleViolation("le plan est déjà en projet : modifiez-le directement",
                                  message_en="the plan is already a draft")
    return [DomainEvent(ev.PLAN_VERSION_OPENED, {"plan_id": p["plan_id"],
                                                 "plan_version": p["plan_version"] + 1,
                                                 "on": today.isoformat(), "by": by,
                                                 "reason": reason})]
