"""Local action as the region sees it, folded from the partners' events: one document
per integration plan (its indicators: baseline, target, measured values), per activity
(theme, commune, participation counts by coarse category) and per practitioner
training (theme, and per registration only its hours: no name ever reaches here)."""
from __future__ import annotations

from typing import Any

from shared.events.envelope import Envelope

PREFIX = "partners."


def evolve_plan(state: dict[str, Any] | None, env: Envelope) -> dict[str, Any] | None:
    kind, d = env.type.removeprefix(PREFIX), env.data
    if kind == "PlanDrafted":
        return {"centre": env.centre, "plan_id": d["plan_id"], "title": d["title"],
                "communes": list(d["communes"]), "status": "draft", "plan_version": 1,
                "indicators": {}}
    if state is None:
        return None
    s = {**state, "indicators": dict(state["indicators"])}
    if kind == "PlanRevised":
        s.update(title=d["title"], communes=list(d["communes"]))
    elif kind == "PlanIndicatorSet":
        before = s["indicators"].get(d["indicator_id"], {})
        s["indicators"][d["indicator_id"]] = {
            "label": d["label"], "unit": d["unit"], "baseline": d["baseline"],
            "target": d["target"], "target_on": str(d["target_on"]),
            "measured": before.get("measured"), "measured_on": before.get("measured_on")}
    elif kind == "PlanIndicatorMeasured" and d["indicator_id"] in s["indicators"]:
        ind = s["indicators"][d["indicator_id"]]
        if not ind.get("measured_on") or str(d["measured_on"]) >= ind["measured_on"]:
            s["indicators"][d["indicator_id"]] = {**ind, "measured": d["value"],
                                                  "measured_on": str(d["measured_on"])}
    elif kind == "PlanAdopted":
        s["status"] = "adopted"
    elif kind == "PlanEvaluated":
        s["status"] = "evaluated"
    elif kind == "PlanVersionOpened":
        s.update(status="draft", plan_version=d["plan_version"])
    else:
        return None
    return s


def evolve_activity(state: dict[str, Any] | None, env: Envelope) -> dict[str, Any] | None:
    kind, d = env.type.removeprefix(PREFIX), env.data
    if kind in ("ActivityPlanned", "ActivityUpdated"):
        before = state or {"counts": {}, "status": "planned"}
        return {**before, "centre": env.centre, "activity_id": d["activity_id"],
                "theme": d["theme"], "commune_nis": d["commune_nis"],
                "starts_on": str(d["starts_on"]), "operator_id": d.get("operator_id")}
    if state is None:
        return None
    if kind == "ActivityCancelled":
        return {**state, "status": "cancelled"}
    if kind == "ActivityParticipationRecorded":
        return {**state, "counts": dict(d["counts"]), "status": "held"}
    return None         # a linked person: nothing of it reaches reporting


def evolve_training(state: dict[str, Any] | None, env: Envelope) -> dict[str, Any] | None:
    kind, d = env.type.removeprefix(PREFIX), env.data
    if kind == "TrainingScheduled":
        return {"centre": env.centre, "training_id": d["training_id"], "theme": d["theme"],
                "first_day": str(min(s["date"] for s in d["sessions"])), "registrations": {}}
    if state is None or "registration_id" not in d:
        return None
    regs = {k: dict(v) for k, v in state["registrations"].items()}
    rid = d["registration_id"]
    if kind == "PractitionerRegistered":
        regs[rid] = {"status": "registered", "hours": {}}
    elif rid not in regs:
        return None
    elif kind == "PractitionerUnregistered":
        regs[rid]["status"] = "cancelled"
    elif kind == "PractitionerAttended":
        regs[rid]["hours"] = {**regs[rid]["hours"], str(d["session_date"]): d["hours"]}
    else:
        return None
    return {**state, "registrations": regs}
