"""The centre's partners, for coordination: operators, their agreements (quota used,
what blocks a new referral), offers with their seats and waiting lists, and the
referrals of the centre's people to them (propose, follow, cancel).

A person is named in a URL by their person id only (a random UUID), e.g.
/offres?personne=<id> from their file: the proposal form is then filled in.
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from services.portal import auth
from services.portal.adapters.services import ApiProblem
from services.portal.views.common import FormState, api, get
from services.portal.views.partners_common import (choices, filters, free_seats, listing,
                                                   person_id_or_none, record_id)

blp = Blueprint("offers", __name__, url_prefix="/offres")
ROLE = ("coordination",)
FORM_ERRORS = (400, 404, 409, 413, 422)


def _operators() -> list[dict]:
    return get("partners", "/api/v1/operators?page_size=200")["items"]


def _operator_names(operators: list[dict]) -> dict[str, str]:
    return {o["operator_id"]: o["name"] for o in operators}


@blp.get("")
@auth.require(*ROLE)
def index():
    values, params = filters({"operateur": ("operator_id", "id"), "type": ("kind", "offer_kinds"),
                              "statut": ("status", "offer_status")})
    person = person_id_or_none(request.args.get("personne"))
    operators = _operators()
    offers = listing("partners", "/api/v1/offers", params)
    for o in offers["items"]:
        o["free"] = free_seats(o)
    return render_template("offers/index.html", offers=offers, form=FormState(values),
                           values=values, person=person, operators=operators,
                           names=_operator_names(operators), kinds=choices("offer_kinds"),
                           statuses=choices("offer_status"))


@blp.get("/operateurs")
@auth.require(*ROLE)
def operators():
    found = listing("partners", "/api/v1/operators")
    return render_template("offers/operators.html", operators=found,
                           types=dict(choices("operator_types")),
                           approval=dict(choices("approval")))


@blp.get("/conventions")
@auth.require(*ROLE)
def agreements():
    values, params = filters({"operateur": ("operator_id", "id")})
    operators = _operators()
    found = listing("partners", "/api/v1/agreements", params)
    return render_template("offers/agreements.html", agreements=found, values=values,
                           form=FormState(values), operators=operators,
                           names=_operator_names(operators), subjects=dict(choices("subjects")),
                           quota_kinds=dict(choices("quota_kinds")))


def _offer_page(offer_id: str, form: FormState, status: int = 200,
                capacity_form: FormState | None = None):
    answer = api("partners", "GET", f"/api/v1/offers/{offer_id}")
    offer = answer.body
    values, params = filters({"statut": ("status", "referral_status")})
    referrals = listing("partners", "/api/v1/referrals", {**params, "offer_id": offer_id})
    waiting = get("partners", f"/api/v1/offers/{offer_id}/waiting-list?page_size=200")
    operator = get("partners", f"/api/v1/operators/{offer['operator_id']}")
    return render_template("offers/offer.html", offer=offer, operator=operator,
                           referrals=referrals, waiting=waiting, form=form,
                           capacity_form=capacity_form or FormState(
                               {"capacity": str(offer["capacity"])}),
                           filter_values=values, filter_form=FormState(values),
                           statuses=choices("referral_status"),
                           status_labels=dict(choices("referral_status")),
                           purposes=choices("purposes"),
                           kinds=dict(choices("offer_kinds"))), status


@blp.get("/<offer_id>")
@auth.require(*ROLE)
def offer(offer_id: str):
    offer_id = record_id(offer_id)
    person = person_id_or_none(request.args.get("personne"))
    pending = auth.pending_form()
    return _offer_page(offer_id, FormState(pending or {"person_id": person or "",
                                                       "purpose": "training"}))


def proposal(form: dict, offer_id: str) -> dict:
    consent = bool(form.get("consent"))
    share = {k: (form.get(f"partage.{k}") or "").strip() or None
             for k in ("first_name", "contact")}
    return {"offer_id": offer_id, "person_id": (form.get("person_id") or "").strip(),
            "purpose": form.get("purpose") or "training", "consent": consent,
            "partage": share if any(share.values()) else None}


@blp.post("/<offer_id>/orientations")
@auth.require(*ROLE)
def refer(offer_id: str):
    offer_id = record_id(offer_id)
    values = request.form.to_dict()
    values.pop("csrf_token", None)
    try:
        created = api("partners", "POST", "/api/v1/referrals",
                      json=proposal(values, offer_id)).body
    except ApiProblem as exc:
        if exc.status not in FORM_ERRORS:
            raise
        if exc.status == 404 and not exc.errors:     # a person this centre does not follow
            exc.errors = {"person_id": exc.detail}
        return _offer_page(offer_id, FormState(values, exc), exc.status)
    label = dict(choices("referral_status")).get(created["status"], created["status"])
    flash(f"Orientation proposée (état : {label}).", "success")
    return redirect(url_for("offers.referral", referral_id=created["referral_id"]))


@blp.post("/<offer_id>/capacite")
@auth.require(*ROLE)
def capacity(offer_id: str):
    """A larger capacity gives the freed seats to the first people waiting."""
    offer_id = record_id(offer_id)
    values = {"capacity": request.form.get("capacity", "").strip()}
    number: int | str = int(values["capacity"]) if values["capacity"].isdigit() \
        and len(values["capacity"]) < 7 else values["capacity"]
    try:
        api("partners", "POST", f"/api/v1/offers/{offer_id}/capacity",
            json={"capacity": number})
    except ApiProblem as exc:
        if exc.status not in (400, 409, 413, 422):
            raise
        return _offer_page(offer_id, FormState(), exc.status, FormState(values, exc))
    flash(f"Capacité portée à {number} places.", "success")
    return redirect(url_for("offers.offer", offer_id=offer_id))


@blp.get("/orientations")
@auth.require(*ROLE)
def referrals():
    values, params = filters({"statut": ("status", "referral_status"),
                              "operateur": ("operator_id", "id"), "offre": ("offer_id", "id")})
    operators = _operators()
    found = listing("partners", "/api/v1/referrals", params)
    return render_template("offers/referrals.html", referrals=found, values=values,
                           form=FormState(values), operators=operators,
                           names=_operator_names(operators),
                           statuses=choices("referral_status"),
                           status_labels=dict(choices("referral_status")))


def _referral_page(referral_id: str, form: FormState, status: int = 200):
    referral = get("partners", f"/api/v1/referrals/{referral_id}")
    operator = get("partners", f"/api/v1/operators/{referral['operator_id']}")
    return render_template("offers/referral.html", r=referral, operator=operator, form=form,
                           status_labels=dict(choices("referral_status")),
                           purposes=dict(choices("purposes")),
                           reasons=dict(choices("decline_reasons") + choices("drop_reasons") +
                                        choices("cancel_reasons")),
                           cancel_reasons=choices("cancel_reasons")), status


@blp.get("/orientations/<referral_id>")
@auth.require(*ROLE)
def referral(referral_id: str):
    return _referral_page(record_id(referral_id), FormState())


@blp.post("/orientations/<referral_id>/annulation")
@auth.require(*ROLE)
def cancel(referral_id: str):
    referral_id = record_id(referral_id)
    values = {"reason": request.form.get("reason", "")}
    try:
        api("partners", "POST", f"/api/v1/referrals/{referral_id}/cancellation", json=values)
    except ApiProblem as exc:
        if exc.status not in (400, 409, 413, 422):
            raise
        return _referral_page(referral_id, FormState(values, exc), exc.status)
    flash("Orientation annulée.", "success")
    return redirect(url_for("offers.referral", referral_id=referral_id))
