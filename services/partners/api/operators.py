"""/api/v1/operators and /api/v1/agreements: the centre's partners and its conventions."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from shared.web.app import if_match, with_etag

from services.partners.api import common
from services.partners.api.schemas import (AgreementIn, AmendIn, ListByOperator, OperatorCreate,
                                           OperatorIn, PageOut)
from services.partners.service_layer import operators as ops
from services.partners.service_layer.access import require_operator, scope

blp = Blueprint("operators", __name__, url_prefix="/api/v1",
                description="Opérateurs partenaires et conventions de partenariat")


def _operator_body(operator_id: str, body: dict) -> dict:
    return {"operator_id": operator_id, "name": body["name"], "type": body["type"],
            "bce": body["bce"], "approval": body["approval"], "communes": body["communes"],
            "personal": {"contacts": [{"function": c["function"], "email": c.get("email"),
                                       "phone": c.get("phone")} for c in body["contacts"]],
                         "staff": body["staff"]}}


def _operator_out(state: dict) -> dict:
    p = state.get("personal") or {}
    return {**{k: v for k, v in state.items() if k not in ("personal", "_id", "version")},
            "contacts": p.get("contacts", []), "staff": p.get("staff", [])}


@blp.route("/operators")
class Operators(MethodView):
    @blp.arguments(ListByOperator, location="query")
    @blp.response(200, PageOut)
    def get(self, args):
        """Opérateurs du centre (un partenaire ne voit que le sien)"""
        who = common.who()
        limit = scope(who)
        docs = common.svc().read_model.find("operators", **({"_id": limit} if limit else {}))
        docs.sort(key=lambda d: d["name"].lower())
        return common.page([_operator_out(d) for d in docs], args)

    @blp.arguments(OperatorCreate)
    @blp.response(201)
    def post(self, body):
        """Enregistrer un opérateur (coordination)"""
        loaded = ops.register_operator(common.svc(), common.writer(),
                                       _operator_body(body["operator_id"], body))
        return with_etag(_operator_out(loaded.state), loaded.version, 201)


@blp.route("/operators/<operator_id>")
class OperatorOne(MethodView):
    @blp.response(200)
    def get(self, operator_id):
        """Un opérateur (ETag = version)"""
        loaded = ops.operator(common.svc(), common.who(), operator_id)
        return with_etag(_operator_out(loaded.state), loaded.version)

    @blp.arguments(OperatorIn)
    @blp.response(200)
    def put(self, body, operator_id):
        """Modifier un opérateur : agrément, communes desservies, contacts (If-Match)"""
        loaded = ops.update_operator(common.svc(), common.writer(), operator_id,
                                     _operator_body(operator_id, body), if_match())
        return with_etag(_operator_out(loaded.state), loaded.version)


def _agreement_out(s, a) -> dict:
    out = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in a.__dict__.items()}
    return {**out, **ops.usage(s, a)}


@blp.route("/agreements")
class Agreements(MethodView):
    @blp.arguments(ListByOperator, location="query")
    @blp.response(200, PageOut)
    def get(self, args):
        """Conventions (filtre : opérateur ; un partenaire ne voit que les siennes)"""
        who, s = common.who(), common.svc()
        operator_id = scope(who) or args.get("operator_id")
        if args.get("operator_id"):
            require_operator(who, args["operator_id"])
        docs = s.read_model.find("agreements", **({"operator_id": operator_id}
                                                  if operator_id else {}))
        docs.sort(key=lambda d: (d["valid_from"], d["_id"]))
        out = common.page(docs, args)
        out["items"] = [_agreement_out(s, s.read_model.as_agreement(d)) for d in out["items"]]
        return out

    @blp.arguments(AgreementIn)
    @blp.response(201)
    def post(self, body):
        """Signer une convention avec un opérateur agréé (coordination)"""
        s = common.svc()
        loaded = ops.sign(s, common.writer(), body)
        return with_etag(_agreement_out(s, loaded.state), loaded.version, 201)


@blp.route("/agreements/<agreement_id>")
class AgreementOne(MethodView):
    @blp.response(200)
    def get(self, agreement_id):
        """Une convention, son utilisation du quota et ce qui bloquerait une orientation"""
        s = common.svc()
        loaded = ops.agreement(s, common.who(), agreement_id)
        return with_etag(_agreement_out(s, loaded.state), loaded.version)


@blp.route("/agreements/<agreement_id>/amendments", methods=["POST"])
@blp.arguments(AmendIn)
@blp.response(200)
def amend(body, agreement_id):
    """Avenant : nouvelle fin de validité, nouveau quota (If-Match)"""
    s = common.svc()
    loaded = ops.amend(s, common.writer(), agreement_id, body["valid_to"], body["quota"],
                       if_match())
    return with_etag(_agreement_out(s, loaded.state), loaded.version)


@blp.route("/agreements/<agreement_id>/termination", methods=["POST"])
@blp.response(200)
def terminate(agreement_id):
    """Résilier la convention (If-Match) : plus aucune nouvelle orientation"""
    s = common.svc()
    loaded = ops.terminate(s, common.writer(), agreement_id, if_match())
    return with_etag(_agreement_out(s, loaded.state), loaded.version)
