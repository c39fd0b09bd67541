"""The pathway's transfer messages (v2): preview and history sealed for the receiving
centre's pathway key, the clear part signed by the sender's; the receiver refuses what
does not verify or open, and what it opens is what was sent."""
from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from services.pathway.adapters.sealed_messages import (SEALED, MessageRefused,
                                                       TransferKeysMissing, open_message,
                                                       seal_event, signed_part)
from services.pathway.domain import (AcceptTransfer, ProposeTransfer,
                                     decide_accept_transfer, decide_propose_transfer,
                                     export_history, import_history, outbound)
from services.pathway.domain import event_names as n
from services.pathway.domain.transfer_schemas import upcast_history_v1, upcast_offer_v1
from shared.errors import InvalidEvent
from shared.events import envelope
from shared.messages import DomainEvent
from shared.signing import generate_pem, sign

from .builders import (REGISTRY, credited, d, extended, followed, interview, replay, run,
                       suspended)

TODAY = d("2024-10-01")
CENTRES = ("cripel", "cai", "crvi")


def _x25519() -> tuple[str, str]:
    key = X25519PrivateKey.generate()
    return (key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption()).decode(),
            key.public_key().public_bytes(serialization.Encoding.PEM,
                                          serialization.PublicFormat.SubjectPublicKeyInfo
                                          ).decode())


@pytest.fixture(scope="module")
def keys():
    """centre -> (transfer private, transfer public, signing private, signing public)."""
    out = {}
    for c in CENTRES:
        sign_priv, sign_pub = generate_pem()
        out[c] = (*_x25519(), sign_priv.decode(), sign_pub.decode())
    return out


def publics(keys, i):
    return {c: k[i] for c, k in keys.items()}


def _state():
    """Hours, an illness extension, an interview, an illness suspension (art. 9 codes)."""
    state = replay(credited("a1", "citizenship", 20), extended(3, reason="illness"),
                   interview("i1", "2024-06-15"),
                   suspended("s1", "2024-09-01", reason="maternity"), state=followed())
    state, _ = run(state, decide_propose_transfer, ProposeTransfer("t1", "cai", "move"), TODAY)
    return state


def _messages(keys, sender="cripel"):
    state = _state()
    transfer = state.transfers[0]
    offer = outbound.decide_offer(frozenset(), state, transfer, TODAY)[0]
    accepted, _ = run(state, decide_accept_transfer, AcceptTransfer("t1", "cai"), TODAY)
    history = outbound.decide_send_history(frozenset(), accepted, accepted.transfers[0])[0]
    sealed = [seal_event(e, publics(keys, 1), keys[sender][2]) for e in (offer, history)]
    return state, (offer, history), sealed


def on_topic(event: DomainEvent, source_centre: str = "cripel", service: str = "pathway"):
    """The stored event as the receiving worker decodes it from cri.region.transfers."""
    stored = REGISTRY.validate_for_write(event)
    _, value, headers = envelope.encode(
        envelope.source(source_centre, service), "transfer-t1", 1, 0,
        "2024-10-01T10:00:00+00:00", {"type": stored.type, "version": stored.version,
                                      "data": stored.data})
    env = envelope.decode(headers, value)
    read = REGISTRY.read(env.type, env.version, env.data)
    return envelope.Envelope(env.id, env.source, read.type, read.version, env.time,
                             env.subject, env.sequence, read.data, env.trace_id)


def _open(env, keys, centre="cai"):
    return open_message(env, keys[centre][0], publics(keys, 3))


def test_the_history_and_preview_round_trip_and_nothing_secret_is_in_clear(keys):
    state, (offer, history), sealed = _messages(keys)
    for clear, message in zip((offer, history), sealed):
        assert message.version == 2
        env = on_topic(message)
        text = json.dumps(env.data)
        for secret in ("illness", "maternity", "motif_protege", "2024-01-10",  # permit date
                       "suspensions", "interviews", "justification", "preview", "hours",
                       "ps-p-1"):
            assert secret not in text, secret
        assert _open(env, keys) == clear.data                  # what was sent, exactly
    opened = _open(on_topic(sealed[1]), keys)["history"]
    assert opened["suspensions"][0]["reason"] == "maternity"
    assert opened["permit_order_date"] == "2024-01-10"
    assert opened["centre"] == "cripel" and opened["person_id"] == "p-1"
    again = export_history(import_history(opened, "cai"))
    assert again == {**opened, "centre": "cai", "previous_centres": ["cripel"]}


