"""Intake's adapters on the real store (FerretDB or MongoDB): sealed transfer boxes, the
per-person cipher with crypto-shredding, the regional pseudonym index (idempotent), the
blind-index directory search."""
from __future__ import annotations

import base64
import os
import uuid
from datetime import date

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from shared.errors import DomainRuleViolation
from shared.events.envelope import Envelope
from shared.sealed import SealError, open_sealed, seal
from services.intake.adapters.cipher import PersonCipher
from services.intake.adapters.directory import Directory
from shared.store.keys import KeyStore
from services.intake.adapters.pseudonyms import PseudonymIndex
from services.intake.domain.person_state import PersonState
from shared.store.erasure import Tombstones

MASTER = base64.b64encode(os.urandom(32)).decode()


def _pair() -> tuple[str, str]:
    key = X25519PrivateKey.generate()
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo)
    return private, public.decode()


def test_sealed_box_opens_only_for_its_recipient():
    private, public = _pair()
    other, _ = _pair()
    box = seal("Dossier de Ngoné Diop".encode(), public)
    assert "Ngoné".encode() not in box and seal(b"x", public) != seal(b"x", public)
    assert open_sealed(box, private) == "Dossier de Ngoné Diop".encode()
    with pytest.raises(SealError):
        open_sealed(box, other)
    with pytest.raises(SealError):
        open_sealed(box[:-1] + bytes([box[-1] ^ 1]), private)


def test_cipher_encrypts_personal_and_shreds_with_the_key(fresh_db):
    keys = KeyStore(fresh_db["keys"], MASTER)
    cipher = PersonCipher(keys)
    pid = str(uuid.uuid4())
    stored = cipher.encrypt(f"person-{pid}", {"sex": "F", "personal": {"last_name": "Diop"}})
    assert stored["sex"] == "F" and "Diop" not in str(stored)
    assert cipher.decrypt(f"person-{pid}", stored)["personal"] == {"last_name": "Diop"}
    assert cipher.encrypt(f"access-{pid}-x", {"read_by": "a"}) == {"read_by": "a"}
    assert keys.destroy(pid) and not keys.destroy(pid)
    fresh = PersonCipher(KeyStore(fresh_db["keys"], MASTER))      # no cached key
    assert fresh.decrypt(f"person-{pid}", stored)["personal"] is None


def _env(centre: str, kind: str, pid: str, pseudonym: str, version: int) -> Envelope:
    return Envelope(f"person-{pid}:{version}", f"/cri/{centre}/intake", f"intake.{kind}", 1,
                    "", f"person-{pid}", f"{version:010d}.000",
                    {"person_id": pid, "pseudonym": pseudonym, "pseudonym_strength": "strong"})


def test_pseudonym_index_is_idempotent_and_follows_transfers(fresh_db):
    seen: list[str] = []
    index = PseudonymIndex(fresh_db["pseudonyms"], "cripel", seen.append,
                           Tombstones(fresh_db["erased"]))
    p, a, b = "a" * 32, str(uuid.uuid4()), str(uuid.uuid4())
    index.apply([_env("cripel", "PersonRegistered", a, p, 1)])
    assert seen == []                 # our own file: the registration sighted it already
    events = [_env("cripel", "PersonRegistered", a, p, 1), _env("cai", "PersonRegistered", b, p, 1)]
    index.apply(events)
    index.apply(events)                                   # redelivered
    assert index.centres(p) == ["cai", "cripel"]
    assert seen == [p]                # once, at the first entry of another centre
    index.apply([_env("cripel", "PersonTransferredOut", a, p, 2),
                 _env("cripel", "PersonRegistered", a, p, 1)])    # old one again: skipped
    assert index.centres(p) == ["cai"]
    assert index.centres("b" * 32) == []


def test_erasure_drops_the_pseudonym_and_the_id_from_the_index_for_good(fresh_db):
    index = PseudonymIndex(fresh_db["pseudonyms"], "cripel", lambda p: None,
                           Tombstones(fresh_db["erased"]))
    p, q, a, b = "c" * 32, "d" * 32, str(uuid.uuid4()), str(uuid.uuid4())
    index.apply([_env("cripel", "PersonRegistered", a, p, 1),
                 _env("cai", "PersonRegistered", b, q, 1)])
    index.apply([_env("cripel", "PersonErased", a, p, 3)])
    assert index.centres(p) == [] and fresh_db["pseudonyms"].find_one({"pseudonym": p}) is None
    # an older event of the erased file, redelivered, does not bring it back
    index.apply([_env("cripel", "PersonRegistered", a, p, 1),
                 _env("cripel", "AddressChanged", a, p, 2)])
    assert fresh_db["pseudonyms"].find_one({"pseudonym": p}) is None
    raw = str(list(fresh_db["pseudonyms"].find({}))) + str(list(fresh_db["erased"].find({})))
    assert a not in raw and p not in raw
    assert index.centres(q) == ["cai"]       # someone else's file is untouched


def test_a_destroyed_key_leaves_no_person_id_and_is_never_recreated(fresh_db):
    keys = KeyStore(fresh_db["keys"], MASTER)
    pid = str(uuid.uuid4())
    keys.create(pid)
    assert keys.destroy(pid)
    assert pid not in str(list(fresh_db["keys"].find({})))
    assert keys.status(pid)["destroyed_at"] is not None
    with pytest.raises(DomainRuleViolation):
        KeyStore(fresh_db["keys"], MASTER).get_or_create(pid)


def test_directory_finds_names_without_storing_them(fresh_db):
    keys = KeyStore(fresh_db["keys"], MASTER)
    directory = Directory(fresh_db["directory"], keys, MASTER)
    people = {}
    for last, first in (("N'Diaye", "Aïssatou"), ("Ndiaye-Sarr", "Moussa"), ("Dupont", "Léa")):
        pid = str(uuid.uuid4())
        people[last] = pid
        directory.record(PersonState(person_id=pid, centre="cripel", final_status="obligated",
                                     commune_nis="62063", registered_on="2025-03-01",
                                     personal={"last_name": last, "first_names": first,
                                               "birth_date": "1990-01-01"}), 1)
    raw = str(list(fresh_db["directory"].find({})))
    assert "Diaye" not in raw and "Dupont" not in raw
    items, total = directory.search("ndiaye", {}, 1, 20)
    assert total == 2 and {i["person_id"] for i in items} == {people["N'Diaye"],
                                                              people["Ndiaye-Sarr"]}
    assert directory.search("AISSA", {}, 1, 20)[0][0]["first_names"] == "Aïssatou"
    assert directory.search("lea dup", {"status": "obligated"}, 1, 20)[1] == 1
    assert directory.search("zzz", {}, 1, 20) == ([], 0)
    directory.record(PersonState(person_id=people["Dupont"], erased=True), 2)
    assert directory.search("dupont", {}, 1, 20)[1] == 0
    assert date.fromisoformat(directory.search(None, {}, 1, 1)[0][0]["birth_date"])
