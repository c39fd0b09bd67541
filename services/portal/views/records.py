"""Recording on a person's file («dossier»): dispense, bilan social, French test,
consents, address change — reception agents («accueil»), coordinators for a dispense —
and the access export (PDF) for the DPO, streamed through the portal.

Each form has its own page, reached from the file. The page carries the file's version
(a hidden field) and sends it back as If-Match: if someone changed the file meanwhile
the API answers 412 and the form comes back, as typed, with the file as it is now. On
400/409/412/422/428 the form re-renders with the API's French messages next to the
fields; nothing is stored.
"""
from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from services.portal import auth
from services.portal.adapters.services import ApiProblem
from services.portal.formats import parse_date_fr
from services.portal.views import reference
from services.portal.views.common import FormState, api
from services.portal.views.persons import person_id

blp = Blueprint("records", __name__, url_prefix="/personnes")
FORM_ERRORS = (400, 409, 412, 422, 428)
BAD_DATE = "Date invalide : format jj/mm/aaaa attendu (par ex. 15/03/2026)."
RECIPIENTS = {"forem": "Forem", "cpas": "CPAS", "commune": "Commune",
              "operators": "Opérateurs de formation (FLE, citoyenneté)"}
NEED_CHOICES = [("non", "Non"), ("oui", "Oui")]
GIVEN_CHOICES = [("oui", "Donné"), ("non", "Retiré")]

# form name -> (template, purpose of the read that shows the form, title)
FORMS = {
    "dispense": ("records/dispense.html", "eligibilite", "Enregistrer une dispense"),
    "bilan": ("records/bilan.html", "bilan", "Bilan social"),
    "french": ("records/french.html", "accueil", "Test de français"),
    "consent": ("records/consent.html", "accueil", "Consentement"),
    "address": ("records/address.html", "accueil", "Changement d'adresse"),
}


def read_file(pid: str, purpose: str):
    """The file and its ETag (a logged read, with the form's purpose)."""
    answer = api("intake", "GET", f"/api/v1/persons/{pid}?purpose={purpose}")
    return answer.body, answer.etag


def _version(etag: str | None) -> str:
    return (etag or "").strip('W/"')


def show(kind: str, pid: str, form: FormState, status: int = 200):
    template, purpose, title = FORMS[kind]
    p, etag = read_file(pid, purpose)
    if not form.value("version") or (form.problem is not None and form.problem.status == 412):
        # a fresh form, or the file changed meanwhile: the version now shown (a form kept
        # across a new sign-in keeps the version it was typed against)
        form.values["version"] = _version(etag)
    ref = reference.lists()
    return render_template(template, p=p, form=form, title=title, ref=ref,
                           levels=[(lv, lv) for lv in ref["vocab"]["cefr_levels"]],
                           recipients=list(RECIPIENTS.items()), needs=NEED_CHOICES,
                           given=GIVEN_CHOICES), status


def send(kind: str, pid: str, method: str, path: str, body: dict, values: dict,
         done: str, dates: dict[str, str] | None = None):
    """Call the API with If-Match; back to the file on success, else the form again."""
    version = values.get("version") or None
    try:
        answer = api("intake", method, f"/api/v1/persons/{pid}{path}", json=body,
                     etag=version if version and version.isdigit() else None)
    except ApiProblem as exc:
        if exc.status not in FORM_ERRORS:
            raise
        for name, typed in (dates or {}).items():
            if name in exc.errors and typed and parse_date_fr(typed) == typed.strip():
                exc.errors[name] = BAD_DATE   # the page asks for dd/mm/yyyy, not ISO
        exc.errors = {_field(k): v for k, v in exc.errors.items()}
        return show(kind, pid, FormState(values, exc), exc.status)
    flash(done, "success")
    return answer


def _field(name: str) -> str:
    """marshmallow's dict errors ('needs.health.value.notes') as the form names them."""
    return name.replace(".value.", ".")


def _back(pid: str):
    return redirect(url_for("persons.file", pid=pid))


def _opt(values: dict, name: str) -> str | None:
    value = (values.get(name) or "").strip()
    return value or None


# --- dispense -----------------------------------------------------------------------

@blp.get("/<pid>/dispense")
@auth.require("accueil", "coordination")
def dispense(pid: str):
    return show("dispense", person_id(pid), FormState(auth.pending_form()))


@blp.post("/<pid>/dispense")
@auth.require("accueil", "coordination")
def dispense_post(pid: str):
    pid = person_id(pid)
    values = request.form.to_dict()
    body = {"ground": values.get("ground", ""), "evidence_ref": values.get("evidence_ref", "")}
    out = send("dispense", pid, "POST", "/dispenses", body, values, "Dispense enregistrée.")
    return out if isinstance(out, tuple) else _back(pid)


