"""Intake's side of a transfer between centres (« transfert »).

Sender: when this centre's pathway completes a transfer, the person's full file is
sealed for the receiving centre's X25519 key and handed over on cri.region.transfers
(`intake.PersonFileHandedOver`), and the file here becomes a forwarding record
(`intake.PersonTransferredOut`), in one commit. Receiver: the bundle is opened with
this centre's private key and registered under the same person id, with a new data key
(`intake.PersonTransferredIn`). The sender signs the hand-over with its Ed25519 key; the
receiver checks the signature with the public key of the centre the bundle names, and
that this centre is also its CloudEvents source: an unsigned, forged or misattributed
bundle is refused (logged, counted, dead-lettered, never applied). Both steps are idempotent on the transfer id, and
decided again on fresh state after a conflict (`execute_fact`).
"""
from __future__ import annotations

import base64
import json
import logging

from shared import metrics
from shared.errors import DomainRuleViolation
from shared.events.envelope import Envelope
from shared.sealed import open_sealed, seal
from shared.signing import SignatureError, sign, verify
from services.intake.bootstrap import IntakeServices
from services.intake.domain.person import weak_pseudonym
from services.intake.domain.transfers import (BUNDLE_SIGNATURE, decide_hand_over,
                                              decide_receive, file_from_state, signed_part)
from services.intake.service_layer.handlers import execute_fact

log = logging.getLogger(__name__)
BY_TRANSFER = {"by": "transfer"}


def hand_over(svc: IntakeServices, person_id: str, transfer_id: str, to_centre: str) -> bool:
    """True when this call handed the file over (False: already done)."""
    pem = svc.config.centre_public_keys.get(to_centre)
    if not pem:
        raise DomainRuleViolation(f"clé publique du centre {to_centre} inconnue",
                                  message_en=f"no public key for centre {to_centre}")
    if not svc.config.signing_key:
        raise DomainRuleViolation("clé de signature du centre absente",
                                  message_en="this centre has no signing key")

    def decide(loaded):
        if transfer_id in loaded.state.transfers:
            return []
        today = svc.today()
        history = [{"version": c.version, "recorded_at": c.recorded_at,
                    "types": [e.type for e in c.events]} for c in loaded.commits]
        bundle = file_from_state(loaded.state, history, transfer_id, to_centre, today)
        sealed = base64.b64encode(seal(json.dumps(bundle, ensure_ascii=False).encode(), pem))
        return decide_hand_over(loaded.state, transfer_id, to_centre, sealed.decode(), today,
                                lambda part: sign(BUNDLE_SIGNATURE, part, svc.config.signing_key))

    saved = execute_fact(svc, person_id, decide, BY_TRANSFER)
    if saved is None:
        return False
    svc.claims.release(saved.state.pseudonym, person_id)
    svc.directory.remove(person_id)                   # not findable here any more
    log.info("file %s handed over to %s (transfer %s)", person_id, to_centre, transfer_id)
    return True


class BundleRefused(DomainRuleViolation):
    """A bundle whose sender is not proven: never applied."""


def check_sender(svc: IntakeServices, env: Envelope) -> None:
    """The bundle comes from the intake of the centre it names, signed with its key."""
    data, sender = env.data, env.data["from_centre"]
    reason = None
    if env.centre != sender or env.service != "intake":
        reason = "misattributed"
    elif sender not in svc.config.signing_public_keys:
        reason = "unknown-sender"
    else:
        try:
            verify(BUNDLE_SIGNATURE, signed_part(data), data.get("signature"),
                   svc.config.signing_public_keys[sender])
        except SignatureError as exc:
            reason = "unsigned" if str(exc) == "unsigned" else "forged"
    if reason is None:
        return
    metrics.BUNDLES_REFUSED.labels(reason).inc()
    log.warning("transfer bundle %s refused (%s): source %s, claims %s", env.id, reason,
                env.source, sender)
    raise BundleRefused(f"dossier de transfert refusé ({reason}) : l'expéditeur "
                        f"{sender} n'est pas prouvé", message_en=f"transfer bundle refused "
                        f"({reason}): sender {sender} not proven")


def receive(svc: IntakeServices, env: Envelope) -> bool:
    """Open a bundle meant for this centre and register the person; True if new."""
    data = env.data
    if data["to_centre"] != svc.centre:
        return False
    check_sender(svc, env)
    plain = open_sealed(base64.b64decode(data["sealed"]), svc.config.centre_private_key)
    bundle = json.loads(plain)
    if bundle.get("person_id") != data["person_id"] or \
            bundle.get("transfer_id") != data["transfer_id"] or \
            bundle.get("from_centre") != data["from_centre"]:
        raise DomainRuleViolation("le dossier scellé ne correspond pas à son enveloppe",
                                  message_en="sealed bundle does not match its envelope")
    saved = execute_fact(svc, data["person_id"], lambda loaded: decide_receive(
        loaded.state, bundle, svc.centre, svc.today()), BY_TRANSFER)
    if saved is None:
        return False
    if saved.state.pseudonym_strength == "strong":
        svc.claims.claim(saved.state.pseudonym, data["person_id"])
    svc.claims.add_weak(weak_pseudonym(saved.state, svc.regional_secret), data["person_id"])
    log.info("file %s received from %s (transfer %s)", data["person_id"],
             data["from_centre"], data["transfer_id"])
    return True
