"""Transfers between centres: propose, list incoming/outgoing, accept, reject, withdraw.

The receiving coordinator sees a minimal preview (status, rule version, deadline, hours)
and no person id until the pathway has arrived.
"""
from __future__ import annotations

from flask_smorest import Blueprint

from shared.web.app import if_match, with_etag
from shared.web.openapi import if_match_doc

from services.pathway.api.common import pathway_response, reader, svc, writer
from services.pathway.api.schemas import (PageArgs, PageOut, PathwayOut, RejectIn, TransferIn,
                                          TransferOut)
from services.pathway.service_layer import transfer_receiver as receiver
from services.pathway.service_layer import transfer_sender as sender
from services.pathway.service_layer.views import page

blp = Blueprint("transfers", __name__, url_prefix="/api/v1",
                description="Transferts de parcours entre centres")

_HIDDEN = ("_id",)


def _item(doc: dict) -> dict:
    out = {k: v for k, v in doc.items() if k not in _HIDDEN}
    if doc["direction"] == "in" and doc["state"] != "completed":
        out.pop("person_id", None)  # known only once the pathway has arrived
    return out


@blp.route("/pathways/<person_id>/transfers", methods=["POST"])
@if_match_doc()
@blp.arguments(TransferIn)
@blp.response(201, PathwayOut)
def propose(body, person_id):
    """Proposer le transfert du parcours vers un autre centre"""
    writer()
    loaded = sender.propose(svc(), person_id, body["to_centre"], if_match(required=True))
    return pathway_response(loaded, person_id, 201)


@blp.route("/transfers/incoming", methods=["GET"])
@blp.arguments(PageArgs, location="query")
@blp.response(200, PageOut)
def incoming(args):
    """Transferts entrants (aperçu sans données personnelles)"""
    reader()
    return page([_item(d) for d in svc().read_model.transfer_docs("in")], args["page"],
                args["page_size"])


@blp.route("/transfers/outgoing", methods=["GET"])
@blp.arguments(PageArgs, location="query")
@blp.response(200, PageOut)
def outgoing(args):
    """Transferts sortants et fiches de renvoi"""
    reader()
    return page([_item(d) for d in svc().read_model.transfer_docs("out")], args["page"],
                args["page_size"])


def _inbox_response(loaded):
    doc = svc().read_model.transfer_doc("in", loaded.state.transfer_id)
    return with_etag(_item(doc), loaded.version)


@blp.route("/transfers/<transfer_id>/accept", methods=["POST"])
@if_match_doc(required=False)
@blp.response(200, TransferOut)
def accept(transfer_id):
    """Accepter un transfert entrant (le parcours complet suivra)"""
    writer()
    loaded = receiver.answer(svc(), transfer_id, True, None, if_match(required=False))
    return _inbox_response(loaded)


@blp.route("/transfers/<transfer_id>/reject", methods=["POST"])
@if_match_doc(required=False)
@blp.arguments(RejectIn)
@blp.response(200, TransferOut)
def reject(body, transfer_id):
    """Refuser un transfert entrant (motif codé)"""
    writer()
    loaded = receiver.answer(svc(), transfer_id, False, body["reason"],
                              if_match(required=False))
    return _inbox_response(loaded)


@blp.route("/transfers/<transfer_id>/withdraw", methods=["POST"])
@if_match_doc(required=False)
@blp.response(200, PathwayOut)
def withdraw(transfer_id):
    """Retirer un transfert proposé (centre d'origine, tant qu'il n'est pas accepté)"""
    writer()
    loaded = sender.withdraw(svc(), transfer_id, if_match(required=False))
    return pathway_response(loaded, loaded.state.person_id)