# --- bilan social -------------------------------------------------------------------

@blp.get("/<pid>/bilan-social")
@auth.require("accueil")
def bilan(pid: str):
    pid = person_id(pid)
    values = auth.pending_form()
    if not values:
        p, _etag = read_file(pid, "bilan")
        recorded = (p.get("bilan_social") or {})
        for theme, need in (recorded.get("needs") or {}).items():
            values[f"needs.{theme}.need"] = "oui" if need.get("need") else "non"
            values[f"needs.{theme}.notes"] = need.get("notes") or ""
        values["notes"] = recorded.get("notes") or ""
    return show("bilan", pid, FormState(values))


@blp.post("/<pid>/bilan-social")
@auth.require("accueil")
def bilan_post(pid: str):
    pid = person_id(pid)
    values = request.form.to_dict()
    themes = reference.lists()["vocab"]["bilan_themes"]
    body = {"needs": {t: {"need": values.get(f"needs.{t}.need") == "oui",
                          "notes": values.get(f"needs.{t}.notes", "")} for t in themes},
            "notes": values.get("notes", "")}
    out = send("bilan", pid, "PUT", "/bilan-social", body, values,
               "Bilan social enregistré.")
    return out if isinstance(out, tuple) else _back(pid)


# --- French test --------------------------------------------------------------------

@blp.get("/<pid>/test-francais")
@auth.require("accueil")
def french(pid: str):
    return show("french", person_id(pid), FormState(auth.pending_form()))


@blp.post("/<pid>/test-francais")
@auth.require("accueil")
def french_post(pid: str):
    pid = person_id(pid)
    values = request.form.to_dict()
    typed = values.get("test_date", "")
    body = {"level": values.get("level", ""), "test_date": parse_date_fr(typed) or "",
            "tester": values.get("tester", ""), "notes": values.get("notes", "")}
    out = send("french", pid, "POST", "/french-tests", body, values,
               "Test de français enregistré.", dates={"test_date": typed})
    return out if isinstance(out, tuple) else _back(pid)


# --- consents -----------------------------------------------------------------------

@blp.get("/<pid>/consentement")
@auth.require("accueil")
def consent(pid: str):
    return show("consent", person_id(pid), FormState(auth.pending_form()))


@blp.post("/<pid>/consentement")
@auth.require("accueil")
def consent_post(pid: str):
    pid = person_id(pid)
    values = request.form.to_dict()
    body = {"purpose": values.get("purpose", ""),
            "recipients": [r for r in RECIPIENTS if values.get(f"recipients.{r}")],
            "given": values.get("given", "oui") != "non",
            "evidence_ref": _opt(values, "evidence_ref")}
    out = send("consent", pid, "POST", "/consents", body, values,
               "Consentement enregistré." if body["given"] else "Consentement retiré.")
    return out if isinstance(out, tuple) else _back(pid)


# --- address ------------------------------------------------------------------------

@blp.get("/<pid>/adresse")
@auth.require("accueil")
def address(pid: str):
    return show("address", person_id(pid), FormState(auth.pending_form()))


@blp.post("/<pid>/adresse")
@auth.require("accueil")
def address_post(pid: str):
    pid = person_id(pid)
    values = request.form.to_dict()
    street = {k: _opt(values, f"address.{k}") for k in ("street", "house_number", "box",
                                                         "postal_code")}
    body = {"commune_nis": values.get("commune_nis", ""),
            "address": street if any(street.values()) else None}
    out = send("address", pid, "POST", "/address", body, values, "Adresse modifiée.")
    if isinstance(out, tuple):
        return out
    moved = (out.body or {}).get("moved_to_centre")
    if moved:
        name = reference.lists()["vocab"].get("centres", {}).get(moved, moved)
        flash(f"La nouvelle commune relève du {name} : le parcours peut proposer un "
              "transfert du dossier.", "warning")
    elif (out.body or {}).get("left_territory"):
        flash("La nouvelle commune n'est sur le territoire d'aucun CRI wallon.", "warning")
    return _back(pid)


# --- access export (PDF) ------------------------------------------------------------

@blp.get("/<pid>/export.pdf")
@auth.require("dpo")
def export_pdf(pid: str):
    """The intake's PDF export, passed through as it comes (never stored by the portal)."""
    pid = person_id(pid)
    answer = api("intake", "GET", f"/api/v1/persons/{pid}/export.pdf?purpose=demande_personne",
                 raw=True)
    return Response(answer.content, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="dossier-{pid}.pdf"',
        "Cache-Control": "no-store"})
