"""Coordination («coordination»): the centre's pathways and one person's pathway —
reception module, convention and hours, interviews, suspensions and extensions, the
deadline, attestations, referrals — with the coordinator's actions.

Every action is a POST carrying the CSRF token and the pathway's version as read
(If-Match: a stale page gives the service's 412 message, nothing is changed). A form the
service refuses is shown again as typed, its French messages next to its fields. The
address carries only the person id (a UUID) and, for a PDF, the attestation number.
"""
from __future__ import annotations

import re
import uuid
from urllib.parse import urlencode

from flask import (Blueprint, Response, abort, flash, redirect, render_template, request,
                   url_for)

from shared.clock import today as brussels_today
from services.portal import auth
from services.portal.adapters.services import ApiProblem
from services.portal.formats import date_fr, parse_date_fr
from services.portal.views import pathway_labels as L
from services.portal.views.common import FormState, api, get, page_number, pages
from services.portal.views.persons import person_id

blp = Blueprint("pathways", __name__, url_prefix="/parcours")
ATTESTATION_NUMBER = re.compile(r"^[A-Z][A-Z0-9]{1,31}-\d{4}-\d{6}(?:-[0-9A-Z]{4})?$")
FORM_ERRORS = (400, 409, 412, 422, 428)
PAGE_SIZE = 20


def rekey(problem: ApiProblem, prefix: str) -> ApiProblem:
    """The service names its fields (`done_on`); on a page of several forms they are
    `<prefix>.done_on` (unique ids, messages next to the right form)."""
    problem.errors = {f"{prefix}.{name}": text for name, text in problem.errors.items()}
    return problem


def fields_of(prefix: str) -> dict[str, str]:
    """The sent form's fields `<prefix>.<name>` as {name: value (stripped)}."""
    start = prefix + "."
    return {k[len(start):]: v.strip() for k, v in request.form.items() if k.startswith(start)}


def compact(body: dict) -> dict:
    """Nothing typed = not sent (the service then applies its default or says the field
    is required)."""
    return {k: v for k, v in body.items() if v is not None and v != ""}


def yes_no(value: str):
    return {"oui": True, "non": False}.get(value)


def number_fr(text: str):
    """'12,5' -> 12.5; the text as typed when it is no number (the service names it)."""
    if not text:
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return text


def today_fr() -> str:
    return brussels_today().strftime("%d/%m/%Y")


@blp.get("")
@auth.require("coordination")
def index():
    page = page_number()
    status = request.args.get("statut") or ""
    eligibility = request.args.get("eligibilite") or ""
    if status not in ("", "open", "transferred"):
        status = ""
    if eligibility not in ("", *L.ELIGIBILITY):
        eligibility = ""
    query = compact({"page": page, "page_size": PAGE_SIZE, "status": status,
                     "eligibility": eligibility})
    body = get("pathway", f"/api/v1/pathways?{urlencode(query)}")
    filters = compact({"statut": status, "eligibilite": eligibility})
    return render_template("pathways/index.html", items=body["items"], p=pages(body),
                           filters=filters, form=FormState(filters), L=L)


def timeline(clock: dict) -> list[dict]:
    """The deadline's story in date order: start of the clock, suspensions, extensions,
    today, the deadline."""
    out = []
    if clock.get("clock_start"):
        out.append({"on": clock["clock_start"], "text": "Début du délai (titre de séjour)"})
    for s in clock.get("suspensions") or []:
        reason = L.label(L.SUSPENSION_REASONS, s.get("reason"))
        out.append({"on": s["start"], "text": f"Suspension ({reason})"})
        if s.get("end"):
            out.append({"on": s["end"], "text": "Reprise du délai"})
    for e in clock.get("extensions") or []:
        reason = L.label(L.EXTENSION_REASONS, e.get("reason"))
        out.append({"on": e["granted_on"],
                    "text": f"Prolongation de {e['months']} mois ({reason})"})
    today = brussels_today().isoformat()
    days = clock.get("days_remaining")
    left = "" if days is None else (f" — {days} jour{'s' if abs(days) > 1 else ''} restant"
                                    f"{'s' if abs(days) > 1 else ''}" if days >= 0 else
                                    f" — échéance dépassée de {-days} jours")
    out.append({"on": today, "text": "Aujourd'hui" + left, "today": True})
    if clock.get("deadline"):
        out.append({"on": clock["deadline"], "text": "Échéance du parcours", "deadline": True})
    return sorted(out, key=lambda item: (item["on"], bool(item.get("deadline"))))


def _person(pid: str) -> dict | None:
    """Name from intake (the pathway holds no identity); None if intake cannot say."""
    try:
        return get("intake", f"/api/v1/persons/{pid}?purpose=suivi")
    except ApiProblem as exc:
        if exc.status in (403, 404, 410, 503):
            return None
        raise


