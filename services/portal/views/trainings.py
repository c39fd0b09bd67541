"""Practitioner trainings (« formations des intervenants », mission 5): sessions for the
staff of operators, communes and CPAS, the practitioners registered (professionals,
not newcomers: name, organisation, role), their attendance and hours, their evaluation
and their training certificate (a PDF streamed through the portal).

Coordination: the catalogue, a new session, every registration, attendance,
evaluation and certificate. Partenaire: the catalogue, and it registers and follows its
own operator's staff (the API's scope: another operator's registration is a 403 page).
A practitioner's name never goes into a URL: registrations are named by their id.
"""
from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, url_for

from services.portal import auth
from services.portal.adapters.services import ApiProblem
from services.portal.views.common import FormState, api, get
from services.portal.views.local_common import (FORM_ERRORS, checked, choices, date,
                                                form_values, integer, labels, number,
                                                rename, text)
from services.portal.views.partners_common import listing, record_id

blp = Blueprint("trainings", __name__, url_prefix="/formations")
STAFF = ("coordination", "partenaire")
MANAGER = ("coordination",)
SESSION_ROWS = 4


@blp.get("")
@auth.require(*STAFF)
def index():
    found = listing("partners", "/api/v1/trainings")
    return render_template("trainings/index.html", trainings=found, labels=labels(),
                           manager=auth.user().has("coordination"))


def training_body(values: dict) -> tuple[dict, dict[str, str]]:
    names: dict[str, str] = {}
    sessions = []
    for row in range(SESSION_ROWS):
        day, hours = date(values, f"sessions.{row}.date"), number(values, f"sessions.{row}.hours")
        if day is not None or hours is not None:
            names[f"sessions.{len(sessions)}"] = f"sessions.{row}"
            sessions.append({"date": day or "", "hours": hours if hours is not None else ""})
    body = {"training_id": text(values, "training_id") or "", "title": text(values, "title") or "",
            "theme": text(values, "theme") or "", "audiences": checked(values, "audiences"),
            "commune_nis": text(values, "commune_nis") or "",
            "capacity": integer(values, "capacity"), "sessions": sessions}
    return {k: v for k, v in body.items() if v is not None}, names


def _new_page(form: FormState, status: int = 200):
    return render_template("trainings/new.html", form=form, rows=range(SESSION_ROWS),
                           themes=choices("training_themes"),
                           audiences=choices("audiences")), status


@blp.get("/nouvelle")
@auth.require(*MANAGER)
def new():
    return _new_page(FormState(auth.pending_form() or {}))


@blp.post("/nouvelle")
@auth.require(*MANAGER)
def create():
    values = form_values()
    body, names = training_body(values)
    try:
        created = api("partners", "POST", "/api/v1/trainings", json=body).body
    except ApiProblem as exc:
        if exc.status not in FORM_ERRORS:
            raise
        return _new_page(FormState(values, rename(exc, names)), exc.status)
    flash(f"Formation « {created['title']} » programmée.", "success")
    return redirect(url_for("trainings.show", training_id=created["training_id"]))


def _training_page(training_id: str, form: FormState | None = None, status: int = 200):
    training = get("partners", f"/api/v1/trainings/{training_id}")
    registrations = listing("partners", f"/api/v1/trainings/{training_id}/registrations")
    who = auth.user()
    default = {"audience": "operator"} if not who.has("coordination") else {}
    return render_template("trainings/show.html", t=training, registrations=registrations,
                           form=form or FormState(auth.pending_form() or default),
                           manager=who.has("coordination"), labels=labels(),
                           audiences=choices("audiences"),
                           operators=_operators()), status


def _operators() -> list[dict]:
    who = auth.user()
    if not who.has("coordination"):
        return []
    return get("partners", "/api/v1/operators?page_size=200")["items"]


@blp.get("/<training_id>")
@auth.require(*STAFF)
def show(training_id: str):
    return _training_page(record_id(training_id))


@blp.post("/<training_id>/inscriptions")
@auth.require(*STAFF)
def register(training_id: str):
    training_id = record_id(training_id)
    values = form_values()
    who = auth.user()
    body = {k: text(values, k) or "" for k in ("name", "organisation", "role", "audience")}
    body["operator_id"] = text(values, "operator_id") if who.has("coordination") \
        else who.operator_id
    try:
        created = api("partners", "POST", f"/api/v1/trainings/{training_id}/registrations",
                      json=body).body
    except ApiProblem as exc:
        if exc.status not in FORM_ERRORS:
            raise
        return _training_page(training_id, FormState(values, exc), exc.status)
    flash(f"{created.get('name') or 'Intervenant·e'} inscrit·e à la formation.", "success")
    return redirect(url_for("trainings.registration", training_id=training_id,
                            registration_id=created["registration_id"]))


