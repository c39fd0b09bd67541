"""The partners API under hostile input (Flask test client, in-memory store): every bad
request is a French problem+json 4xx and writes nothing; no input reaches a 5xx."""
from __future__ import annotations

import base64

import pytest

from shared.auth import DevIssuer
from shared.config import Config
from shared.store.memory import memory_database

from services.partners.app import create_app
from services.partners.bootstrap import bootstrap


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    issuer = DevIssuer(tmp_path_factory.mktemp("issuer"))
    issuer.ensure_keys()
    cfg = Config(service="partners", centre="cripel", kafka_bootstrap_servers="unused:1",
                 mongodb_uri="mongodb://unused:1", mongodb_db="unused",
                 jwt_public_key=issuer.public_key_file.read_text(),
                 master_key=base64.b64encode(b"k" * 32).decode())
    svc = bootstrap(cfg, db=memory_database())
    flask_app = create_app(svc)
    flask_app.config["issuer"], flask_app.config["svc"] = issuer, svc
    return flask_app


def headers(app, role="coordination", centre="cripel", operator=None, **extra):
    token = app.config["issuer"].token([role], centre, operator_id=operator)
    return {"Authorization": f"Bearer {token}", "Accept-Language": "fr", **extra}


def commits(app) -> int:
    return app.config["svc"].db["commits"].count_documents({})


OPERATOR = {"operator_id": "op-1", "name": "ASBL", "type": "ili", "approval": "approved"}


@pytest.mark.parametrize("method, path, body", [
    ("POST", "/api/v1/operators", {**OPERATOR, "name": "x" * 201}),
    ("POST", "/api/v1/operators", {**OPERATOR, "operator_id": "../../etc/passwd"}),
    ("POST", "/api/v1/operators", {**OPERATOR, "bce": "0203.201.341"}),     # bad check digits
    ("POST", "/api/v1/operators", {**OPERATOR, "communes": ["6206"]}),
    ("POST", "/api/v1/operators", {**OPERATOR, "staff": ["a"] * 201}),
    ("POST", "/api/v1/operators", {**OPERATOR, "name": "Dupont\u0000"}),
    ("POST", "/api/v1/operators", {**OPERATOR, "type": "mafia"}),
    ("POST", "/api/v1/agreements", {"agreement_id": "c", "operator_id": "op-1",
                                    "subject": "french", "valid_from": "2026-01-01",
                                    "valid_to": "2026-12-31", "quota_kind": "seats",
                                    "quota": 10 ** 30}),
    ("POST", "/api/v1/referrals", {"offer_id": "nope", "person_id": "p", "consent": False}),
    ("POST", "/api/v1/attendance", {"referral_id": "nope", "session_date": "2026-01-01",
                                    "hours": float("nan")}),
    ("GET", "/api/v1/referrals?page=1000000000000000000000000000000", None),
    ("GET", "/api/v1/offers?commune_nis=abc", None),
    ("GET", "/api/v1/referrals/does-not-exist", None),
    ("GET", "/api/v1/offers/does-not-exist", None),
    ("POST", "/api/v1/referrals/does-not-exist/acceptance", None),
])
def test_bad_requests_are_french_problems_and_write_nothing(app, method, path, body):
    before = commits(app)
    client = app.test_client()
    resp = client.open(path, method=method, json=body, headers=headers(app))
    assert 400 <= resp.status_code < 500, (resp.status_code, resp.get_data(as_text=True))
    assert resp.mimetype == "application/problem+json"
    assert resp.json["title"] and resp.json["detail"]
    assert not any(w in resp.json["detail"] for w in ("Must be", "Invalid", "Not a valid"))
    assert commits(app) == before


def test_csv_hostile_files_are_rejected_row_by_row_or_whole(app):
    client = app.test_client()
    h = headers(app, "partenaire", operator="op-1", **{"Content-Type": "text/csv"})
    nul = "orientation;date;heures\nabc\x00;2026-01-01;2\n".encode()
    r = client.post("/api/v1/attendance/csv", data=nul, headers=h)
    # never looked up (a NUL byte in a query is a PostgreSQL error under FerretDB)
    assert r.status_code == 200 and r.json["rejected"] == 1
    assert r.json["rejected_rows"][0]["reason"].startswith("orientation « abc? » illisible")
    wide = ("orientation;date;heures\n" + "x" * 200_000 + ";2026-01-01;2\n").encode()
    r = client.post("/api/v1/attendance/csv", data=wide, headers=h)
    assert r.status_code == 200 and r.json["rejected"] == 1
    assert r.json["rejected_rows"][0]["reason"] == "ligne illisible (un champ dépasse 128 Kio)"
    r = client.post("/api/v1/attendance/csv", data=b"\xff\xfe\x00o\x00r", headers=h)
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    r = client.post("/api/v1/attendance/csv", data=b"", headers=h)
    assert r.status_code == 422
    r = client.post("/api/v1/attendance/csv", data=b"a,b", headers={
        **h, "Content-Type": "application/json"})
    assert 400 <= r.status_code < 500
    # a partner account without an operator, another centre's token: 403
    for who in (headers(app, "partenaire"), headers(app, "partenaire", "cai", "op-1")):
        r = client.post("/api/v1/attendance/csv", data=nul,
                        headers={**who, "Content-Type": "text/csv"})
        assert r.status_code == 403, r.get_data(as_text=True)
    assert commits(app) == 0


def test_a_csv_over_the_row_limit_is_refused_whole_before_any_row(app, monkeypatch):
    from services.partners.service_layer import attendance
    monkeypatch.setattr(attendance, "MAX_ROWS", 3)
    client = app.test_client()
    h = headers(app, "partenaire", operator="op-1", **{"Content-Type": "text/csv"})
    rows = "".join(f"r-{n};2026-01-01;2\n" for n in range(4))
    judged = []
    command_for = attendance.command_for
    monkeypatch.setattr(attendance, "command_for",
                        lambda *a: judged.append(a[-1]) or command_for(*a))
    r = client.post("/api/v1/attendance/csv", data=f"orientation;date;heures\n{rows}".encode(),
                    headers=h)
    assert r.status_code == 413 and r.mimetype == "application/problem+json"
    assert "plus de 3 lignes" in r.json["detail"] and judged == []
    # at the limit (blank lines not counted): read, each row judged
    r = client.post("/api/v1/attendance/csv", headers=h,
                    data=f"orientation;date;heures\n\n{rows.split(chr(10), 1)[1]}".encode())
    assert r.status_code == 200 and r.json["rows"] == 3 and r.json["rejected"] == 3
    assert len(judged) == 3 and commits(app) == 0