def _outgoing_of(pid: str) -> list[dict]:
    try:
        body = get("pathway", "/api/v1/transfers/outgoing?page=1&page_size=200")
    except ApiProblem:
        return []
    return [t for t in body["items"] if t.get("person_id") == pid]


def render_pathway(pid: str, forms: dict[str, FormState] | None = None, status: int = 200):
    """The pathway page; `forms`: the refused form (by prefix) to show again."""
    forms = forms or {}
    try:
        answer = api("pathway", "GET", f"/api/v1/pathways/{pid}")
    except ApiProblem as exc:
        if exc.status == 404:
            abort(404)
        if exc.status == 410:
            return render_template("pathways/transferred.html", pid=pid,
                                   forwarded_to=exc.body.get("forwarded_to"),
                                   person=_person(pid), outgoing=_outgoing_of(pid), L=L)
        raise
    p = answer.body
    try:
        referrals = get("pathway", f"/api/v1/pathways/{pid}/referrals")["items"]
    except ApiProblem as exc:
        if exc.status >= 500:
            raise
        referrals = None
    refused = next((f for f in forms.values() if f.problem), FormState())
    today = today_fr()
    defaults = {f"{prefix}.{name}": today for prefix, name in (
        ("rec", "done_on"), ("conv", "signed_on"), ("itv", "held_on"), ("susp", "start"),
        ("rep", "resumed_on"), ("ext", "granted_on"), ("fr", "proven_on"),
        ("osp", "completed_on"))}
    version = (answer.etag or str(p.get("version", ""))).strip('"').removeprefix("W/")
    steps_done = {s["step"] for s in p["reception"]["steps"]}
    return render_template(
        "pathways/show.html", p=p, pid=pid, version=version, person=_person(pid),
        referrals=referrals, timeline=timeline(p["clock"]), L=L,
        forms=_Forms(forms, defaults), refused=refused,
        missing_steps=[(k, v) for k, v in L.RECEPTION_STEPS.items() if k not in steps_done],
        open_suspensions=[s for s in p["clock"].get("suspensions") or [] if not s.get("end")],
        planned=[(i["interview_id"], f"planifié pour le {date_fr(i.get('scheduled_for'))}")
                 for i in p["interviews"]["items"] if not i.get("held_on")],
        centres=[(k, v) for k, v in L.CENTRES.items() if k != p.get("centre")]), status


class _Forms(dict):
    """forms['conv'] is that form's state: the refused one as typed, else the defaults
    (today's date in the date fields)."""

    def __init__(self, refused: dict, defaults: dict):
        super().__init__(refused)
        self.defaults = defaults

    def __missing__(self, key):
        return FormState(self.defaults)


@blp.get("/<pid>")
@auth.require("coordination")
def show(pid: str):
    return render_pathway(person_id(pid))


def command(pid: str, prefix: str, path: str, body: dict | None, done, anchor: str,
            *, etag: bool = True):
    """Send one coordinator action; on a refusal show the page again with the form."""
    pid = person_id(pid)
    version = request.form.get("version") or None
    try:
        url = path if path.startswith("/api/") else f"/api/v1/pathways/{pid}{path}"
        answer = api("pathway", "POST", url, json=body, etag=version if etag else None)
    except ApiProblem as exc:
        if exc.status == 410:
            return redirect(url_for("pathways.show", pid=pid))
        if exc.status not in FORM_ERRORS:
            raise
        state = FormState(request.form.to_dict(), rekey(exc, prefix))
        return render_pathway(pid, {prefix: state}, exc.status)
    flash(done(answer.body) if callable(done) else done, "success")
    return redirect(url_for("pathways.show", pid=pid, _anchor=anchor))


@blp.post("/<pid>/accueil")
@auth.require("coordination")
def reception_step(pid: str):
    f = fields_of("rec")
    step = f.get("step", "")
    body = {"step": step, "done_on": parse_date_fr(f.get("done_on", ""))}
    if step == "information":
        body["session"] = f.get("session")
    if step == "french_test":
        body["french_level"] = f.get("french_level")
    if step == "bilan_social":
        body["needs_osp"] = yes_no(f.get("needs_osp", ""))
    label = L.label(L.RECEPTION_STEPS, step)
    return command(pid, "rec", "/reception-steps", compact(body),
                   f"Étape « {label} » enregistrée.", "accueil")


@blp.post("/<pid>/convention")
@auth.require("coordination")
def convention(pid: str):
    f = fields_of("conv")
    body = {"signed_on": parse_date_fr(f.get("signed_on", "")),
            "osp_hours": number_fr(f.get("osp_hours", ""))}
    return command(pid, "conv", "/convention", compact(body),
                   "Convention d'accueil signée.", "heures")


