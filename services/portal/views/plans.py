"""Local integration plans (PLI, « plans locaux d'intégration »).

Coordination: the list of the centre's plans (filtered by state, commune or words of the
title), a draft (communes, period, diagnosis by theme, objectives) and its revision,
actions (operators and communes involved, budget, period, state) and indicators
(baseline, target, unit), the plan's lifecycle — adoption, evaluation, new version —
with who approved what and when, and measured values shown against the target.

Partenaire: the plans where its operator leads an action (the API's scope); it edits and
follows only those actions (another operator's is a 403 page here as in the API).
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from services.portal import auth
from services.portal.adapters.services import ApiProblem
from services.portal.views.common import FormState, api, get, page_number
from services.portal.views.local_common import (FORM_ERRORS, amount, choices, communes,
                                                date, form_values, labels, number, rename,
                                                shown_date, stale, text)
from services.portal.views.partners_common import RECORD_ID, record_id

blp = Blueprint("plans", __name__, url_prefix="/plans")
STAFF = ("coordination", "partenaire")
MANAGER = ("coordination",)
PAGE_SIZE = 20
OBJECTIVE_ROWS = 2          # blank objective rows offered under the existing ones


def _is_manager() -> bool:
    return auth.user().has("coordination")


def _operators() -> list[dict]:
    try:
        return get("partners", "/api/v1/operators?page_size=200")["items"]
    except ApiProblem as exc:
        if exc.status == 403:           # a partner does not list the other operators
            return []
        raise


# ---- the list ----------------------------------------------------------------------

def _all_plans(limit: int = 10) -> list[dict]:
    """Every plan the user may read, 200 a call (up to 2,000: a centre has a few dozen)."""
    items: list[dict] = []
    for n in range(1, limit + 1):
        body = get("partners", f"/api/v1/plans?page={n}&page_size=200")
        items += body["items"]
        if len(items) >= int(body.get("total") or 0) or not body["items"]:
            break
    return items


@blp.get("")
@auth.require(*STAFF)
def index():
    """The API lists every plan in one go (a centre has a few dozen): filtered and paged
    here, by state, commune and words of the title."""
    values: dict[str, str] = {}
    state = (request.args.get("statut") or "").strip()
    if state in labels()["plan_status"]:
        values["statut"] = state
    commune = (request.args.get("commune") or "").strip()
    words = (request.args.get("q") or "").strip()[:100]
    if commune.isdigit() and len(commune) == 5:
        values["commune"] = commune
    if words:
        values["q"] = words
    page = page_number()
    found = [p for p in _all_plans()
             if (not values.get("statut") or p.get("status") == values["statut"])
             and (not values.get("commune") or values["commune"] in p.get("communes", []))
             and (not words or words.lower() in p.get("title", "").lower())]
    total = len(found)
    shown = found[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
    plans = {"items": shown, "page": page, "pages": max(1, -(-total // PAGE_SIZE)),
             "total": total}
    return render_template("plans/index.html", plans=plans, values=values,
                           form=FormState(values), statuses=choices("plan_status"),
                           labels=labels(), manager=_is_manager())


# ---- a draft and its revision ----------------------------------------------------------

def content(values: dict) -> tuple[dict, dict[str, str]]:
    """The plan's content from the form, and {API field path: form name} for messages.
    The diagnosis has one block per theme (left empty: not in the plan); objectives one
    row each (an empty row is dropped)."""
    names: dict[str, str] = {"period_from": "period_from", "period_to": "period_to"}
    diagnosis = []
    for theme, _label in choices("plan_themes"):
        findings = text(values, f"diagnosis.{theme}.findings")
        if findings:
            names[f"diagnosis.{len(diagnosis)}"] = f"diagnosis.{theme}"
            diagnosis.append({"theme": theme, "findings": findings,
                              "priority": text(values, f"diagnosis.{theme}.priority")
                              or "medium"})
    objectives = []
    rows = sorted({int(k.split(".")[1]) for k in values
                   if k.startswith("objectives.") and k.split(".")[1].isdigit()})
    for row in rows:
        item = {k: text(values, f"objectives.{row}.{k}")
                for k in ("objective_id", "theme", "text")}
        if any(item.values()):
            names[f"objectives.{len(objectives)}"] = f"objectives.{row}"
            objectives.append(item)
    body = {"title": text(values, "title") or "", "communes": communes(values),
            "period_from": date(values, "period_from"), "period_to": date(values, "period_to"),
            "diagnosis": diagnosis, "objectives": objectives}
    return {k: v for k, v in body.items() if v is not None}, names


def content_values(plan: dict) -> dict:
    """A plan's content as the form shows it."""
    values = {"title": plan["title"], "communes": ", ".join(plan.get("communes", [])),
              "period_from": shown_date(plan.get("period_from")),
              "period_to": shown_date(plan.get("period_to"))}
    for d in plan.get("diagnosis", []):
        values[f"diagnosis.{d['theme']}.findings"] = d["findings"]
        values[f"diagnosis.{d['theme']}.priority"] = d.get("priority", "medium")
    for i, o in enumerate(plan.get("objectives", [])):
        for k in ("objective_id", "theme", "text"):
            values[f"objectives.{i}.{k}"] = o.get(k) or ""
    return values


