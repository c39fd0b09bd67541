"""Bearer token verification: what a valid token yields, what is refused, and that the
per-process memory of verified tokens changes no verdict (expiry, key, issuer)."""
from __future__ import annotations

import time

import jwt
import pytest

from shared.auth import DevIssuer, verify
from shared.errors import Unauthorized


@pytest.fixture(scope="module")
def issuer(tmp_path_factory):
    dev = DevIssuer(tmp_path_factory.mktemp("issuer"))
    dev.ensure_keys()
    return dev


@pytest.fixture(scope="module")
def other(tmp_path_factory):
    dev = DevIssuer(tmp_path_factory.mktemp("other"))
    dev.ensure_keys()
    return dev


def pem(dev: DevIssuer) -> str:
    return dev.public_key_file.read_text()


def test_a_valid_token_names_its_caller(issuer):
    who = verify(issuer.token(["accueil", "pirate"], "cripel", "agent-1"), pem(issuer), "cri-dev")
    assert (who.subject, who.roles, who.centre) == ("agent-1", {"accueil"}, "cripel")


def test_a_verified_token_is_refused_once_expired(issuer):
    # exp is whole seconds: a ttl of 1 issued at x.99 s has expired 0.01 s later
    token = issuer.token(["accueil"], "cripel", ttl=3)
    exp = jwt.decode(token, options={"verify_signature": False})["exp"]
    assert verify(token, pem(issuer), "cri-dev").subject
    while time.time() < exp:                     # the clock reaches the token's exp
        time.sleep(0.02)
    with pytest.raises(Unauthorized, match="expired"):   # remembered, expiry checked again
        verify(token, pem(issuer), "cri-dev")


def test_a_remembered_token_still_needs_the_same_key_and_issuer(issuer, other):
    token = issuer.token(["accueil"], "cripel")
    assert verify(token, pem(issuer), "cri-dev")
    with pytest.raises(Unauthorized):
        verify(token, pem(other), "cri-dev")
    with pytest.raises(Unauthorized):
        verify(token, pem(issuer), "keycloak")


def test_forged_and_malformed_tokens_are_401(issuer, other):
    forged = other.token(["dpo"], "cripel")           # signed by a key we do not trust
    header, payload, _ = issuer.token(["accueil"], "cripel").split(".")
    _, _, signature = forged.split(".")
    for token in (forged, f"{header}.{payload}.{signature}", "not-a-jwt", ""):
        with pytest.raises(Unauthorized):
            verify(token, pem(issuer), "cri-dev")
    with pytest.raises(Unauthorized):                  # a broken key file: 401, not 500
        verify(issuer.token(["accueil"], "cripel"), "-----BEGIN PUBLIC KEY-----\nxx", "cri-dev")


def test_verification_is_memoised_per_token(issuer, monkeypatch):
    token = issuer.token(["accueil"], "cripel")
    calls = []
    real = jwt.decode
    monkeypatch.setattr(jwt, "decode", lambda *a, **k: calls.append(1) or real(*a, **k))
    first = verify(token, pem(issuer), "cri-dev")
    assert verify(token, pem(issuer), "cri-dev") is first
    assert len(calls) == 1 and time.time() < first.claims["exp"]
