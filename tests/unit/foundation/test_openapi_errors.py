"""Every service's OpenAPI document describes its errors as they are sent: RFC 9457
problem+json (`shared/web/openapi.py`). The live check is schemathesis on the running
stack (tests/e2e/zzz_openapi); this one runs without infrastructure."""
from __future__ import annotations

import jsonschema_rs
import pytest

from shared.auth import DevIssuer
from shared.config import Config
from shared.store.memory import memory_database
from shared.web.problems import CONTENT_TYPE


def _app(service: str, issuer: DevIssuer):
    import importlib
    boot = importlib.import_module(f"services.{service}.bootstrap")
    app_module = importlib.import_module(f"services.{service}.app")
    config = Config(service=service, centre="region" if service == "reporting" else "cripel",
                    kafka_bootstrap_servers="unused:1", mongodb_uri="mongodb://unused:1",
                    mongodb_db="unused", jwt_public_key=issuer.public_key_file.read_text())
    return app_module.create_app(boot.bootstrap(config, db=memory_database()))


@pytest.fixture(scope="module")
def issuer(tmp_path_factory) -> DevIssuer:
    issuer = DevIssuer(tmp_path_factory.mktemp("issuer"))
    issuer.ensure_keys()
    return issuer


@pytest.fixture(scope="module", params=["intake", "pathway", "partners", "reporting"])
def service(request, issuer):
    client = _app(request.param, issuer).test_client()
    return client, client.get("/api/v1/openapi.json").json


def _resolve(doc: dict, node: dict) -> dict:
    while "$ref" in node:
        kind, name = node["$ref"].split("/")[-2:]
        node = doc["components"][kind][name]
    return node


def _operations(doc: dict):
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method != "parameters":
                yield path, method, op


def test_every_error_response_is_problem_json(service):
    _, doc = service
    seen = 0
    for path, method, op in _operations(doc):
        for status, response in op["responses"].items():
            if status == "default" or int(status) >= 400:
                content = _resolve(doc, response)["content"]
                assert list(content) == [CONTENT_TYPE], (method, path, status)
                assert content[CONTENT_TYPE]["schema"] == {
                    "$ref": "#/components/schemas/Problem"}, (method, path, status)
                seen += 1
    assert seen > 0


def test_every_operation_documents_the_shared_errors(service):
    _, doc = service
    for path, method, op in _operations(doc):
        expected = {"422", "503", "default"}
        if op.get("security") != []:
            expected |= {"401", "403"}
        if method in ("post", "put"):
            expected |= {"400", "409", "413"}
        if "{" in path:
            expected |= {"404"}
        assert expected <= set(op["responses"]), (method, path)


def test_an_error_sent_matches_the_documented_problem_schema(service):
    client, doc = service
    schema = {**doc["components"]["schemas"]["Problem"], "components": doc["components"]}
    validator = jsonschema_rs.validator_for(schema)
    for path, method, op in _operations(doc):
        if op.get("security") == [] or "{" in path:
            continue
        resp = client.open(path, method=method.upper())  # no token (no body: 422 first)
        assert resp.status_code in (401, 422), (method, path)
        assert resp.mimetype == CONTENT_TYPE
        validator.validate(resp.json)


def test_a_method_not_allowed_names_the_allowed_ones(service):
    client, doc = service
    path = next(p for p in doc["paths"] if "{" not in p)
    resp = client.open(path, method="TRACE")
    assert resp.status_code == 405 and resp.mimetype == CONTENT_TYPE
    allowed = {m.strip() for m in resp.headers["Allow"].split(",")}
    assert {m.upper() for m in doc["paths"][path] if m != "parameters"} <= allowed


def test_a_too_long_address_is_a_french_414(service):
    client, doc = service
    path = next(p for p in doc["paths"] if "{" not in p)
    resp = client.get(path + "?q=" + "x" * 9000)
    assert resp.status_code == 414 and resp.mimetype == CONTENT_TYPE
    assert "trop longue" in resp.json["title"] and "Kio" in resp.json["detail"]


def test_an_excluded_bound_is_documented(issuer):
    doc = _app("partners", issuer).test_client().get("/api/v1/openapi.json").json
    hours = doc["components"]["schemas"]["SessionIn"]["properties"]["hours"]   # a session's length
    assert hours["minimum"] == 0 and hours["exclusiveMinimum"] is True
    assert "exclusiveMaximum" not in hours      # 24 h itself is allowed
