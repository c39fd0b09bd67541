"""Reception («accueil»): search a person, register one, read their file.

A name or a national number never travels in a URL: the search form is a POST, and the
file's address carries only the person id (a random UUID).
"""
from __future__ import annotations

import re
import uuid

from flask import Blueprint, abort, redirect, render_template, request, url_for

from services.portal import auth
from services.portal.adapters.services import ApiProblem
from services.portal.formats import parse_date_fr
from services.portal.views import reference
from services.portal.views.common import FormState, api, get, pages

blp = Blueprint("persons", __name__, url_prefix="/personnes")
NISS_LIKE = re.compile(r"^[\d\s.\-]{11,20}$")
DATES = ("birth_date", "permit_order_date", "arrival_date")


def person_id(value: str) -> str:
    """The path's person id, checked as a UUID (404 page otherwise, before any call)."""
    try:
        return str(uuid.UUID(value))
    except ValueError:
        abort(404)


@blp.get("")
@auth.require("accueil", "coordination")
def search():
    return render_template("persons/search.html", form=FormState(), results=None,
                           duplicates=None)


@blp.post("")
@auth.require("accueil", "coordination")
def search_post():
    q = request.form.get("q", "").strip()
    form = FormState({"q": q})
    results, duplicates = None, None
    try:
        if NISS_LIKE.match(q) and sum(c.isdigit() for c in q) == 11:
            duplicates = api("intake", "POST", "/api/v1/duplicates/lookup",
                             json={"national_number": q}).body
        else:
            page = int(request.form.get("page", "1")) if request.form.get(
                "page", "1").isdigit() else 1
            body = api("intake", "POST", "/api/v1/persons/search",
                       json={"q": q or None, "page": min(max(page, 1), 10_000),
                             "page_size": 20, "purpose": "accueil"}).body
            results = {"items": body["items"], **pages(body)}
    except ApiProblem as exc:
        if exc.status not in (400, 409, 422):
            raise
        form = FormState({"q": q}, exc)
    return render_template("persons/search.html", form=form, results=results,
                           duplicates=duplicates)


@blp.get("/nouvelle")
@auth.require("accueil")
def new():
    return render_template("persons/new.html", form=FormState(auth.pending_form()),
                           ref=reference.lists(), duplicate=None)


def registration(form: dict) -> dict:
    """The API's body from the form's fields, as typed (the API validates)."""
    def opt(name):
        value = (form.get(name) or "").strip()
        return value or None
    address = None
    if any(opt(f"address.{k}") for k in ("street", "house_number", "postal_code")):
        address = {k: opt(f"address.{k}") for k in ("street", "house_number", "box",
                                                      "postal_code")}
    body = {"last_name": form.get("last_name", ""), "first_names": form.get("first_names", ""),
            "sex": form.get("sex", ""), "nationality": form.get("nationality", ""),
            "national_number": opt("national_number"),
            "commune_nis": form.get("commune_nis", ""), "address": address,
            "permit_type": form.get("permit_type", ""), "phone": opt("phone"),
            "email": opt("email"), "notes": opt("notes"),
            "languages": [x.strip() for x in (form.get("languages") or "").split(",")
                          if x.strip()],
            "interpreter_needed": bool(form.get("interpreter_needed")),
            "wants_voluntary": bool(form.get("wants_voluntary")),
            "homonym_confirmed": bool(form.get("homonym_confirmed")),
            "homonym_justification": opt("homonym_justification")}
    for name in DATES:
        body[name] = parse_date_fr(form.get(name, ""))
    if body["birth_date"] is None:
        body["birth_date"] = ""
    return body


@blp.post("/nouvelle")
@auth.require("accueil")
def new_post():
    values = request.form.to_dict()
    try:
        answer = api("intake", "POST", "/api/v1/persons", json=registration(values))
    except ApiProblem as exc:
        if exc.status not in (400, 409, 413, 422):
            raise
        duplicate = exc.body.get("existing_person_id") if exc.status == 409 else None
        return render_template("persons/new.html", form=FormState(values, exc),
                               ref=reference.lists(), duplicate=duplicate), exc.status
    created = answer.body
    return redirect(url_for("persons.file", pid=created["person_id"], nouveau=1,
                            autres=",".join(created.get("also_followed_in") or []) or None))


@blp.get("/<pid>")
@auth.require("accueil", "coordination", "dpo")
def file(pid: str):
    pid = person_id(pid)
    purpose = request.args.get("finalite", "consultation")
    if purpose not in reference.PURPOSE_CHOICES:
        purpose = "consultation"
    body = get("intake", f"/api/v1/persons/{pid}?purpose={purpose}")
    others = [c for c in (request.args.get("autres") or "").split(",") if c]
    return render_template("persons/file.html", p=body, created=bool(request.args.get("nouveau")),
                           others=others, ref=reference.lists())
