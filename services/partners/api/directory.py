"""The public directory for newcomers: `GET /annuaire` (an accessible French HTML page)
and `GET /api/v1/directory` (its JSON feed), both without a token, cacheable (ETag from
the content, `If-None-Match` → 304, `Cache-Control: public`); `?commune=<NIS>` narrows
to one commune. The centre fills it through `PUT /api/v1/directory/contact` and an
offer's descriptions through `PUT /api/v1/directory/offers/<offer_id>`."""
from __future__ import annotations

import marshmallow as ma
from flask import Blueprint as FlaskBlueprint, Response, jsonify, render_template, request

from shared.errors import ValidationFailed
from shared.web.app import public, with_etag
from shared.web.blueprint import Blueprint

from services.partners.api import common
from services.partners.api.local_schemas import CentreContactIn, DirectoryArgs, ListingIn
from services.partners.domain.local_vocab import LANGUAGES
from services.partners.service_layer import directory as svc_directory

blp = Blueprint("directory", __name__, url_prefix="/api/v1",
                description="Annuaire public pour les primo-arrivants (sans jeton)")
page = FlaskBlueprint("directory-page", __name__, template_folder="templates")
MAX_AGE = 300
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:"


def _cached(body: dict, make: callable) -> Response:
    tag = svc_directory.etag(body)
    if tag in (request.if_none_match or ()):
        resp = Response(status=304)
    else:
        resp = make()
    resp.set_etag(tag)
    resp.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    resp.headers["Vary"] = "Accept-Language"
    return resp


@blp.route("/directory", methods=["GET"])
@blp.doc(security=[])
@blp.arguments(DirectoryArgs, location="query")
@blp.response(200)
@public
def feed(args):
    """Annuaire public (JSON) : offres avec places libres, activités à venir, contact"""
    body = svc_directory.feed(common.svc(), args.get("commune"))
    return _cached(body, lambda: jsonify(body))


@blp.route("/directory/contact", methods=["PUT"])
@blp.arguments(CentreContactIn)
@blp.response(200)
def contact(body):
    """Comment joindre le centre (coordination) : adresse, téléphone, horaires, langues"""
    loaded = svc_directory.set_contact(common.svc(), common.writer(), body)
    return with_etag(loaded.state, loaded.version)


@blp.route("/directory/offers/<offer_id>", methods=["PUT"])
@blp.arguments(ListingIn)
@blp.response(200)
def describe_offer(body, offer_id):
    """Descriptions d'une offre dans les langues que le centre renseigne"""
    loaded = svc_directory.describe_offer(common.svc(), common.writer(), offer_id,
                                          body["descriptions"])
    return with_etag(loaded.state, loaded.version)


@page.get("/annuaire")
@public
def html():
    try:
        args = DirectoryArgs().load(request.args.to_dict())
    except ma.ValidationError as exc:
        raise ValidationFailed("paramètre invalide ; voir « errors »",
                               message_en="invalid parameter",
                               fields={k: ["commune inconnue (code INS à 5 chiffres)"
                                           if k == "commune" else "paramètre inconnu"]
                                       for k in exc.messages}) from None
    body = svc_directory.feed(common.svc(), args.get("commune"))

    def make() -> Response:
        doc = render_template("annuaire.html", feed=body, languages=LANGUAGES)
        return Response(doc, mimetype="text/html", headers={"Content-Security-Policy": CSP})
    return _cached(body, make)
