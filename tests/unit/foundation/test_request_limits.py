"""Every request body and string field has a limit; bad input is a French 4xx, never 5xx."""
from __future__ import annotations

import json

import pytest
from flask import Flask, request
from pymongo.errors import ServerSelectionTimeoutError

from shared.web import limits, problems

WRITES: list = []


@pytest.fixture
def client():
    app = Flask("t")
    problems.install(app)
    limits.install(app)

    @app.post("/echo")
    def echo():
        WRITES.append(request.get_json())
        return {"ok": True}, 201

    @app.get("/down")
    def down():
        raise ServerSelectionTimeoutError("no server")

    WRITES.clear()
    return app.test_client()


def post(client, raw: bytes):
    return client.post("/echo", data=raw, headers={"Content-Type": "application/json"})


@pytest.mark.parametrize("raw, status", [
    (json.dumps({"last_name": "x" * 2_000_000}).encode(), 413),
    (json.dumps({"last_name": "x" * (limits.MAX_STRING + 1)}).encode(), 422),
    (b'{"last_name": "\\ud800"}', 422),
    (b'{"last_name": "Dupont\\u0000"}', 422),
    (b"[" * 100_000 + b"]" * 100_000, 422),     # 200 kB: under the byte limit, too deep
    (b"[" * 40 + b"]" * 40, 422),
    (b'{"last_name": "\xff\xfe"}', 400),
    (b'{"last_name": ', 400),
])
def test_bad_bodies_are_french_problems_and_nothing_is_written(client, raw, status):
    resp = post(client, raw)
    assert resp.status_code == status
    assert resp.mimetype == "application/problem+json"
    body = resp.get_json()
    assert body["status"] == status and body["detail"]
    assert any(w in body["detail"] for w in ("requête", "champs", "JSON", "Kio", "niveaux"))
    assert WRITES == []


def test_a_deep_body_within_the_byte_limit_is_refused_without_recursion(client):
    raw = b"[" * 50_000 + b"]" * 50_000        # 100 kB: under the byte limit
    assert post(client, raw).status_code in (400, 422)


def test_ordinary_text_passes(client):
    resp = post(client, json.dumps({"last_name": "N'Diaye-Öztürk", "note": "ligne 1\nligne 2\t!"}
                                   ).encode())
    assert resp.status_code == 201 and len(WRITES) == 1


def test_a_store_outage_is_503_with_retry_after(client):
    resp = client.get("/down")
    assert resp.status_code == 503 and resp.headers["Retry-After"] == "5"
    assert "réessayez" in resp.get_json()["detail"]


def test_a_huge_page_number_is_a_french_422_not_a_500():
    from marshmallow import Schema, ValidationError

    from shared.web.paging import MAX_PAGE, page_field

    class Args(Schema):
        page = page_field()

    assert Args().load({"page": MAX_PAGE}) == {"page": MAX_PAGE}
    with pytest.raises(ValidationError) as err:
        Args().load({"page": 10**30})
    assert "page" in err.value.messages