def _objective_rows(values: dict) -> list[int]:
    used = {int(k.split(".")[1]) for k in values
            if k.startswith("objectives.") and k.split(".")[1].isdigit()}
    last = max(used) + 1 if used else 0
    return list(range(last + OBJECTIVE_ROWS))


def _content_page(form: FormState, plan: dict | None = None, status: int = 200):
    return render_template("plans/content.html", form=form, plan=plan,
                           rows=_objective_rows(form.values),
                           themes=choices("plan_themes"), priorities=choices("priorities"),
                           labels=labels()), status


@blp.get("/nouveau")
@auth.require(*MANAGER)
def new():
    return _content_page(FormState(auth.pending_form() or {}))


@blp.post("/nouveau")
@auth.require(*MANAGER)
def create():
    values = form_values()
    body, names = content(values)
    body["plan_id"] = text(values, "plan_id") or ""
    try:
        created = api("partners", "POST", "/api/v1/plans", json=body).body
    except ApiProblem as exc:
        if exc.status not in FORM_ERRORS:
            raise
        return _content_page(FormState(values, rename(exc, names)), status=exc.status)
    flash(f"Plan « {created['title']} » ouvert en projet.", "success")
    return redirect(url_for("plans.show", plan_id=created["plan_id"]))


def _plan(plan_id: str) -> dict:
    return get("partners", f"/api/v1/plans/{plan_id}")


@blp.get("/<plan_id>/modifier")
@auth.require(*MANAGER)
def edit(plan_id: str):
    plan = _plan(record_id(plan_id))
    return _content_page(FormState(auth.pending_form() or content_values(plan)), plan)


@blp.post("/<plan_id>/modifier")
@auth.require(*MANAGER)
def revise(plan_id: str):
    plan_id = record_id(plan_id)
    values = form_values()
    body, names = content(values)
    try:
        api("partners", "PUT", f"/api/v1/plans/{plan_id}", json=body,
            etag=text(values, "version") or "0")
    except ApiProblem as exc:
        if exc.status not in FORM_ERRORS:
            raise
        return _content_page(FormState(values, stale(rename(exc, names))), _plan(plan_id),
                             exc.status)
    flash("Plan révisé.", "success")
    return redirect(url_for("plans.show", plan_id=plan_id))


# ---- a plan ------------------------------------------------------------------------