def test_another_centres_key_cannot_open_it(keys):
    _, _, sealed = _messages(keys)
    for message in sealed:
        with pytest.raises(MessageRefused) as refused:
            _open(on_topic(message), keys, centre="crvi")     # crvi's private key
        assert refused.value.reason == "unreadable"
        # and the sealed box is not readable as text without the key
        box = base64.b64decode(message.data["sealed"])
        assert b"maternity" not in box and b"citizenship" not in box


def test_a_tampered_message_is_refused(keys):
    _, _, sealed = _messages(keys)
    offer = sealed[0]
    for change in ({"person_id": "p-2"}, {"proposed_on": "2024-09-30"},
                   {"trigger": "manual"}, {"to_centre": "crvi"}):
        with pytest.raises(MessageRefused) as refused:
            _open(on_topic(DomainEvent(offer.type, {**offer.data, **change}, 2)), keys,
                  centre=change.get("to_centre", "cai"))
        assert refused.value.reason == "forged", change
    box = bytearray(base64.b64decode(offer.data["sealed"]))
    box[-1] ^= 1
    with pytest.raises(MessageRefused) as refused:     # the box altered: the signature
        _open(on_topic(DomainEvent(offer.type, {     # covers it
            **offer.data, "sealed": base64.b64encode(bytes(box)).decode()}, 2)), keys)
    assert refused.value.reason == "forged"


def test_a_message_signed_by_another_centre_or_from_another_source_is_refused(keys):
    _, _, by_crvi = _messages(keys, sender="crvi")    # claims cripel, signed with crvi's key
    with pytest.raises(MessageRefused) as refused:
        _open(on_topic(by_crvi[0]), keys)
    assert refused.value.reason == "forged"
    _, _, sealed = _messages(keys)
    for centre, service in (("crvi", "pathway"), ("cripel", "intake")):
        with pytest.raises(MessageRefused) as refused:
            _open(on_topic(sealed[1], centre, service), keys)
        assert refused.value.reason == "misattributed"
    unsigned = DomainEvent(sealed[0].type, {**sealed[0].data, "signature": None}, 2)
    with pytest.raises(MessageRefused) as refused:
        _open(on_topic(unsigned), keys)
    assert refused.value.reason == "unsigned"
    with pytest.raises(MessageRefused) as refused:   # a sender whose key we do not hold
        open_message(on_topic(sealed[0]), keys["cai"][0], {"cai": keys["cai"][3]})
    assert refused.value.reason == "unknown-sender"


def test_a_box_sealed_for_another_route_is_refused(keys):
    """A valid box of another transfer, re-signed by a centre that holds a signing key,
    cannot be passed off as this one: the sealed route must match the clear one."""
    _, (offer, _), _ = _messages(keys)
    other = DomainEvent(offer.type, {**offer.data, "transfer_id": "t-other"})
    box = seal_event(other, publics(keys, 1), keys["cripel"][2]).data["sealed"]
    clear = {**{k: offer.data[k] for k in SEALED[offer.type].clear}, "sealed": box}
    forged = DomainEvent(offer.type, {**clear, "signature": sign(
        SEALED[offer.type].tag, signed_part(SEALED[offer.type], clear), keys["cripel"][2])}, 2)
    with pytest.raises(MessageRefused) as refused:
        _open(on_topic(forged), keys)
    assert refused.value.reason == "mismatch"


