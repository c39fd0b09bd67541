"""Integration activities (« activités d'intégration », missions 4, 8 and 10):
intercultural meetings, citizenship workshops, anti-discrimination actions, information
sessions… with their theme, public, commune, dates, and participation recorded as
counts by coarse category (no personal data).

Coordination: every activity of the centre. Partenaire: its own operator's only (the
API's scope; another operator's is a 403 page here as in the API).
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from services.portal import auth
from services.portal.adapters.services import ApiProblem
from services.portal.views.common import FormState, api, get
from services.portal.views.local_common import (FORM_ERRORS, choices, date, form_values,
                                                integer, labels, rename, shown_date, stale,
                                                text)
from services.portal.views.partners_common import listing, record_id

blp = Blueprint("activities", __name__, url_prefix="/activites")
STAFF = ("coordination", "partenaire")
DESCRIPTION_ROWS = 3


def _operators() -> list[dict]:
    who = auth.user()
    if not who.has("coordination"):
        return [{"operator_id": who.operator_id, "name": who.operator_id}] \
            if who.operator_id else []
    return get("partners", "/api/v1/operators?page_size=200")["items"]


@blp.get("")
@auth.require(*STAFF)
def index():
    values: dict[str, str] = {}
    params: dict[str, str] = {}
    theme = (request.args.get("theme") or "").strip()
    if theme in labels()["activity_themes"]:
        values["theme"] = params["theme"] = theme
    commune = (request.args.get("commune") or "").strip()
    if commune.isdigit() and len(commune) == 5:
        values["commune"] = params["commune_nis"] = commune
    found = listing("partners", "/api/v1/activities", params)
    names = {o["operator_id"]: o["name"] for o in _operators()}
    return render_template("activities/index.html", activities=found, values=values,
                           form=FormState(values), themes=choices("activity_themes"),
                           names=names, labels=labels())


def body_of(values: dict) -> tuple[dict, dict[str, str]]:
    """The activity from the form; {API path: form name} for the descriptions' rows."""
    who = auth.user()
    names: dict[str, str] = {}
    descriptions = []
    for row in range(DESCRIPTION_ROWS):
        lang, words = text(values, f"descriptions.{row}.lang"), \
            text(values, f"descriptions.{row}.text")
        if lang or words:
            names[f"descriptions.{len(descriptions)}"] = f"descriptions.{row}"
            descriptions.append({"lang": lang or "", "text": words or ""})
    operator = text(values, "operator_id") if who.has("coordination") else who.operator_id
    body = {"title": text(values, "title") or "", "kind": text(values, "kind") or "",
            "theme": text(values, "theme") or "", "public": text(values, "public") or "newcomers",
            "commune_nis": text(values, "commune_nis") or "", "operator_id": operator,
            "starts_on": date(values, "starts_on"), "ends_on": date(values, "ends_on"),
            "place": text(values, "place"), "listed": bool(values.get("listed")),
            "descriptions": descriptions}
    return {k: v for k, v in body.items()
            if v is not None or k in ("operator_id", "place")}, names


def activity_values(a: dict) -> dict:
    values = {k: a.get(k) or "" for k in ("title", "kind", "theme", "public", "commune_nis",
                                          "operator_id", "place")}
    values.update(starts_on=shown_date(a.get("starts_on")), ends_on=shown_date(a.get("ends_on")),
                  listed="1" if a.get("listed") else "")
    for i, d in enumerate(a.get("descriptions") or []):
        values[f"descriptions.{i}.lang"], values[f"descriptions.{i}.text"] = d["lang"], d["text"]
    return values


def _form_page(form: FormState, activity: dict | None = None, status: int = 200):
    return render_template("activities/form.html", form=form, activity=activity,
                           operators=_operators(), manager=auth.user().has("coordination"),
                           rows=range(DESCRIPTION_ROWS), kinds=choices("activity_kinds"),
                           themes=choices("activity_themes"), publics=choices("publics"),
                           languages=choices("languages")), status


