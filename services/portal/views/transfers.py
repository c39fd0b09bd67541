"""Coordination («coordination»): transfers between centres — the inbox (a preview
without personal data until the pathway has arrived: accept or reject), the outbox
(withdraw while not accepted), and proposing a transfer from the pathway page."""
from __future__ import annotations

import uuid
from urllib.parse import urlencode

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from services.portal import auth
from services.portal.adapters.services import ApiProblem
from services.portal.views import pathway_labels as L
from services.portal.views.common import FormState, api, get, page_number, pages
from services.portal.views.pathways import FORM_ERRORS, fields_of, rekey, render_pathway
from services.portal.views.persons import person_id

blp = Blueprint("transfers", __name__, url_prefix="/transferts")
PAGE_SIZE = 20


def transfer_id(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        abort(404)


def _box(direction: str, form: FormState | None = None, active: str | None = None,
         status: int = 200):
    page = page_number()
    path = "incoming" if direction == "in" else "outgoing"
    body = get("pathway", f"/api/v1/transfers/{path}?"
                          f"{urlencode({'page': page, 'page_size': PAGE_SIZE})}")
    return render_template("transfers/index.html", direction=direction, items=body["items"],
                           p=pages(body), L=L, form=form or FormState(), active=active,
                           blank=FormState(), reasons=L.options(L.TRANSFER_REJECTION_REASONS)), status


@blp.get("")
@auth.require("coordination")
def index():
    """Transferts reçus."""
    return _box("in")


@blp.get("/envoyes")
@auth.require("coordination")
def outbox():
    return _box("out")


def _answer(tid: str, action: str, body: dict | None, done: str):
    version = request.form.get("version") or None
    try:
        api("pathway", "POST", f"/api/v1/transfers/{tid}/{action}", json=body, etag=version)
    except ApiProblem as exc:
        if exc.status not in FORM_ERRORS and exc.status != 404:
            raise
        prefix = f"t-{tid}"
        return _box("in", FormState(request.form.to_dict(), rekey(exc, prefix)), tid,
                    exc.status)
    flash(done, "success")
    return redirect(url_for("transfers.index"))


@blp.post("/<tid>/accepter")
@auth.require("coordination")
def accept(tid: str):
    tid = transfer_id(tid)
    return _answer(tid, "accept", None,
                   "Transfert accepté : le parcours complet arrive dans quelques instants.")


@blp.post("/<tid>/refuser")
@auth.require("coordination")
def reject(tid: str):
    tid = transfer_id(tid)
    reason = fields_of(f"t-{tid}").get("reason", "")
    return _answer(tid, "reject", {"reason": reason} if reason else {},
                   "Transfert refusé : le centre d'origine en est informé.")


@blp.post("/<tid>/retirer")
@auth.require("coordination")
def withdraw(tid: str):
    tid = transfer_id(tid)
    raw_pid = request.form.get("pid") or ""
    try:
        answer = api("pathway", "POST", f"/api/v1/transfers/{tid}/withdraw")
    except ApiProblem as exc:
        if exc.status not in FORM_ERRORS and exc.status != 404:
            raise
        if raw_pid:
            return render_pathway(person_id(raw_pid), {"tr": FormState({}, exc)}, exc.status)
        return _box("out", FormState({}, exc), tid, exc.status)
    flash("Transfert retiré : le dossier reste suivi ici.", "success")
    pid = raw_pid or (answer.body or {}).get("person_id")
    if pid:
        return redirect(url_for("pathways.show", pid=person_id(pid), _anchor="transferts"))
    return redirect(url_for("transfers.outbox"))


@blp.post("/envoi/<pid>")
@auth.require("coordination")
def propose(pid: str):
    """Proposer le transfert du parcours (depuis la page du parcours)."""
    pid = person_id(pid)
    to_centre = fields_of("tr").get("to_centre", "")
    try:
        api("pathway", "POST", f"/api/v1/pathways/{pid}/transfers",
            json={"to_centre": to_centre} if to_centre else {},
            etag=request.form.get("version") or None)
    except ApiProblem as exc:
        if exc.status not in FORM_ERRORS:
            raise
        return render_pathway(pid, {"tr": FormState(request.form.to_dict(),
                                                    rekey(exc, "tr"))}, exc.status)
    flash(f"Transfert proposé vers {L.label(L.CENTRES, to_centre)} : le dossier reste suivi "
          "ici tant que ce centre ne l'a pas accepté.", "success")
    return redirect(url_for("pathways.show", pid=pid, _anchor="transferts"))
