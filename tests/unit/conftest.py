"""Fixtures shared by unit tests that call a service's Flask app with real tokens."""
from __future__ import annotations

import pytest

from shared.auth import DevIssuer


@pytest.fixture(scope="module")
def issuer(tmp_path_factory) -> DevIssuer:
    """A dev token issuer with its own key pair (the apps verify with its public key)."""
    issuer = DevIssuer(tmp_path_factory.mktemp("issuer"))
    issuer.ensure_keys()
    return issuer