def test_stored_v1_messages_upcast_without_their_clear_part_and_are_refused(keys):
    _, (offer, history), _ = _messages(keys)
    for clear, upcast in ((offer, upcast_offer_v1), (history, upcast_history_v1)):
        read = REGISTRY.read(clear.type, 1, clear.data)   # a v1 event stored before v2
        assert read.version == 2 and read.data == upcast(clear.data)
        assert read.data["sealed"] is None and "preview" not in read.data \
            and "history" not in read.data
        assert read.data["transfer_id"] == "t1"
    assert REGISTRY.read(offer.type, 1, offer.data).data["person_id"] == "p-1"  # sender's need
    with pytest.raises(InvalidEvent):   # the clear (v1) form can no longer be written…
        REGISTRY.validate_for_write(offer)
    # …but a v1 record already on the topic is read, upcast, and refused
    _, value, headers = envelope.encode(envelope.source("cripel", "pathway"), "transfer-t1",
                                        1, 0, "2024-10-01T10:00:00+00:00",
                                        {"type": offer.type, "version": 1, "data": offer.data})
    raw = envelope.decode(headers, value)
    read = REGISTRY.read(raw.type, raw.version, raw.data)
    env = envelope.Envelope(raw.id, raw.source, read.type, read.version, raw.time,
                            raw.subject, raw.sequence, read.data, raw.trace_id)
    with pytest.raises(MessageRefused) as refused:
        _open(env, keys)
    assert refused.value.reason == "unsealed"


def test_no_key_for_the_receiver_or_to_sign_with_is_an_error_not_a_clear_message(keys):
    _, (offer, history), _ = _messages(keys)
    with pytest.raises(TransferKeysMissing):
        seal_event(offer, {"crvi": keys["crvi"][1]}, keys["cripel"][2])
    with pytest.raises(TransferKeysMissing):
        seal_event(history, publics(keys, 1), "")
    withdrawn = DomainEvent(n.TRANSFER_OFFER_WITHDRAWN, {
        "transfer_id": "t1", "from_centre": "cripel", "to_centre": "cai",
        "withdrawn_on": "2024-10-01"})
    with pytest.raises(TransferKeysMissing):                   # nothing secret, still signed
        seal_event(withdrawn, {}, "")
    signed = seal_event(withdrawn, {}, keys["cripel"][2])      # no receiver key needed
    assert signed.version == 2 and "sealed" not in signed.data and signed.data["signature"]


def _answer(decision="accepted", reason=None):
    return DomainEvent(n.TRANSFER_ANSWERED, {
        "transfer_id": "t1", "from_centre": "cripel", "to_centre": "cai",
        "decision": decision, "reason": reason, "answered_on": "2024-10-01"})


def _withdrawn():
    return DomainEvent(n.TRANSFER_OFFER_WITHDRAWN, {
        "transfer_id": "t1", "from_centre": "cripel", "to_centre": "cai",
        "withdrawn_on": "2024-10-01"})


def test_answers_and_withdrawals_are_signed_by_the_centre_that_sends_them(keys):
    """The answer comes from the receiver (cai) to the sender (cripel); the withdrawal
    from the sender. Each opens only signed by that centre, from its pathway."""
    answer = seal_event(_answer("rejected", "not_our_territory"), {}, keys["cai"][2])
    assert open_message(on_topic(answer, "cai"), keys["cripel"][0], publics(keys, 3)) == \
        _answer("rejected", "not_our_territory").data
    withdrawn = seal_event(_withdrawn(), {}, keys["cripel"][2])
    assert _open(on_topic(withdrawn), keys) == _withdrawn().data
    cases = [  # (message, source centre, refusal)
        (answer, "crvi", "misattributed"),                      # not from the receiver
        (seal_event(_answer(), {}, keys["crvi"][2]), "cai", "forged"),   # crvi's key
        (DomainEvent(answer.type, {**answer.data, "decision": "accepted",
                                   "reason": None}, 2), "cai", "forged"),  # turned round
        (DomainEvent(answer.type, {**answer.data, "signature": None}, 2), "cai", "unsigned"),
        (DomainEvent(withdrawn.type, {**withdrawn.data, "withdrawn_on": "2024-09-01"}, 2),
         "cripel", "forged"),
        (seal_event(_withdrawn(), {}, keys["cai"][2]), "cripel", "forged"),
    ]
    for message, source, reason in cases:
        with pytest.raises(MessageRefused) as refused:
            open_message(on_topic(message, source), keys["cripel"][0], publics(keys, 3))
        assert refused.value.reason == reason, (message.data, source)
    # a v1 answer (unsigned) already on a topic is read as v2 without signature: refused
    v1 = REGISTRY.read(n.TRANSFER_ANSWERED, 1, _answer().data)
    assert v1.version == 2 and v1.data["signature"] is None