def progress(indicator: dict) -> dict | None:
    """The last measured value against the target: the share of the way from the
    baseline to the target (0–100, clipped), for a <progress> and its text."""
    measures = indicator.get("measurements") or []
    if not measures:
        return None
    last = measures[-1]
    baseline, target, value = (float(indicator["baseline"]), float(indicator["target"]),
                               float(last["value"]))
    if target == baseline:
        share = 100.0 if value >= target else 0.0
    else:
        share = (value - baseline) / (target - baseline) * 100
    return {"value": value, "on": last["measured_on"], "share": round(share),
            "bar": max(0, min(100, round(share)))}


def _plan_page(plan_id: str, status: int = 200, **forms):
    plan = _plan(plan_id)
    who = auth.user()
    for ind in plan.get("indicators", []):
        ind["progress"] = progress(ind)
    names = {o["operator_id"]: o["name"] for o in _operators()}
    mine = {a["action_id"] for a in plan.get("actions", [])
            if who.has("coordination") or (who.operator_id and
                                           a.get("lead_operator_id") == who.operator_id)}
    blank = {k: FormState() for k in ("adopt_form", "evaluate_form", "version_form")}
    return render_template("plans/show.html", plan=plan, names=names, mine=mine,
                           manager=who.has("coordination"), labels=labels(),
                           action_statuses=choices("action_status"), amount=amount,
                           measure_forms=forms.pop("measure_forms", {}),
                           status_forms=forms.pop("status_forms", {}),
                           **{**blank, **forms}), status


@blp.get("/<plan_id>")
@auth.require(*STAFF)
def show(plan_id: str):
    return _plan_page(record_id(plan_id))


LIFECYCLE = {"adoption": ("adoption", "decision", "adopt_form", "Plan adopté : son contenu "
                          "ne change plus que par une nouvelle version."),
             "evaluation": ("evaluation", "summary", "evaluate_form", "Plan évalué."),
             "version": ("versions", "reason", "version_form", "Nouvelle version ouverte, "
                         "en projet.")}


@blp.post("/<plan_id>/<step>")
@auth.require(*MANAGER)
def lifecycle(plan_id: str, step: str):
    plan_id = record_id(plan_id)
    if step not in LIFECYCLE:
        abort(404)
    path, name, form_name, done = LIFECYCLE[step]
    values = form_values()
    try:
        api("partners", "POST", f"/api/v1/plans/{plan_id}/{path}",
            json={name: text(values, name) or ""}, etag=text(values, "version"))
    except ApiProblem as exc:
        if exc.status not in FORM_ERRORS:
            raise
        return _plan_page(plan_id, exc.status, **{form_name: FormState(values, stale(exc))})
    flash(done, "success")
    return redirect(url_for("plans.show", plan_id=plan_id))


# ---- actions -----------------------------------------------------------------------

def action_body(values: dict, lead: str | None) -> dict:
    body = {"title": text(values, "title") or "", "objective_id": text(values, "objective_id"),
            "lead_operator_id": lead,
            "operators": [o for o in values.get("operators", []) if o]
            if isinstance(values.get("operators"), list)
            else [o for o in [text(values, "operators")] if o],
            "communes": communes(values), "budget": number(values, "budget"),
            "period_from": date(values, "period_from"), "period_to": date(values, "period_to"),
            "status": text(values, "status") or "planned"}
    return {k: v for k, v in body.items() if v is not None or k in ("objective_id",
                                                                    "lead_operator_id")}


def action_values(action: dict) -> dict:
    return {"title": action["title"], "objective_id": action.get("objective_id") or "",
            "lead_operator_id": action.get("lead_operator_id") or "",
            "operators": action.get("operators", []),
            "communes": ", ".join(action.get("communes", [])),
            "budget": amount(action.get("budget")).replace("\u202f", ""),
            "period_from": shown_date(action.get("period_from")),
            "period_to": shown_date(action.get("period_to")),
            "status": action.get("status", "planned")}


def _own(action: dict | None) -> None:
    """A partner opens only the actions its operator leads (a new one is the centre's)."""
    who = auth.user()
    if who.has("coordination"):
        return
    if action is None or not who.operator_id or action.get("lead_operator_id") != who.operator_id:
        abort(403)