@blp.post("/<pid>/entretiens")
@auth.require("coordination")
def schedule_interview(pid: str):
    f = fields_of("plan")
    return command(pid, "plan", "/interviews",
                   compact({"scheduled_for": parse_date_fr(f.get("scheduled_for", ""))}),
                   "Entretien d'évaluation planifié.", "entretiens")


@blp.post("/<pid>/entretiens/compte-rendu")
@auth.require("coordination")
def record_interview(pid: str):
    f = fields_of("itv")
    interview_id = f.get("interview_id") or str(uuid.uuid4())
    try:
        interview_id = str(uuid.UUID(interview_id))
    except ValueError:
        abort(400, "Entretien inconnu.")
    body = compact({"held_on": parse_date_fr(f.get("held_on", "")),
                    "person_attended": yes_no(f.get("person_attended", "")),
                    "training_attendance": f.get("training_attendance")})
    body["absence_reasons"] = [k for k in L.ABSENCE_REASONS if f.get(f"absence.{k}")]
    body["programme_changes"] = [k for k in L.PROGRAMME_CHANGES if f.get(f"change.{k}")]
    body["extension_needed"] = bool(f.get("extension_needed"))
    return command(pid, "itv", f"/interviews/{interview_id}/record", body,
                   "Entretien d'évaluation consigné.", "entretiens")


@blp.post("/<pid>/suspensions")
@auth.require("coordination")
def suspension(pid: str):
    f = fields_of("susp")
    body = {"reason": f.get("reason"), "start": parse_date_fr(f.get("start", "")),
            "end": parse_date_fr(f.get("end", ""))}
    return command(pid, "susp", "/suspensions", compact(body), "Suspension enregistrée.",
                   "echeance")


@blp.post("/<pid>/suspensions/<sid>/reprise")
@auth.require("coordination")
def resumption(pid: str, sid: str):
    try:
        sid = str(uuid.UUID(sid))
    except ValueError:
        abort(404)
    f = fields_of("rep")
    return command(pid, "rep", f"/suspensions/{sid}/resumption",
                   compact({"resumed_on": parse_date_fr(f.get("resumed_on", ""))}),
                   "Reprise enregistrée : l'échéance court à nouveau.", "echeance")


@blp.post("/<pid>/prolongations")
@auth.require("coordination")
def extension(pid: str):
    f = fields_of("ext")
    months = f.get("months", "")
    body = {"months": int(months) if months.isdigit() and len(months) < 4 else months,
            "reason": f.get("reason"), "granted_on": parse_date_fr(f.get("granted_on", ""))}
    return command(pid, "ext", "/extensions", compact(body), "Prolongation accordée.",
                   "echeance")


@blp.post("/<pid>/niveau-francais")
@auth.require("coordination")
def french_level(pid: str):
    f = fields_of("fr")
    body = {"level": f.get("level"), "proven_on": parse_date_fr(f.get("proven_on", ""))}
    return command(pid, "fr", "/french-level", compact(body),
                   "Niveau de français enregistré.", "heures")


@blp.post("/<pid>/orientation")
@auth.require("coordination")
def orientation(pid: str):
    f = fields_of("osp")
    return command(pid, "osp", "/orientation-completion",
                   compact({"completed_on": parse_date_fr(f.get("completed_on", ""))}),
                   "Orientation socioprofessionnelle terminée.", "heures")


@blp.post("/<pid>/non-respect")
@auth.require("coordination")
def non_compliance(pid: str):
    return command(pid, "nc", "/non-compliance-flags", None,
                   "Non-respect signalé (faits seulement).", "echeance")


@blp.post("/<pid>/attestations")
@auth.require("coordination")
def issue_attestation(pid: str):
    f = fields_of("att")
    return command(pid, "att", "/attestations",
                   compact({"holder_initials": f.get("holder_initials")}),
                   lambda body: f"Attestation {body['number']} délivrée.", "attestations")


def attestation_number(number: str) -> str:
    if not ATTESTATION_NUMBER.match(number or ""):
        abort(404)
    return number


@blp.post("/<pid>/attestations/<number>/revocation")
@auth.require("coordination")
def revoke_attestation(pid: str, number: str):
    number = attestation_number(number)
    prefix = f"rev-{number}"
    f = fields_of(prefix)
    return command(pid, prefix, f"/api/v1/attestations/{number}/revoke",
                   compact({"reason": f.get("reason")}),
                   f"Attestation {number} révoquée.", "attestations", etag=False)


@blp.get("/attestations/<number>.pdf")
@auth.require("coordination")
def attestation_pdf(number: str):
    """The service's PDF, streamed through the portal (the browser has no token)."""
    number = attestation_number(number)
    answer = api("pathway", "GET", f"/api/v1/attestations/{number}/pdf", raw=True)
    return Response(answer.content, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="attestation-{number}.pdf"',
        "Cache-Control": "no-store"})
