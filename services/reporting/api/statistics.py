"""GET /api/v1/statistics…: the live regional figures, aggregated and suppressed, for
the centres' staff and the analysts only (see `access`). They move with every event, so
reading them before and after one known registration would tell that person's
attributes: the public reads frozen publications instead (`publications`).

- `/api/v1/statistics`: the tables on offer, last update and consumer lag;
- `/api/v1/statistics/<table>?year=&centre=`: one table as JSON;
- `/api/v1/statistics/<table>.csv?year=&centre=`: the same table for Excel.
`year` defaults to the current year (Brussels); figures are only ever published per
year, so no all-years table exists to be subtracted from a year's one.
"""
from __future__ import annotations

import marshmallow as ma
from flask_smorest import Blueprint
from marshmallow import fields as f, validate as v

from shared.errors import NotFound
from shared.web.app import principal
from shared.web.schema import RequestSchema
from services.reporting.api import render
from services.reporting.api.access import allowed_centre
from services.reporting.domain.tables import Published
from services.reporting.domain.vocabulary import CENTRE_IDS
from services.reporting.api.common import svc, this_year
from services.reporting.service_layer.figures import Figures

blp = Blueprint("statistics", __name__, url_prefix="/api/v1/statistics",
                description="Statistiques régionales agrégées (secret statistique appliqué)")


class YearIn(RequestSchema):
    year = f.Integer(load_default=None, validate=v.Range(min=2000, max=2100),
                     metadata={"description": "Année civile (par défaut : l'année en cours)"})


class FiltersIn(YearIn):
    centre = f.String(load_default=None, validate=v.OneOf(CENTRE_IDS),
                      metadata={"description": "Un centre (par défaut : toute la région)"})


def figures() -> Figures:
    return svc().figures


@blp.route("", methods=["GET"])
@blp.arguments(YearIn, location="query")
@blp.response(200)
def index(args):
    """Tableaux disponibles, dernière mise à jour et retard du consommateur"""
    allowed_centre(principal(), None)
    year = args["year"] or this_year()
    tables = figures().tables(year)
    base = "/api/v1/statistics"
    return {"year": year, "k": figures().k, **figures().status(),
            "tables": [{"id": tid, "title": p.table.title, "href": f"{base}/{tid}",
                        "csv": f"{base}/{tid}.csv"} for tid, p in tables.items()]}


def _published(table_id: str, args: dict) -> tuple[Published, int, str | None]:
    centre = allowed_centre(principal(), args["centre"])
    year = args["year"] or this_year()
    tables = figures().tables(year)
    if table_id not in tables:
        raise NotFound(f"tableau inconnu : {table_id} (voir /api/v1/statistics)",
                       message_en=f"unknown table: {table_id}")
    published = tables[table_id]
    return (published.select_columns({centre}) if centre else published), year, centre


@blp.route("/<string:table_id>.csv", methods=["GET"])
@blp.arguments(FiltersIn, location="query")
@blp.doc(responses={"200": {"description": "CSV (« ; », UTF-8 avec BOM)",
                            "content": {"text/csv": {}}}})
def table_csv(args, table_id):
    """Un tableau en CSV pour Excel (séparateur « ; », UTF-8 avec BOM)"""
    published, year, centre = _published(table_id, args)
    return render.csv_response(published, table_id, str(year), centre)


@blp.route("/<string:table_id>", methods=["GET"])
@blp.arguments(FiltersIn, location="query")
@blp.response(200)
def table(args, table_id):
    """Un tableau, cellules masquées incluses (valeur null, drapeau « supprimé »)"""
    published, year, centre = _published(table_id, args)
    return render.as_json(published, year=year, centre=centre, k=figures().k,
                          about={"updated_at": figures().status().get("updated_at")})