def _action_page(plan: dict, action_id: str | None, form: FormState, status: int = 200):
    action = next((a for a in plan.get("actions", []) if a["action_id"] == action_id), None)
    who = auth.user()
    operators = _operators()
    if not who.has("coordination"):
        operators = [o for o in operators if o["operator_id"] == who.operator_id] or \
            [{"operator_id": who.operator_id, "name": who.operator_id}]
    return render_template("plans/action.html", plan=plan, action=action, form=form,
                           action_id=action_id, operators=operators,
                           manager=who.has("coordination"),
                           objectives=[(o["objective_id"], f"{o['objective_id']} — {o['text']}")
                                       for o in plan.get("objectives", [])],
                           statuses=choices("action_status"), labels=labels()), status


@blp.get("/<plan_id>/actions/nouvelle")
@auth.require(*MANAGER)
def new_action(plan_id: str):
    plan = _plan(record_id(plan_id))
    return _action_page(plan, None, FormState(auth.pending_form() or {
        "communes": ", ".join(plan.get("communes", [])),
        "period_from": shown_date(plan.get("period_from")),
        "period_to": shown_date(plan.get("period_to")), "status": "planned"}))


@blp.get("/<plan_id>/actions/<action_id>")
@auth.require(*STAFF)
def action(plan_id: str, action_id: str):
    plan = _plan(record_id(plan_id))
    found = next((a for a in plan.get("actions", []) if a["action_id"] == record_id(action_id)),
                 None)
    if found is None:
        abort(404)
    _own(found)
    return _action_page(plan, action_id, FormState(auth.pending_form() or action_values(found)))


@blp.post("/<plan_id>/actions")
@auth.require(*STAFF)
def save_action(plan_id: str):
    """Create (coordination) or change an action: PUT …/actions/<action_id> (If-Match)."""
    plan_id = record_id(plan_id)
    values = form_values()
    who = auth.user()
    action_id = text(values, "action_id") or ""
    existing = text(values, "existing") == "1"
    plan = _plan(plan_id)
    before = next((a for a in plan.get("actions", []) if a["action_id"] == action_id), None)
    if existing or not who.has("coordination"):
        if before is None and not RECORD_ID.match(action_id):
            abort(404)
        _own(before)
    lead = text(values, "lead_operator_id") if who.has("coordination") else who.operator_id
    if not RECORD_ID.match(action_id):
        problem = ApiProblem(422, "Données invalides", "L'action n'a pas été enregistrée.",
                             {"action_id": ["identifiant requis : lettres, chiffres, . _ : -"]})
        return _action_page(plan, None, FormState(values, problem), 422)
    try:
        api("partners", "PUT", f"/api/v1/plans/{plan_id}/actions/{action_id}",
            json=action_body(values, lead), etag=text(values, "version"))
    except ApiProblem as exc:
        if exc.status not in FORM_ERRORS:
            raise
        return _action_page(_plan(plan_id), action_id if existing else None,
                            FormState(values, stale(exc)), exc.status)
    flash(f"Action « {text(values, 'title')} » enregistrée.", "success")
    return redirect(url_for("plans.show", plan_id=plan_id))


@blp.post("/<plan_id>/actions/<action_id>/avancement")
@auth.require(*STAFF)
def action_status(plan_id: str, action_id: str):
    plan_id, action_id = record_id(plan_id), record_id(action_id)
    values = form_values()
    try:
        api("partners", "POST", f"/api/v1/plans/{plan_id}/actions/{action_id}/status",
            json={"status": text(values, "status") or ""})
    except ApiProblem as exc:
        if exc.status not in FORM_ERRORS:
            raise
        return _plan_page(plan_id, exc.status,
                          status_forms={action_id: FormState(values, exc)})
    label = labels()["action_status"].get(values.get("status"), values.get("status"))
    flash(f"Action {action_id} : {label}.", "success")
    return redirect(url_for("plans.show", plan_id=plan_id))


