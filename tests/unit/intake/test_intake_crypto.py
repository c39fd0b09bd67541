"""Per-person encryption: roundtrip, tamper detection, key wrapping."""
import base64

import pytest

from shared.crypto import (CryptoError, decrypt_json, encrypt_json, new_data_key,
                                           unwrap_key, wrap_key)

PERSONAL = {"last_name": "Diop", "first_names": "Ngoné", "birth_date": "1990-05-17",
            "notes": "Arrivée via regroupement familial — « priorité logement »", "n": [1, None]}
AAD = b"person:7f0c/event:42"


def test_roundtrip_preserves_unicode_payload():
    key = new_data_key()
    token = encrypt_json(PERSONAL, key, AAD)
    assert decrypt_json(token, key, AAD) == PERSONAL
    assert "Diop" not in token and "Diop" not in base64.b64decode(token).decode("latin-1")


def test_random_nonce_makes_ciphertexts_differ():
    key = new_data_key()
    assert encrypt_json(PERSONAL, key, AAD) != encrypt_json(PERSONAL, key, AAD)


def test_data_keys_are_256_bit_and_fresh():
    a, b = new_data_key(), new_data_key()
    assert len(a) == 32 and a != b


def test_wrong_aad_fails():
    key = new_data_key()
    token = encrypt_json(PERSONAL, key, AAD)
    with pytest.raises(CryptoError):
        decrypt_json(token, key, b"person:other/event:42")


def test_wrong_key_fails():
    token = encrypt_json(PERSONAL, new_data_key(), AAD)
    with pytest.raises(CryptoError):
        decrypt_json(token, new_data_key(), AAD)


@pytest.mark.parametrize("position", [0, 11, 12, 20, -17, -1])   # nonce, body, tag
def test_any_flipped_byte_fails(position):
    key = new_data_key()
    raw = bytearray(base64.b64decode(encrypt_json(PERSONAL, key, AAD)))
    raw[position] ^= 0x01
    with pytest.raises(CryptoError):
        decrypt_json(base64.b64encode(bytes(raw)).decode(), key, AAD)


@pytest.mark.parametrize("token", ["", "not base64!", base64.b64encode(b"short").decode()])
def test_garbage_fails_cleanly(token):
    with pytest.raises(CryptoError):
        decrypt_json(token, new_data_key(), AAD)


def test_key_wrap_roundtrip_and_wrong_master():
    master, data_key = new_data_key(), new_data_key()
    wrapped = wrap_key(data_key, master)
    assert base64.b64decode(wrapped) != data_key and len(base64.b64decode(wrapped)) == 40
    assert unwrap_key(wrapped, master) == data_key
    with pytest.raises(CryptoError):
        unwrap_key(wrapped, new_data_key())


def test_tampered_wrapped_key_fails():
    master = new_data_key()
    raw = bytearray(base64.b64decode(wrap_key(new_data_key(), master)))
    raw[5] ^= 0x80
    with pytest.raises(CryptoError):
        unwrap_key(base64.b64encode(bytes(raw)).decode(), master)


def test_crypto_shredding_end_to_end():
    """Destroying the wrapped key leaves ciphertext nobody can read, even with the master."""
    master, data_key = new_data_key(), new_data_key()
    stored = {"key": wrap_key(data_key, master), "personal": encrypt_json(PERSONAL, data_key, AAD)}
    assert decrypt_json(stored["personal"], unwrap_key(stored["key"], master), AAD) == PERSONAL
    del stored["key"]
    with pytest.raises(CryptoError):
        decrypt_json(stored["personal"], new_data_key(), AAD)
