"""GET /tableau-de-bord: the regional dashboard, a French HTML page rendered on the server.

Public on purpose: it shows only what the statistics API publishes to anyone allowed
(aggregated, per year, small cells and their complements suppressed), and a browser's
plain page load carries no bearer token. No script, no external resource.
"""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, render_template, request

from shared import clock
from services.reporting.api.common import svc, this_year
from services.reporting.api.render import french_number
from services.reporting.domain.tables import TOTAL_KEY, Published

bp = Blueprint("dashboard", __name__, template_folder="templates")
SECTIONS = ("personnes-par-statut", "personnes-par-sexe", "personnes-par-age",
            "personnes-par-nationalite", "activite-des-parcours", "heures-de-formation",
            "heures-de-presence", "transferts", "delai-d-achevement", "personnes-par-commune")
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'"


@bp.get("/tableau-de-bord")
def dashboard():
    figures = svc().figures
    year = _year(request.args.get("annee"))
    tables = figures.tables(year)
    status = figures.status()
    html = render_template(
        "tableau_de_bord.html", year=year, k=figures.k,
        sections=[_section(tables[s]) for s in SECTIONS if s in tables],
        bars=_bars(tables.get("personnes-par-statut")),
        updated=_local_time(status.get("updated_at")),
        lag=_lag(status.get("lag")), lag_measured=_local_time(status.get("lag_measured_at")),
        years=list(range(this_year(), this_year() - 6, -1)))
    return html, 200, {"Content-Security-Policy": CSP, "Cache-Control": "no-store"}


def _year(raw: str | None) -> int:
    try:
        year = int(raw or "")
    except ValueError:
        return this_year()
    return year if 2000 <= year <= 2100 else this_year()


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
    return moment.strftime("%d/%m/%Y à %H:%M:%S")


def _lag(lag: int | None) -> str:
    if lag is None:
        return "inconnu (pas encore mesuré)"
    return f"{lag} message{'s' if lag > 1 else ''} en attente"
