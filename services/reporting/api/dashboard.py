"""GET /tableau-de-bord: the regional dashboard, a French HTML page rendered on the server.

Public on purpose, so it shows a frozen publication only (the latest, or the one named
by `?publication=`), never the live figures: aggregated, per year, small cells and
their complements suppressed, and unmoved by any registration until the next
publication. A browser's plain page load carries no bearer token. No script, no
external resource.
"""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, render_template, request

from shared import clock
from shared.errors import NotFound
from services.reporting.api.common import svc
from services.reporting.api.publications import ID_SHAPE
from services.reporting.api.render import french_number
from services.reporting.domain.periods import Period
from services.reporting.domain.tables import TOTAL_KEY, Published
from services.reporting.service_layer.publications import LATEST, Publication

bp = Blueprint("dashboard", __name__, template_folder="templates")
SECTIONS = ("personnes-par-statut", "personnes-par-sexe", "personnes-par-age",
            "personnes-par-nationalite", "activite-des-parcours", "heures-de-formation",
            "heures-de-presence", "transferts", "delai-d-achevement", "personnes-par-commune")
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'"


@bp.get("/tableau-de-bord")
def dashboard():
    publications = svc().publications
    listing = [p for p in publications.listing() if p["current"]]
    chosen = _chosen(request.args.get("publication"))
    html = render_template(
        "tableau_de_bord.html", publication=chosen,
        published_at=chosen and _local_time(chosen.published_at),
        data_as_of=chosen and _local_time(chosen.data_as_of),
        sections=[_section(chosen.tables[s]) for s in SECTIONS if s in chosen.tables]
        if chosen else [],
        bars=_bars(chosen.tables.get("personnes-par-statut") if chosen else None),
        choices=[{"id": p["id"], "text": f"{_period_label(p)} (publiée le "
                                         f"{_local_day(p['published_at'])})"}
                 for p in listing])
    return html, 200, {"Content-Security-Policy": CSP, "Cache-Control": "no-store"}


def _chosen(raw: str | None) -> Publication | None:
    """The publication asked for, else the latest; None before the first one."""
    publications = svc().publications
    for wanted in ([raw] if raw and ID_SHAPE.match(raw) else []) + [LATEST]:
        try:
            return publications.get(wanted)
        except NotFound:
            continue
    return None


def _period_label(summary: dict) -> str:
    return Period.parse(summary["period"]).label


def _text(cell: dict, decimals: int) -> str:
    if cell["flag"]:
        return "✕"
    if cell["value"] is None:
        return "—"
    if decimals:
        return french_number(cell["value"], decimals)
    return f"{int(cell['value']):,}".replace(",", "\u202f")   # 1 234: French thousands


def _section(p: Published) -> dict:
    t = p.table
    columns = t.all_columns
    return {"id": t.id, "title": t.title, "unit": t.unit, "row_label": t.row_label,
            "headers": [label for _, label in columns],
            "rows": [{"label": label, "total": key == TOTAL_KEY,
                      "cells": [{"text": _text(p.cell(i, j), t.decimals),
                                 "suppressed": (i, j) in p.hidden,
                                 "total": columns[j][0] == TOTAL_KEY}
                                for j in range(len(columns))]}
                     for i, (key, label) in enumerate(t.all_rows)]}


def _bars(p: Published | None) -> list[dict]:
    """People received per centre: the column totals of the status table."""
    if p is None:
        return []
    t = p.table
    last = len(t.all_rows) - 1
    cells = [(label, p.cell(last, j)) for j, (_, label) in enumerate(t.columns)]
    top = max([c["value"] or 0 for _, c in cells] + [1])
    return [{"label": label, "text": _text(c, 0), "suppressed": bool(c["flag"]),
             "width": round(100 * (c["value"] or 0) / top, 1)} for label, c in cells]


def _local_time(iso: str | None) -> str | None:
    if not iso:
        return None
    moment = datetime.fromisoformat(iso).astimezone(clock.BRUSSELS)
    return moment.strftime("%d/%m/%Y à %H:%M")


def _local_day(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(clock.BRUSSELS).strftime("%d/%m/%Y")
