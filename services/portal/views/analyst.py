"""The regional analyst («analyste», or the auditor): the live regional figures of
reporting, aggregated per year, small cells and their complements hidden exactly as
reporting hides them (the portal shows a hidden cell as « supprimé », never a number),
and their CSV exports for Excel, fetched with the user's token and passed on as they
come. The frozen publications stay on reporting's public dashboard.
"""
from __future__ import annotations

import re

from flask import Blueprint, Response, abort, current_app, render_template, request

from services.portal import auth
from services.portal.adapters.services import ApiProblem
from services.portal.views.common import FormState, api, get

blp = Blueprint("analyst", __name__, url_prefix="/analyse")
ROLE = ("analyste", "auditeur")
TABLE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
CENTRE = re.compile(r"^[a-z0-9-]{1,40}$")
HEADLINE = "personnes-par-statut"


def _year() -> int | None:
    raw = (request.args.get("annee") or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        abort(400, "Année invalide : une année de 2000 à 2100.")
    return int(raw)


def _centre() -> str | None:
    raw = (request.args.get("centre") or "").strip()
    if not raw:
        return None
    if not CENTRE.match(raw):
        abort(400, "Centre invalide.")
    return raw


def _query(year: int | None, centre: str | None = None) -> str:
    parts = [f"year={year}"] if year else []
    if centre:
        parts.append(f"centre={centre}")
    return ("?" + "&".join(parts)) if parts else ""


def _table_id(value: str) -> str:
    if not TABLE_ID.match(value or ""):
        abort(404)
    return value


def _table(table_id: str, year: int | None, centre: str | None) -> dict:
    try:
        return get("reporting", f"/api/v1/statistics/{table_id}{_query(year, centre)}")
    except ApiProblem as exc:
        if exc.status == 422:       # a year or centre the service refuses: the 400 page
            abort(400, exc.detail or exc.title)
        raise


def public_dashboard() -> str:
    return current_app.extensions["portal_config"].reporting_url.rstrip("/") + \
        "/tableau-de-bord"


@blp.get("")
@auth.require(*ROLE)
def index():
    year = _year()
    listing = get("reporting", f"/api/v1/statistics{_query(year)}")
    ids = [t["id"] for t in listing["tables"]]
    headline = _table(HEADLINE, listing["year"], None) if HEADLINE in ids else None
    return render_template("analyst/index.html", listing=listing, headline=headline,
                           form=FormState({"annee": str(listing["year"])}),
                           dashboard=public_dashboard())


@blp.get("/tableaux/<table_id>")
@auth.require(*ROLE)
def table(table_id: str):
    table_id = _table_id(table_id)
    year, centre = _year(), _centre()
    body = _table(table_id, year, centre)
    centres = [c for c in body["columns"] if c["key"] != "total"] if not centre else []
    return render_template("analyst/table.html", t=body, centres=centres,
                           form=FormState({"annee": str(body["year"]), "centre": centre or ""}))


@blp.get("/tableaux/<table_id>.csv")
@auth.require(*ROLE)
def table_csv(table_id: str):
    """The CSV as reporting writes it (« ; », UTF-8 with BOM, « supprimé » for a hidden
    cell), under reporting's file name."""
    table_id = _table_id(table_id)
    year, centre = _year(), _centre()
    try:
        answer = api("reporting", "GET",
                     f"/api/v1/statistics/{table_id}.csv{_query(year, centre)}", raw=True)
    except ApiProblem as exc:
        if exc.status == 422:
            abort(400, exc.detail or exc.title)
        raise
    name = answer.headers.get("Content-Disposition") or \
        f'attachment; filename="{table_id}.csv"'
    return Response(answer.content, mimetype="text/csv",
                    headers={"Content-Disposition": name, "Cache-Control": "no-store"})


@blp.app_template_filter("number_fr")
def number_fr(value) -> str:
    """1234 -> '1 234'; 12.5 -> '12,5' (French, as reporting's own dashboard)."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}".replace(",", "\u202f")
    return f"{float(value):,.2f}".rstrip("0").rstrip(".").replace(",", "\u202f") \
        .replace(".", ",")