@blp.get("/nouvelle")
@auth.require(*STAFF)
def new():
    return _form_page(FormState(auth.pending_form() or {"listed": "1", "public": "newcomers"}))


@blp.post("/nouvelle")
@auth.require(*STAFF)
def create():
    values = form_values()
    body, names = body_of(values)
    body["activity_id"] = text(values, "activity_id") or ""
    try:
        created = api("partners", "POST", "/api/v1/activities", json=body).body
    except ApiProblem as exc:
        if exc.status not in FORM_ERRORS:
            raise
        return _form_page(FormState(values, rename(exc, names)), status=exc.status)
    flash(f"Activité « {created['title']} » prévue.", "success")
    return redirect(url_for("activities.show", activity_id=created["activity_id"]))


def _activity(activity_id: str) -> dict:
    return get("partners", f"/api/v1/activities/{activity_id}")


@blp.get("/<activity_id>/modifier")
@auth.require(*STAFF)
def edit(activity_id: str):
    activity = _activity(record_id(activity_id))
    return _form_page(FormState(auth.pending_form() or activity_values(activity)), activity)


@blp.post("/<activity_id>/modifier")
@auth.require(*STAFF)
def update(activity_id: str):
    activity_id = record_id(activity_id)
    values = form_values()
    body, names = body_of(values)
    try:
        api("partners", "PUT", f"/api/v1/activities/{activity_id}", json=body,
            etag=text(values, "version") or "0")
    except ApiProblem as exc:
        if exc.status not in FORM_ERRORS:
            raise
        return _form_page(FormState(values, stale(rename(exc, names))),
                          _activity(activity_id), exc.status)
    flash("Activité modifiée.", "success")
    return redirect(url_for("activities.show", activity_id=activity_id))


def _show(activity_id: str, status: int = 200, participation: FormState | None = None,
          cancel: FormState | None = None):
    activity = _activity(activity_id)
    counts = activity.get("counts") or {}
    names = {o["operator_id"]: o["name"] for o in _operators()}
    return render_template("activities/show.html", a=activity, names=names, labels=labels(),
                           categories=choices("participant_categories"),
                           participation=participation or FormState(
                               {f"counts.{k}": str(v) for k, v in counts.items()}),
                           cancel_form=cancel or FormState()), status


@blp.get("/<activity_id>")
@auth.require(*STAFF)
def show(activity_id: str):
    return _show(record_id(activity_id))


@blp.post("/<activity_id>/participation")
@auth.require(*STAFF)
def participation(activity_id: str):
    activity_id = record_id(activity_id)
    values = form_values()
    counts = {code: integer(values, f"counts.{code}")
              for code, _ in choices("participant_categories")}
    counts = {k: v for k, v in counts.items() if v is not None}
    try:
        answer = api("partners", "PUT", f"/api/v1/activities/{activity_id}/participation",
                     json={"counts": counts})
    except ApiProblem as exc:
        if exc.status not in FORM_ERRORS:
            raise
        exc.errors = {".".join(k.split(".")[:2]): m for k, m in exc.errors.items()}
        return _show(activity_id, exc.status, participation=FormState(values, exc))
    total = (answer.body or {}).get("participants", sum(
        v for v in counts.values() if isinstance(v, int)))
    flash(f"Participation enregistrée : {total} participant(s).", "success")
    return redirect(url_for("activities.show", activity_id=activity_id))


@blp.post("/<activity_id>/annulation")
@auth.require(*STAFF)
def cancel(activity_id: str):
    activity_id = record_id(activity_id)
    try:
        api("partners", "POST", f"/api/v1/activities/{activity_id}/cancellation")
    except ApiProblem as exc:
        if exc.status not in FORM_ERRORS:
            raise
        return _show(activity_id, exc.status, cancel=FormState({}, exc))
    flash("Activité annulée.", "success")
    return redirect(url_for("activities.show", activity_id=activity_id))

