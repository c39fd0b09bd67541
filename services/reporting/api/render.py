"""Published tables as JSON and as CSV for Excel (« ; », UTF-8 with BOM, decimal comma).

Both render the same `Published` table: a hidden cell is `null` with the flag
"supprimé" in JSON and the word "supprimé" in CSV, whichever rule hid it (telling the
small cells from their complements apart would narrow both down).
"""
from __future__ import annotations

import csv
import io
from typing import Any

from flask import Response

from services.reporting.domain.tables import SUPPRESSED, Published

BOM = "\ufeff"


def note(k: int) -> str:
    return (f"« {SUPPRESSED} » : la cellule porte sur moins de {k} personnes, ou elle est "
            "masquée en complément pour qu'aucune valeur masquée ne puisse être retrouvée "
            "par soustraction à partir des totaux publiés.")


def as_json(p: Published, *, year: int, centre: str | None, k: int,
            about: dict[str, Any]) -> dict[str, Any]:
    """`about` says where the figures come from (the live projections' last update, or
    the publication they were frozen in)."""
    t = p.table
    columns = t.all_columns
    return {
        "table": t.id, "title": t.title, "year": year, "centre": centre, "unit": t.unit,
        "row_label": t.row_label, "k": k,
        "columns": [{"key": key, "label": label} for key, label in columns],
        "rows": [{"key": key, "label": label,
                  "cells": [p.cell(i, j) for j in range(len(columns))]}
                 for i, (key, label) in enumerate(t.all_rows)],
        "suppressed_cells": len(p.hidden),
        "note": note(k),
        **about,
    }


def french_number(value: float | int | None, decimals: int) -> str:
    if value is None:
        return ""
    if decimals:
        return f"{value:.{decimals}f}".replace(".", ",")
    return str(int(value))


def as_csv(p: Published) -> bytes:
    t = p.table
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([t.row_label] + [label for _, label in t.all_columns])
    for i, (_, label) in enumerate(t.all_rows):
        cells = [p.cell(i, j) for j in range(len(t.all_columns))]
        writer.writerow([label] + [SUPPRESSED if c["flag"] else
                                   french_number(c["value"], t.decimals) for c in cells])
    return (BOM + out.getvalue()).encode("utf-8")


def csv_response(p: Published, *name_parts: str | None) -> Response:
    name = "-".join(filter(None, name_parts))
    return Response(as_csv(p), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
