"""An operator's staff («partenaire»): the people referred to their operator and what
becomes of each referral (accept — a seat or the waiting list —, decline, start,
complete, drop out), their offers with the waiting list, and attendance: by session in
a form, or a CSV file whose rejected rows are listed with their line and reason.

The partners API limits every answer to the account's operator: another operator's
referral is a 403 page here too.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from services.portal import auth
from services.portal.adapters.services import ApiProblem
from services.portal.formats import date_fr, hours as hours_fr, parse_date_fr
from services.portal.views.common import FormState, api, get
from services.portal.views.partners_common import (choices, filters, free_seats, listing,
                                                   record_id)

blp = Blueprint("operator", __name__, url_prefix="/operateur")
ROLE = ("partenaire",)
FORM_ERRORS = (400, 409, 413, 422)
# the portal's action (in French, in the URL) -> the API's path and whether it needs a reason
ACTIONS = {"acceptation": ("acceptance", None), "refus": ("refusal", "decline_reasons"),
           "debut": ("start", None), "fin": ("completion", None),
           "abandon": ("drop-out", "drop_reasons")}
HOLDING = ("accepted", "started", "completed")     # who attends a session
PRESENCE = [("present", "présent·e"), ("justified", "absence justifiée"),
            ("unjustified", "absence non justifiée")]


def _own_offers() -> list[dict]:
    return get("partners", "/api/v1/offers?page_size=200")["items"]


def _labels() -> dict:
    return {"status_labels": dict(choices("referral_status")),
            "kinds": dict(choices("offer_kinds")), "purposes": dict(choices("purposes")),
            "reasons": dict(choices("decline_reasons") + choices("drop_reasons") +
                            choices("cancel_reasons")),
            "decline_reasons": choices("decline_reasons"),
            "drop_reasons": choices("drop_reasons")}


@blp.get("")
@auth.require(*ROLE)
def home():
    return redirect(url_for("operator.referrals"))


@blp.get("/participants")
@auth.require(*ROLE)
def referrals():
    values, params = filters({"statut": ("status", "referral_status"),
                              "offre": ("offer_id", "id")})
    found = listing("partners", "/api/v1/referrals", params)
    return render_template("operator/referrals.html", referrals=found, values=values,
                           form=FormState(values), offers=_own_offers(),
                           statuses=choices("referral_status"), **_labels())


def _referral_page(referral_id: str, form: FormState, status: int = 200,
                   attendance_form: FormState | None = None):
    referral = get("partners", f"/api/v1/referrals/{referral_id}")
    offer = get("partners", f"/api/v1/offers/{referral['offer_id']}")
    found = listing("partners", "/api/v1/attendance", {"referral_id": referral_id})
    return render_template("operator/referral.html", r=referral, offer=offer,
                           attendance=found, form=form,
                           attendance_form=attendance_form or FormState(
                               {"present": "present"}),
                           presence=PRESENCE, **_labels()), status


@blp.get("/orientations/<referral_id>")
@auth.require(*ROLE)
def referral(referral_id: str):
    return _referral_page(record_id(referral_id), FormState())


@blp.post("/orientations/<referral_id>/<action>")
@auth.require(*ROLE)
def transition(referral_id: str, action: str):
    referral_id = record_id(referral_id)
    if action not in ACTIONS:
        abort(404)
    path, reasons = ACTIONS[action]
    values = {"reason": request.form.get("reason", ""), "action": action}
    try:
        done = api("partners", "POST", f"/api/v1/referrals/{referral_id}/{path}",
                   json={"reason": values["reason"]} if reasons else None).body
    except ApiProblem as exc:
        if exc.status not in FORM_ERRORS:
            raise
        return _referral_page(referral_id, FormState(values, exc), exc.status)
    label = dict(choices("referral_status")).get(done["status"], done["status"])
    if done["status"] == "waitlisted":
        flash(f"Plus de place libre : la personne est en liste d'attente (rang "
              f"{done.get('waitlist_position')}).", "warning")
    else:
        flash(f"Orientation mise à jour : {label}.", "success")
    return redirect(url_for("operator.referral", referral_id=referral_id))


def attendance_body(form: dict, referral_id: str) -> dict:
    presence = form.get("present") or "present"
    raw_hours = (form.get("hours") or "").strip().replace(",", ".")
    try:
        hours: float | str = float(raw_hours) if raw_hours else 0.0
    except ValueError:
        hours = raw_hours                   # the API names the field
    if presence != "present":
        hours = 0.0                         # an absence counts no hour
    return {"referral_id": referral_id,
            "session_date": parse_date_fr(form.get("session_date", "")) or "",
            "hours": hours, "present": presence == "present",
            "absence_reason": None if presence == "present" else presence,
            "correction": bool(form.get("correction"))}


@blp.post("/orientations/<referral_id>/presences")
@auth.require(*ROLE)
def record(referral_id: str):
    referral_id = record_id(referral_id)
    values = {k: request.form.get(k, "") for k in ("session_date", "hours", "present",
                                                   "correction")}
    try:
        answer = api("partners", "POST", "/api/v1/attendance",
                     json=attendance_body(values, referral_id))
    except ApiProblem as exc:
        if exc.status not in FORM_ERRORS:
            raise
        return _referral_page(referral_id, FormState(), exc.status, FormState(values, exc))
    flash("Présence enregistrée." if answer.body.get("created") else
          "Cette présence était déjà enregistrée telle quelle : rien de neuf.", "success")
    return redirect(url_for("operator.referral", referral_id=referral_id))


@blp.get("/offres")
@auth.require(*ROLE)
def offers():
    values, params = filters({"statut": ("status", "offer_status")})
    found = listing("partners", "/api/v1/offers", params)
    for o in found["items"]:
        o["free"] = free_seats(o)
    return render_template("operator/offers.html", offers=found, values=values,
                           form=FormState(values), statuses=choices("offer_status"),
                           **_labels())


@blp.get("/offres/<offer_id>")
@auth.require(*ROLE)
def offer(offer_id: str):
    offer_id = record_id(offer_id)
    body = get("partners", f"/api/v1/offers/{offer_id}")
    waiting = listing("partners", f"/api/v1/offers/{offer_id}/waiting-list")
    return render_template("operator/offer.html", offer=body, waiting=waiting, **_labels())


# ---- attendance ------------------------------------------------------------------------

def _session_page(form: FormState, status: int = 200, report: dict | None = None,
                  upload_form: FormState | None = None):
    offers_ = _own_offers()
    chosen = next((o for o in offers_ if o["offer_id"] == form.value("offre")), None)
    participants, sessions = [], []
    if chosen:
        rows = get("partners", f"/api/v1/referrals?offer_id={chosen['offer_id']}"
                               "&page_size=200")["items"]
        participants = [r for r in rows if r["status"] in HOLDING]
        sessions = [(s["date"], f"{date_fr(s['date'])} — {hours_fr(s['hours'])} h")
                    for s in chosen.get("sessions") or []]
        past = [s for s in chosen.get("sessions") or [] if s["date"] <= today_iso()]
        if not form.value("seance") and past:
            form.values["seance"] = past[-1]["date"]      # the latest session held
    session_hours = {s["date"]: s["hours"] for s in (chosen or {}).get("sessions") or []}
    default_hours = session_hours.get(form.value("seance"), 0) if session_hours else None
    return render_template("operator/attendance.html", offers=offers_, chosen=chosen,
                           participants=participants, form=form, presence=PRESENCE,
                           sessions=sessions, default_hours=default_hours,
                           report=report, upload_form=upload_form or FormState(),
                           **_labels()), status


@blp.get("/presences")
@auth.require(*ROLE)
def attendance():
    values = {"offre": request.args.get("offre", ""), "seance": request.args.get("seance", "")}
    return _session_page(FormState(values))


@blp.post("/presences")
@auth.require(*ROLE)
def attendance_post():
    """One session of one offer: a row per participant holding a seat."""
    values = request.form.to_dict()
    values.pop("csrf_token", None)
    session_date = values.get("seance", "")
    ids = [k.split(".", 1)[1] for k in values if k.startswith("present.")]
    errors, recorded, unchanged = {}, 0, 0
    for rid in ids:
        if not values.get(f"present.{rid}"):
            continue                                   # not filled in: nothing sent
        row = {"session_date": session_date, "hours": values.get(f"hours.{rid}", ""),
               "present": values[f"present.{rid}"], "correction": values.get("correction")}
        try:
            created = api("partners", "POST", "/api/v1/attendance",
                          json=attendance_body(row, record_id(rid))).body.get("created")
        except ApiProblem as exc:
            if exc.status not in (400, 403, 404, 409, 422):
                raise
            if exc.field("session_date"):
                errors["seance"] = exc.field("session_date")
            errors[f"hours.{rid}" if exc.field("hours") else f"present.{rid}"] = \
                exc.field("hours") or " ".join(exc.errors.values()) or exc.detail
            continue
        recorded, unchanged = recorded + bool(created), unchanged + (not created)
    if errors:
        problem = ApiProblem(422, "Présences en partie refusées",
                             f"{recorded + unchanged} présence(s) enregistrée(s) ; les lignes "
                             "signalées ne l'ont pas été : corrigez-les et envoyez de nouveau.",
                             errors)
        return _session_page(FormState(values, problem), 422)
    if not recorded + unchanged:
        problem = ApiProblem(422, "Rien à enregistrer",
                             "Indiquez la présence ou l'absence d'au moins une personne.",
                             {"seance": "aucune présence indiquée"} if not ids else {})
        return _session_page(FormState(values, problem), 422)
    flash(f"Séance du {_date_shown(session_date)} : {recorded} présence(s) enregistrée(s)"
          + (f", {unchanged} déjà connue(s) telle(s) quelle(s)" if unchanged else "") + ".",
          "success")
    return redirect(url_for("operator.attendance", offre=values.get("offre") or None,
                            seance=session_date or None))


def _date_shown(value: str) -> str:
    return date_fr(parse_date_fr(value) or value)


def today_iso() -> str:
    from shared.clock import today
    return today().isoformat()


@blp.post("/presences/csv")
@auth.require(*ROLE)
def upload():
    """The file goes to the API as it came (multipart, field `fichier`); the page shows
    the API's row-by-row report."""
    f = request.files.get("fichier")
    if f is None or not f.filename:
        problem = ApiProblem(400, "Fichier manquant", "Choisissez un fichier CSV à déposer.",
                             {"fichier": "choisissez un fichier CSV"})
        return _session_page(FormState(), 400, upload_form=FormState({}, problem))
    try:
        report = api("partners", "POST", "/api/v1/attendance/csv",
                     files={"fichier": (f.filename, f.stream,
                                        f.mimetype or "text/csv")}).body
    except ApiProblem as exc:
        if exc.status not in FORM_ERRORS:
            raise
        if not exc.errors:
            exc.errors = {"fichier": exc.detail}
        return _session_page(FormState(), exc.status, upload_form=FormState({}, exc))
    return _session_page(FormState(), 200, report=report)
