"""What the public directory for newcomers shows (« annuaire », served by the partners
service without sign-in): how to reach the centre (coordination) and an offer's
descriptions in the languages the centre fills in (coordination, or the offer's own
operator). French first; a right-to-left language is shown right-to-left here too."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for

from services.portal import auth
from services.portal.adapters.services import ApiProblem
from services.portal.views.common import FormState, api, get
from services.portal.views.local_common import (FORM_ERRORS, choices, form_values, rename,
                                                text)
from services.portal.views.partners_common import record_id

blp = Blueprint("directory", __name__, url_prefix="/annuaire")
ROWS = 4
CONTACT = ("name", "address", "phone", "email", "website", "hours")
RTL = ("ar", "prs", "ps", "fa", "ku")


def descriptions(values: dict) -> tuple[list[dict], dict[str, str]]:
    out, names = [], {}
    for row in range(ROWS):
        lang, words = text(values, f"descriptions.{row}.lang"), \
            text(values, f"descriptions.{row}.text")
        if lang or words:
            names[f"descriptions.{len(out)}"] = f"descriptions.{row}"
            out.append({"lang": lang or "", "text": words or ""})
    return out, names


def description_values(items: list[dict]) -> dict:
    values = {}
    for i, d in enumerate(items[:ROWS]):
        values[f"descriptions.{i}.lang"], values[f"descriptions.{i}.text"] = d["lang"], d["text"]
    return values


def _feed() -> dict:
    return get("partners", "/api/v1/directory")


def _contact_page(form: FormState, status: int = 200):
    return render_template("directory/contact.html", form=form, rows=range(ROWS),
                           languages=choices("languages"), rtl=RTL), status


@blp.get("")
@auth.require("coordination")
def index():
    centre = _feed()["centre"]
    values = {k: centre.get(k) or "" for k in CONTACT}
    values.update(description_values(centre.get("descriptions") or []))
    return _contact_page(FormState(auth.pending_form() or values))


@blp.post("/contact")
@auth.require("coordination")
def contact():
    values = form_values()
    items, names = descriptions(values)
    body = {k: text(values, k) for k in CONTACT}
    body.update(name=body["name"] or "", address=body["address"] or "", descriptions=items)
    try:
        api("partners", "PUT", "/api/v1/directory/contact", json=body)
    except ApiProblem as exc:
        if exc.status not in FORM_ERRORS:
            raise
        return _contact_page(FormState(values, rename(exc, names)), exc.status)
    flash("Coordonnées du centre publiées dans l'annuaire.", "success")
    return redirect(url_for("directory.index"))


def _offer_page(offer_id: str, form: FormState | None = None, status: int = 200):
    offer = get("partners", f"/api/v1/offers/{offer_id}")
    if form is None:
        listed = next((o for c in _feed()["communes"] for o in c["offers"]
                       if o["offer_id"] == offer_id), None)
        form = FormState(auth.pending_form() or description_values(
            (listed or {}).get("descriptions") or []))
    return render_template("directory/offer.html", offer=offer, form=form, rows=range(ROWS),
                           languages=choices("languages"), rtl=RTL,
                           back=url_for("offers.offer" if auth.user().has("coordination")
                                        else "operator.offer", offer_id=offer_id)), status


@blp.get("/offres/<offer_id>")
@auth.require("coordination", "partenaire")
def offer(offer_id: str):
    return _offer_page(record_id(offer_id))


@blp.post("/offres/<offer_id>")
@auth.require("coordination", "partenaire")
def describe(offer_id: str):
    offer_id = record_id(offer_id)
    values = form_values()
    items, names = descriptions(values)
    try:
        api("partners", "PUT", f"/api/v1/directory/offers/{offer_id}",
            json={"descriptions": items})
    except ApiProblem as exc:
        if exc.status not in FORM_ERRORS:
            raise
        return _offer_page(offer_id, FormState(values, rename(exc, names)), exc.status)
    flash(f"Descriptions de l'offre enregistrées ({len(items)} langue(s)).", "success")
    return redirect(url_for("directory.offer", offer_id=offer_id))
