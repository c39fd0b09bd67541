"""Intake's side of a transfer between centres (« transfert »).

Sender: when this centre's pathway completes a transfer, the person's full file is
sealed for the receiving centre's X25519 key and handed over on cri.region.transfers
(`intake.PersonFileHandedOver`), and the file here becomes a forwarding record
(`intake.PersonTransferredOut`), in one commit. Receiver: the bundle is opened with
this centre's private key and registered under the same person id, with a new data key
(`intake.PersonTransferredIn`). Both steps are idempotent on the transfer id.
"""
from __future__ import annotations

import base64
import json
import logging

from shared.errors import ConcurrencyError, DomainRuleViolation
from shared.sealed import open_sealed, seal
from services.intake.bootstrap import IntakeRuntime
from services.intake.domain.transfers import decide_hand_over, decide_receive, file_from_state
from services.intake.service_layer.handlers import today

log = logging.getLogger(__name__)
ATTEMPTS = 5


def hand_over(rt: IntakeRuntime, person_id: str, transfer_id: str, to_centre: str) -> bool:
    """True when this call handed the file over (False: already done)."""
    pem = rt.config.centre_public_keys.get(to_centre)
    if not pem:
        raise DomainRuleViolation(f"clé publique du centre {to_centre} inconnue",
                                  message_en=f"no public key for centre {to_centre}")
    for attempt in range(ATTEMPTS):
        loaded = rt.persons.load(person_id)
        if transfer_id in loaded.state.transfers:
            return False
        history = [{"version": c.version, "recorded_at": c.recorded_at,
                    "types": [e.type for e in c.events]} for c in loaded.commits]
        bundle = file_from_state(loaded.state, history, transfer_id, to_centre, today())
        sealed = base64.b64encode(seal(json.dumps(bundle, ensure_ascii=False).encode(), pem))
        events = decide_hand_over(loaded.state, transfer_id, to_centre, sealed.decode(),
                                  today())
        try:
            rt.persons.save(loaded, events, meta={"by": "transfer"})
            rt.claims.release(loaded.state.pseudonym, person_id)
            rt.directory.remove(person_id)            # not findable here any more
            log.info("file %s handed over to %s (transfer %s)", person_id, to_centre,
                     transfer_id)
            return True
        except ConcurrencyError:
            if attempt == ATTEMPTS - 1:
                raise
    return False


def receive(rt: IntakeRuntime, data: dict) -> bool:
    """Open a bundle meant for this centre and register the person; True if new."""
    if data["to_centre"] != rt.config.centre:
        return False
    plain = open_sealed(base64.b64decode(data["sealed"]), rt.config.centre_private_key)
    bundle = json.loads(plain)
    if bundle.get("person_id") != data["person_id"] or \
            bundle.get("transfer_id") != data["transfer_id"]:
        raise DomainRuleViolation("le dossier scellé ne correspond pas à son enveloppe",
                                  message_en="sealed bundle does not match its envelope")
    for attempt in range(ATTEMPTS):
        loaded = rt.persons.load(data["person_id"])
        events = decide_receive(loaded.state, bundle, rt.config.centre, today())
        if not events:
            return False
        try:
            saved = rt.persons.save(loaded, events, meta={"by": "transfer"})
            if saved.state.pseudonym_strength == "strong":
                rt.claims.claim(saved.state.pseudonym, data["person_id"])
            log.info("file %s received from %s (transfer %s)", data["person_id"],
                     data["from_centre"], data["transfer_id"])
            return True
        except ConcurrencyError:
            if attempt == ATTEMPTS - 1:
                raise
    return False
