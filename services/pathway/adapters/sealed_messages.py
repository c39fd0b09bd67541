"""Sealing and signing of the pathway's messages between centres (v2), at the edge.

The domain decides `pathway.TransferOffered` (with its preview) and
`pathway.TransferHistorySent` (with the full history) in clear; before they are stored
(and so before the relay publishes them on cri.region.transfers, which every centre and
reporting read) the sending service seals the preview / history for the receiving
centre's pathway X25519 key (`shared.sealed`) and signs the clear part, sealed box
included, with its pathway Ed25519 key (`shared.signing`). What stays in clear is what
routing and the sender's own bookkeeping need: transfer id, person id (random), centres,
trigger, dates. The two messages with nothing secret, `pathway.TransferOfferWithdrawn`
(from the sender) and `pathway.TransferAnswered` (from the receiver, which answers), are
signed the same way by the centre that sends them.

The receiving pathway worker opens a message only after checking that it comes from
the pathway of the centre it names (CloudEvents source), signed by that centre's key,
and that the sealed route matches the clear one; anything else is refused
(`MessageRefused`, not a business outcome: the consumer dead-letters it). Pathway's keys
are its own: intake's private keys never reach the pathway process, and back.
"""
from __future__ import annotations

import base64
import binascii
import json
from typing import Any

import marshmallow as ma

from shared import metrics
from shared.events.envelope import Envelope
from shared.messages import DomainEvent
from shared.sealed import SealError, open_sealed, seal
from shared.signing import SignatureError, sign, verify

from services.pathway.domain import event_names as n
from services.pathway.domain.schemas import HistoryV1
from services.pathway.domain.transfer_schemas import PreviewV1

VERSION = 2
ROUTE = ("transfer_id", "from_centre", "to_centre")


class _Kind:
    """`secret`: the field that travels sealed (None: nothing secret, signed only);
    `sender`: the field naming the centre that sends (and signs) the message."""

    def __init__(self, tag: str, clear: tuple[str, ...], secret: str | None = None,
                 schema: ma.Schema | None = None, sender: str = "from_centre"):
        self.tag, self.clear, self.secret, self.schema, self.sender = \
            tag, clear, secret, schema, sender


SEALED: dict[str, _Kind] = {
    n.TRANSFER_OFFERED: _Kind("cri.pathway.transfer-offered/2",
                              ROUTE + ("person_id", "trigger", "proposed_on"),
                              "preview", PreviewV1()),
    n.TRANSFER_HISTORY_SENT: _Kind("cri.pathway.transfer-history/2", ROUTE + ("sent_on",),
                                   "history", HistoryV1()),
}
"""Message type -> the field that travels sealed, the signature's domain tag, the clear
fields (signed with the sealed box) and the schema the opened part must match."""

SIGNED: dict[str, _Kind] = {
    **SEALED,
    n.TRANSFER_OFFER_WITHDRAWN: _Kind("cri.pathway.transfer-offer-withdrawn/2",
                                      ROUTE + ("withdrawn_on",)),
    n.TRANSFER_ANSWERED: _Kind("cri.pathway.transfer-answered/2",
                               ROUTE + ("decision", "reason", "answered_on"),
                               sender="to_centre"),
}
"""Every region message of the pathway: signed by its sender; the two above also sealed."""


class TransferKeysMissing(RuntimeError):
    """This pathway has no key to seal for the receiver, or none to sign with."""


class MessageRefused(Exception):
    """A sealed message whose sender is not proven or that does not open: never applied.

    Deliberately not a DomainRuleViolation: the consumer dead-letters it."""

    def __init__(self, reason: str, message: str):
        super().__init__(f"transfer message refused ({reason}): {message}")
        self.reason = reason


def signed_part(kind: _Kind, data: dict[str, Any]) -> dict[str, Any]:
    clear = {k: data[k] for k in kind.clear}
    return {**clear, "sealed": data["sealed"]} if kind.secret else clear


def seal_event(event: DomainEvent, recipient_keys: dict[str, str], signing_key: str
               ) -> DomainEvent:
    """The domain's clear message -> v2: secret part (if any) sealed for `to_centre`,
    signed with this pathway's key. Events of other types pass unchanged."""
    kind = SIGNED.get(event.type)
    if kind is None:
        return event
    if not signing_key:
        raise TransferKeysMissing("this pathway has no signing key")
    data = event.data
    clear = {k: data[k] for k in kind.clear}
    if kind.secret:
        to_centre = data["to_centre"]
        pem = recipient_keys.get(to_centre)
        if not pem:
            raise TransferKeysMissing(f"no pathway transfer key for centre {to_centre}")
        inner = {**{k: data[k] for k in ROUTE}, kind.secret: data[kind.secret]}
        box = seal(json.dumps(inner, ensure_ascii=False, sort_keys=True).encode(), pem)
        clear["sealed"] = base64.b64encode(box).decode("ascii")
    return DomainEvent(event.type, {**clear, "signature": sign(kind.tag, clear, signing_key)},
                       VERSION)


def open_message(env: Envelope, private_key: str, signer_keys: dict[str, str]
                 ) -> dict[str, Any]:
    """A v2 message for this centre -> its data as the domain knows it (secret part back
    in place). Raises MessageRefused unless it comes, signed, from the pathway of the
    centre it names as its sender and (if sealed) opens with our key into what it
    claims to be."""
    kind = SIGNED[env.type]
    data, sender = env.data, env.data[kind.sender]
    try:
        if env.centre != sender or env.service != "pathway":
            raise MessageRefused("misattributed", f"source {env.source} claims {sender}")
        if sender not in signer_keys:
            raise MessageRefused("unknown-sender", f"no signing key for {sender}")
        if kind.secret and not data.get("sealed"):
            raise MessageRefused("unsealed", "no sealed part (a v1 message in clear)")
        try:
            verify(kind.tag, signed_part(kind, data), data.get("signature"),
                   signer_keys[sender])
        except SignatureError as exc:
            raise MessageRefused("unsigned" if str(exc) == "unsigned" else "forged",
                                 str(exc)) from None
        clear = {k: data[k] for k in kind.clear}
        if not kind.secret:
            return clear
        try:
            inner = json.loads(open_sealed(base64.b64decode(data["sealed"], validate=True),
                                           private_key))
        except (SealError, binascii.Error, ValueError) as exc:
            raise MessageRefused("unreadable", str(exc)) from None
        if not isinstance(inner, dict) or any(inner.get(k) != data[k] for k in ROUTE):
            raise MessageRefused("mismatch", "the sealed route is not the message's")
        errors = kind.schema.validate(inner.get(kind.secret) or {})
        if errors or kind.secret not in inner:
            raise MessageRefused("invalid", f"sealed {kind.secret}: {errors}")
    except MessageRefused as exc:
        metrics.TRANSFER_MESSAGES_REFUSED.labels(exc.reason).inc()
        raise
    return {**clear, kind.secret: inner[kind.secret]}