def _registration_page(training_id: str, registration_id: str, status: int = 200,
                       attendance: FormState | None = None,
                       evaluation: FormState | None = None, cancel: FormState | None = None):
    training = get("partners", f"/api/v1/trainings/{training_id}")
    r = get("partners", f"/api/v1/trainings/{training_id}/registrations/{registration_id}")
    evaluation_values = {k: str(v) for k, v in (r.get("evaluation") or {}).items()}
    return render_template("trainings/registration.html", t=training, r=r, labels=labels(),
                           manager=auth.user().has("coordination"),
                           attendance=attendance or FormState({"present": "1"}),
                           evaluation=evaluation or FormState(evaluation_values),
                           cancel_form=cancel or FormState(),
                           scale=[(str(n), str(n)) for n in range(1, 6)]), status


@blp.get("/<training_id>/inscriptions/<registration_id>")
@auth.require(*STAFF)
def registration(training_id: str, registration_id: str):
    return _registration_page(record_id(training_id), record_id(registration_id))


@blp.post("/<training_id>/inscriptions/<registration_id>/presence")
@auth.require(*MANAGER)
def attend(training_id: str, registration_id: str):
    training_id, registration_id = record_id(training_id), record_id(registration_id)
    values = form_values()
    body = {"session_date": text(values, "session_date") or "",
            "present": values.get("present") == "1"}
    try:
        api("partners", "POST",
            f"/api/v1/trainings/{training_id}/registrations/{registration_id}/attendance",
            json=body)
    except ApiProblem as exc:
        if exc.status not in FORM_ERRORS:
            raise
        return _registration_page(training_id, registration_id, exc.status,
                                  attendance=FormState(values, exc))
    flash("Présence enregistrée." if body["present"] else "Absence enregistrée.", "success")
    return redirect(url_for("trainings.registration", training_id=training_id,
                            registration_id=registration_id))


@blp.post("/<training_id>/inscriptions/<registration_id>/evaluation")
@auth.require(*MANAGER)
def evaluate(training_id: str, registration_id: str):
    training_id, registration_id = record_id(training_id), record_id(registration_id)
    values = form_values()
    body = {k: integer(values, k) if text(values, k) else "" for k in ("satisfaction",
                                                                       "usefulness")}
    try:
        api("partners", "PUT",
            f"/api/v1/trainings/{training_id}/registrations/{registration_id}/evaluation",
            json=body)
    except ApiProblem as exc:
        if exc.status not in FORM_ERRORS:
            raise
        return _registration_page(training_id, registration_id, exc.status,
                                  evaluation=FormState(values, exc))
    flash("Évaluation enregistrée.", "success")
    return redirect(url_for("trainings.registration", training_id=training_id,
                            registration_id=registration_id))


@blp.post("/<training_id>/inscriptions/<registration_id>/desinscription")
@auth.require(*STAFF)
def unregister(training_id: str, registration_id: str):
    training_id, registration_id = record_id(training_id), record_id(registration_id)
    try:
        api("partners", "POST",
            f"/api/v1/trainings/{training_id}/registrations/{registration_id}/cancellation")
    except ApiProblem as exc:
        if exc.status not in FORM_ERRORS:
            raise
        return _registration_page(training_id, registration_id, exc.status,
                                  cancel=FormState({}, exc))
    flash("Inscription annulée.", "success")
    return redirect(url_for("trainings.show", training_id=training_id))


@blp.get("/<training_id>/inscriptions/<registration_id>/attestation.pdf")
@auth.require(*STAFF)
def certificate(training_id: str, registration_id: str):
    """The certificate, streamed from the partners service (never stored by the portal)."""
    training_id, registration_id = record_id(training_id), record_id(registration_id)
    answer = api("partners", "GET", f"/api/v1/trainings/{training_id}/registrations/"
                                    f"{registration_id}/certificate.pdf", raw=True)
    return Response(answer.content, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="attestation-{registration_id}.pdf"',
        "Cache-Control": "no-store"})
