"""Data protection («protection des données»), for the centre's DPO: open a file by its
id, who read it (the access log), the access export (PDF), erasure with a confirmation
step, the erasure of a trained practitioner (partners) by the training's and the
registration's ids, and the audit check of the intake store's hash chains.

The DPO opens a file by its id (a random UUID, never a name: the DPO does not search);
every look at the file is itself logged by intake, with the purpose «controle».
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.exceptions import NotFound

from services.portal import auth
from shared.auth import ROLES
from services.portal.adapters.services import ApiProblem
from services.portal.views import reference
from services.portal.views.common import FormState, api, get, page_number
from services.portal.views.partners_common import RECORD_ID
from services.portal.views.persons import person_id

blp = Blueprint("dpo", __name__, url_prefix="/dpo")
PAGE_SIZE = 20
CONFIRM_WORD = "EFFACER"
WHATS = {"file": "Dossier", "export_json": "Export (JSON)", "export_pdf": "Export (PDF)",
         "history": "Historique", "list": "Liste ou résultat de recherche"}
ERASED_WHAT = ["l'identité (noms, prénoms, date de naissance, numéro national)",
               "les coordonnées et l'adresse", "le titre de séjour et les remarques",
               "le bilan social, les tests de français, les dispenses et les consentements",
               "la copie du dossier tenue par un autre centre, le cas échéant"]


def _problem(status: int, field: str, message: str) -> ApiProblem:
    return ApiProblem(status, "Effacement non confirmé", "Vérifiez le formulaire.",
                      {field: [message]})


@blp.get("")
@auth.require("dpo")
def index():
    return render_template("dpo/index.html", form=FormState(), practitioner=FormState())


@blp.post("/ouvrir")
@auth.require("dpo")
def open_post():
    raw = request.form.get("person_id", "").strip()
    try:
        pid = person_id(raw)
    except NotFound:    # a malformed id: say so on the form
        return render_template("dpo/index.html", form=FormState({"person_id": raw}, _problem(
            422, "person_id", "Identifiant de dossier invalide : un UUID attendu, par ex. "
                              "3f2b8c1e-5d4a-4b7e-9c1f-2a6d8e0b4c3a.")),
            practitioner=FormState()), 422
    return redirect(url_for("dpo.person", pid=pid))


@blp.get("/personnes/<pid>")
@auth.require("dpo")
def person(pid: str):
    pid = person_id(pid)
    try:
        p = get("intake", f"/api/v1/persons/{pid}?purpose=controle")
    except ApiProblem as exc:
        if exc.status != 410:
            raise                      # 404 (not a file of this centre): the error page
        p = None                       # erased: who read it before stays accountable
    log = list(reversed(get("intake", f"/api/v1/persons/{pid}/access-log")["items"]))
    page = page_number()
    total = len(log)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(page, pages)
    items = [{**e, "role_labels": ", ".join(ROLES.get(r, r) for r in e.get("roles") or [])}
             for e in log[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]]
    vocab = reference.lists()["vocab"]
    return render_template("dpo/person.html", p=p, pid=pid, items=items, whats=WHATS,
                           purposes=vocab["access_purposes"],
                           paging={"page": page, "pages": pages, "total": total})


def _confirm_page(pid: str, form: FormState, status: int = 200):
    answer = api("intake", "GET", f"/api/v1/persons/{pid}?purpose=controle")
    if not form.value("version"):
        form.values["version"] = (answer.etag or "").strip('W/"')
    reasons = list(reference.lists()["vocab"]["erasure_reasons"].items())
    return render_template("dpo/erase.html", p=answer.body, form=form, reasons=reasons,
                           erased_what=ERASED_WHAT, word=CONFIRM_WORD), status


@blp.get("/personnes/<pid>/effacement")
@auth.require("dpo")
def erase(pid: str):
    return _confirm_page(person_id(pid), FormState())


@blp.post("/personnes/<pid>/effacement")
@auth.require("dpo")
def erase_post(pid: str):
    pid = person_id(pid)
    values = request.form.to_dict()
    if values.get("confirmation", "").strip().upper() != CONFIRM_WORD:
        return _confirm_page(pid, FormState(values, _problem(
            422, "confirmation", f"Tapez « {CONFIRM_WORD} » pour confirmer l'effacement."
        )), 422)
    version = values.get("version", "")
    try:
        api("intake", "POST", f"/api/v1/persons/{pid}/erasure",
            json={"reason": values.get("reason", "")},
            etag=version if version.isdigit() else None)
    except ApiProblem as exc:
        if exc.status not in (400, 409, 412, 422):
            raise
        if exc.status == 412:
            values.pop("version", None)       # show the file as it is now
        return _confirm_page(pid, FormState(values, exc), exc.status)
    flash(f"Les données personnelles du dossier {pid} ont été effacées. Les événements "
          "et les chaînes d'empreintes restent vérifiables.", "success")
    return redirect(url_for("dpo.index"))


@blp.post("/intervenants/effacement")
@auth.require("dpo")
def erase_practitioner():
    """A practitioner trained by the centre asks to be forgotten: their name,
    organisation and role become unreadable; hours and counts stay."""
    values = {k: request.form.get(k, "").strip() for k in
              ("training_id", "registration_id", "confirmation")}
    practitioner = FormState(values)

    def again(field: str, message: str, status: int = 422):
        practitioner.problem = ApiProblem(status, "Effacement non effectué",
                                          "Vérifiez le formulaire.", {field: [message]})
        return render_template("dpo/index.html", form=FormState(),
                               practitioner=practitioner), status

    for field, label in (("training_id", "de la formation"),
                         ("registration_id", "de l'inscription")):
        if not RECORD_ID.match(values[field]):
            return again(field, f"Identifiant {label} invalide : lettres, chiffres, « . _ : - ».")
    if values["confirmation"].upper() != CONFIRM_WORD:
        return again("confirmation", f"Tapez « {CONFIRM_WORD} » pour confirmer l'effacement.")
    try:
        api("partners", "POST", f"/api/v1/trainings/{values['training_id']}/registrations/"
                                f"{values['registration_id']}/erasure")
    except ApiProblem as exc:
        if exc.status != 404:
            raise
        return again("registration_id", exc.detail or "Inscription inconnue.", 404)
    flash(f"L'intervenant de l'inscription {values['registration_id']} a été effacé : nom, "
          "organisation et fonction sont illisibles ; ses heures restent comptées.", "success")
    return redirect(url_for("dpo.index"))


@blp.get("/audit")
@auth.require("dpo")
def audit():
    result = get("intake", "/api/v1/audit/verify")
    return render_template("dpo/audit.html", result=result)
