"""Batch handlers the worker's consumer loops call (at-least-once in, idempotent effect).

- pseudonyms: every centre's intake topic -> the regional pseudonym index, and another
  centre's `intake.PersonErased` -> our copy of that person erased too (a file received
  by transfer or a forwarding copy: erasure reaches every centre that holds the person);
- directory: this centre's intake topic -> the directory (lists, blind name index),
  from the file itself (events carry no name);
- transfers out: this centre's pathway topic, `pathway.TransferCompleted` -> seal and
  hand over the file;
- transfers in: cri.region.transfers, `intake.PersonFileHandedOver` for this centre ->
  open and register the file.
"""
from __future__ import annotations

import uuid
from typing import Callable

from shared.events.envelope import Envelope
from services.intake.bootstrap import IntakeServices
from services.intake.service_layer import handlers, transfers

PATHWAY_PREFIX = "pathway-"


def pseudonyms(svc: IntakeServices) -> Callable[[list[Envelope]], None]:
    def handle(envelopes: list[Envelope]) -> None:
        svc.pseudonyms.apply(envelopes)
        for env in envelopes:
            if env.type == "intake.PersonErased" and env.centre != svc.centre:
                handlers.erase_copy(svc, str(env.data["person_id"]), env.data["reason"],
                                    env.centre)
    return handle


def directory(svc: IntakeServices) -> Callable[[list[Envelope]], None]:
    """Each touched file, reloaded from the store, refreshes its directory entry."""
    def handle(envelopes: list[Envelope]) -> None:
        for person_id in dict.fromkeys(e.data["person_id"] for e in envelopes
                                       if e.subject.startswith("person-")
                                       and e.centre == svc.centre):
            loaded = svc.persons.load(person_id)
            if loaded.state.person_id:
                svc.directory.record(loaded.state, loaded.version)
    return handle


def transfers_out(svc: IntakeServices) -> Callable[[list[Envelope]], None]:
    def handle(envelopes: list[Envelope]) -> None:
        for env in envelopes:
            if env.type != "pathway.TransferCompleted" or env.centre != svc.centre:
                continue
            if not env.subject.startswith(PATHWAY_PREFIX):
                raise ValueError(f"unexpected pathway stream id {env.subject!r}")
            person_id = str(uuid.UUID(env.subject[len(PATHWAY_PREFIX):]))
            transfers.hand_over(svc, person_id, str(env.data["transfer_id"]), env.data["to_centre"])
    return handle


def transfers_in(svc: IntakeServices) -> Callable[[list[Envelope]], None]:
    def handle(envelopes: list[Envelope]) -> None:
        for env in envelopes:
            if env.type == "intake.PersonFileHandedOver" and \
                    env.data.get("to_centre") == svc.centre:
                transfers.receive(svc, env)
    return handle
