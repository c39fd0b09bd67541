"""Transfer bundles are signed by the sending centre (Ed25519) and checked on receipt
against the centre they name and their CloudEvents source."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from services.intake.domain.transfers import BUNDLE_SIGNATURE, signed_part
from services.intake.service_layer.transfers import BundleRefused, check_sender
from shared import metrics
from shared.events.envelope import Envelope
from shared.signing import generate_pem, sign

CRIPEL, ATTACKER = generate_pem(), generate_pem()
DATA = {"transfer_id": "t-1", "person_id": "6f1c1f55-2c8e-4a47-9c8f-2b1a6c1d9e01",
        "from_centre": "cripel", "to_centre": "cai", "sealed": "c2VhbGVk"}
SVC = SimpleNamespace(centre="cai", config=SimpleNamespace(
    signing_public_keys={"cripel": CRIPEL[1].decode()}))


def _env(data, source="/cri/cripel/intake"):
    return Envelope("person-x:0000000001.000", source, "intake.PersonFileHandedOver", 1, "",
                    "person-x", "0000000001.000", data)


def _signed(key=CRIPEL, **changes):
    return {**DATA, **changes, "signature": sign(BUNDLE_SIGNATURE, signed_part(DATA),
                                                 key[0].decode())}


def test_a_bundle_signed_by_the_centre_it_names_passes():
    check_sender(SVC, _env(_signed()))


@pytest.mark.parametrize("data, source, reason", [
    ({**DATA, "signature": None}, "/cri/cripel/intake", "unsigned"),
    (_signed(ATTACKER), "/cri/cripel/intake", "forged"),
    (_signed(to_centre="crvi"), "/cri/cripel/intake", "forged"),     # altered after signing
    (_signed(), "/cri/cai/intake", "misattributed"),                 # relayed by another
    (_signed(), "/cri/cripel/pathway", "misattributed"),
    ({**_signed(), "from_centre": "crvi"}, "/cri/crvi/intake", "unknown-sender"),
])
def test_unsigned_forged_or_misattributed_bundles_are_refused_and_counted(data, source, reason):
    before = metrics.BUNDLES_REFUSED.labels(reason)._value.get()
    with pytest.raises(BundleRefused) as exc:
        check_sender(SVC, _env(data, source))
    assert reason in exc.value.message and "refusé" in exc.value.message
    assert metrics.BUNDLES_REFUSED.labels(reason)._value.get() == before + 1


def test_the_launcher_creates_each_centres_signing_and_audit_keys_private(tmp_path):
    from shared.config import _read_public_keys
    from shared.infra import secrets
    priv, pubdir = secrets.signing_keypair(tmp_path, "cripel")
    secrets.signing_keypair(tmp_path, "cai")
    assert priv.stat().st_mode & 0o777 == 0o600
    assert secrets.signing_keypair(tmp_path, "cripel") == (priv, pubdir)   # kept, not renewed
    public = _read_public_keys(str(pubdir))
    assert set(public) == {"cripel", "cai"}
    data = {**DATA, "signature": sign(BUNDLE_SIGNATURE, signed_part(DATA), priv.read_text())}
    check_sender(SimpleNamespace(centre="cai", config=SimpleNamespace(
        signing_public_keys=public)), _env(data))
    key_file = secrets.audit_key_file(tmp_path, "cripel")
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert len(secrets.audit_key(tmp_path, "cripel")) == 32
    assert secrets.audit_key(tmp_path, "cripel") != secrets.audit_key(tmp_path, "cai")
