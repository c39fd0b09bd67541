"""GET /api/v1/publications…: the open statistics, public (no token), frozen.

- `/api/v1/publications`: every publication, newest first (period, revision, dates);
- `/api/v1/publications/<id>`: one publication (`latest` = the newest) and its tables;
- `/api/v1/publications/<id>/<table>?centre=`: one frozen table as JSON, and `.csv`.
A publication never changes once written (see `service_layer.publications`), so these
answers move only when a new publication appears.
"""
from __future__ import annotations

import re

import marshmallow as ma
from flask_smorest import Blueprint
from marshmallow import fields as f, validate as v

from shared.errors import NotFound
from shared.web.door import public
from shared.web.paging import page_field
from services.reporting.api import render
from services.reporting.api.common import svc
from services.reporting.domain.tables import Published
from services.reporting.domain.vocabulary import CENTRE_IDS
from services.reporting.service_layer.publications import Publication

blp = Blueprint("publications", __name__, url_prefix="/api/v1/publications",
                description="Statistiques publiées : publications périodiques figées, publiques")
BASE = "/api/v1/publications"
ID_SHAPE = re.compile(r"^(latest|20\d\d-(0[1-9]|1[0-2])-r[1-9]\d{0,3})$")


class PageIn(ma.Schema):
    page = page_field()
    page_size = f.Integer(load_default=24, validate=[v.Range(min=1), v.Range(max=100)])


class CentreIn(ma.Schema):
    centre = f.String(load_default=None, validate=v.OneOf(CENTRE_IDS),
                      metadata={"description": "Un centre (par défaut : toute la région)"})


def about(p: Publication) -> dict:
    """The publication's identity, as every frozen answer carries it."""
    return {"publication": p.id, "period": p.period.id, "period_label": p.period.label,
            "revision": p.revision, "published_at": p.published_at,
            "data_as_of": p.data_as_of}


def publication(publication_id: str) -> Publication:
    if not ID_SHAPE.match(publication_id):
        raise NotFound(f"publication inconnue : {publication_id!r} (voir {BASE})",
                       message_en=f"unknown publication: {publication_id!r}")
    return svc().publications.get(publication_id)


@blp.route("", methods=["GET"])
@blp.doc(security=[])
@public
@blp.arguments(PageIn, location="query")
@blp.response(200)
def index(args):
    """Publications, de la plus récente à la plus ancienne (paginé)"""
    items = svc().publications.listing()
    start = (args["page"] - 1) * args["page_size"]
    page = items[start:start + args["page_size"]]
    return {"items": [i | {"href": f"{BASE}/{i['id']}"} for i in page], "total": len(items),
            "page": args["page"], "page_size": args["page_size"]}


@blp.route("/<string:publication_id>", methods=["GET"])
@blp.doc(security=[])
@public
@blp.response(200)
def show(publication_id):
    """Une publication (« latest » : la plus récente) et ses tableaux"""
    p = publication(publication_id)
    base = f"{BASE}/{p.id}"
    return {**about(p), "year": p.year, "k": p.k,
            "tables": [{"id": tid, "title": t.table.title, "href": f"{base}/{tid}",
                        "csv": f"{base}/{tid}.csv"} for tid, t in p.tables.items()]}


def _table(publication_id: str, table_id: str, centre: str | None
           ) -> tuple[Publication, Published]:
    p = publication(publication_id)
    if table_id not in p.tables:
        raise NotFound(f"tableau inconnu : {table_id} (voir {BASE}/{p.id})",
                       message_en=f"unknown table: {table_id}")
    table = p.tables[table_id]
    return p, (table.select_columns({centre}) if centre else table)


@blp.route("/<string:publication_id>/<string:table_id>.csv", methods=["GET"])
@blp.doc(security=[])
@public
@blp.arguments(CentreIn, location="query")
def table_csv(args, publication_id, table_id):
    """Un tableau publié en CSV pour Excel (séparateur « ; », UTF-8 avec BOM)"""
    p, table = _table(publication_id, table_id, args["centre"])
    return render.csv_response(table, table_id, p.id, args["centre"])


@blp.route("/<string:publication_id>/<string:table_id>", methods=["GET"])
@blp.doc(security=[])
@public
@blp.arguments(CentreIn, location="query")
@blp.response(200)
def table(args, publication_id, table_id):
    """Un tableau publié, cellules masquées incluses (valeur null, drapeau « supprimé »)"""
    p, published = _table(publication_id, table_id, args["centre"])
    return render.as_json(published, year=p.year, centre=args["centre"], k=p.k,
                          about=about(p))