# ---- indicators --------------------------------------------------------------------

def indicator_body(values: dict) -> dict:
    body = {"label": text(values, "label") or "", "objective_id": text(values, "objective_id"),
            "unit": text(values, "unit") or "", "baseline": number(values, "baseline"),
            "target": number(values, "target"), "target_on": date(values, "target_on")}
    return {k: v for k, v in body.items() if v is not None or k == "objective_id"}


def _indicator_page(plan: dict, indicator_id: str | None, form: FormState, status: int = 200):
    return render_template("plans/indicator.html", plan=plan, indicator_id=indicator_id,
                           form=form, units=choices("indicator_units"),
                           objectives=[(o["objective_id"], f"{o['objective_id']} — {o['text']}")
                                       for o in plan.get("objectives", [])]), status


@blp.get("/<plan_id>/indicateurs/nouveau")
@auth.require(*MANAGER)
def new_indicator(plan_id: str):
    plan = _plan(record_id(plan_id))
    return _indicator_page(plan, None, FormState(auth.pending_form() or {
        "target_on": shown_date(plan.get("period_to"))}))


@blp.get("/<plan_id>/indicateurs/<indicator_id>")
@auth.require(*MANAGER)
def indicator(plan_id: str, indicator_id: str):
    plan = _plan(record_id(plan_id))
    found = next((i for i in plan.get("indicators", [])
                  if i["indicator_id"] == record_id(indicator_id)), None)
    if found is None:
        abort(404)
    values = {"label": found["label"], "objective_id": found.get("objective_id") or "",
              "unit": found["unit"], "baseline": amount(found["baseline"]).replace("\u202f", ""),
              "target": amount(found["target"]).replace("\u202f", ""),
              "target_on": shown_date(found.get("target_on"))}
    return _indicator_page(plan, indicator_id, FormState(auth.pending_form() or values))


@blp.post("/<plan_id>/indicateurs")
@auth.require(*MANAGER)
def save_indicator(plan_id: str):
    plan_id = record_id(plan_id)
    values = form_values()
    indicator_id = text(values, "indicator_id") or ""
    existing = text(values, "existing") == "1"
    if not RECORD_ID.match(indicator_id):
        problem = ApiProblem(422, "Données invalides", "L'indicateur n'a pas été enregistré.",
                             {"indicator_id": ["identifiant requis : lettres, chiffres, . _ : -"]})
        return _indicator_page(_plan(plan_id), None, FormState(values, problem), 422)
    try:
        api("partners", "PUT", f"/api/v1/plans/{plan_id}/indicators/{indicator_id}",
            json=indicator_body(values), etag=text(values, "version"))
    except ApiProblem as exc:
        if exc.status not in FORM_ERRORS:
            raise
        return _indicator_page(_plan(plan_id), indicator_id if existing else None,
                               FormState(values, stale(exc)), exc.status)
    flash(f"Indicateur « {text(values, 'label')} » enregistré.", "success")
    return redirect(url_for("plans.show", plan_id=plan_id))


@blp.post("/<plan_id>/indicateurs/<indicator_id>/mesures")
@auth.require(*MANAGER)
def measure(plan_id: str, indicator_id: str):
    plan_id, indicator_id = record_id(plan_id), record_id(indicator_id)
    values = form_values()
    body = {"value": number(values, "value"), "measured_on": date(values, "measured_on")}
    try:
        api("partners", "POST",
            f"/api/v1/plans/{plan_id}/indicators/{indicator_id}/measurements",
            json={k: v for k, v in body.items() if v is not None})
    except ApiProblem as exc:
        if exc.status not in FORM_ERRORS:
            raise
        return _plan_page(plan_id, exc.status,
                          measure_forms={indicator_id: FormState(values, exc)})
    flash(f"Valeur mesurée enregistrée ({values.get('value')}).", "success")
    return redirect(url_for("plans.show", plan_id=plan_id) + f"#ind-{indicator_id}")
