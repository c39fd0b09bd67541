"""The centre services' apps at the door and on input (Flask test clients, in-memory
store; the same on the real stack: tests/e2e/security, tests/e2e/intake):
- the door: a token of this centre, one of the service's roles, a partner's operator
  id, before any body is parsed (403);
- request schemas (shared.web.schema): every string and list bounded, names and ids
  refusing invisible characters, ids by shape, plausible dates, every message French
  (English with Accept-Language: en)."""
from __future__ import annotations

import importlib
from datetime import timedelta

import pytest

from shared.config import Config
from shared.store.memory import memory_database
from shared import clock

SERVICES = {"intake": "accueil", "pathway": "coordination", "partners": "partenaire"}
ENGLISH_WORDS = ("Must be", "Longer than", "Shorter than", "Not a valid", "Invalid",
                 "Missing data", "Special numeric", "Length must", "Unknown field")


@pytest.fixture(scope="module")
def apps(issuer):
    out = {}
    for service in SERVICES:
        boot = importlib.import_module(f"services.{service}.bootstrap")
        web = importlib.import_module(f"services.{service}.app")
        config = Config(service=service, centre="cripel", kafka_bootstrap_servers="unused:1",
                        mongodb_uri="mongodb://unused:1", mongodb_db="unused",
                        jwt_public_key=issuer.public_key_file.read_text(),
                        jwt_issuer=issuer.issuer)
        out[service] = web.create_app(boot.bootstrap(config, db=memory_database()))
    return out


def call(apps, issuer, service, method, path, body=None, language="fr", token=None, **kw):
    token = token or issuer.token([SERVICES[service]], "cripel", operator_id="fle-liege")
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": language}
    return apps[service].test_client().open(path, method=method, json=body, headers=headers,
                                            **kw)


def messages(resp) -> list[str]:
    body = resp.get_json()
    return [m for ms in body.get("errors", {}).values() for m in ms] + [body["detail"]]


def assert_french(resp, field: str, *words: str):
    assert resp.status_code == 422, resp.get_data(as_text=True)
    assert resp.mimetype == "application/problem+json"
    errors = resp.get_json()["errors"]
    assert any(k == field or k.endswith("." + field) for k in errors), errors
    text = " ".join(messages(resp))
    assert not any(w in text for w in ENGLISH_WORDS), text
    for w in words:
        assert w in text, text


def request_schemas(spec: dict) -> list[dict]:
    """Every schema a request carries (bodies and query parameters), resolved."""
    components = spec.get("components", {}).get("schemas", {})
    found = []
    for item in spec["paths"].values():
        for op in item.values():
            if not isinstance(op, dict):
                continue
            for p in op.get("parameters", []):
                if p.get("in") == "query":
                    found.append((p["name"], p["schema"]))
            content = op.get("requestBody", {}).get("content", {})
            for media in content.values():
                found.append(("body", media["schema"]))
    out, seen = [], set()

    def walk(where, schema):
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            if name in seen:
                return
            seen.add(name)
            schema = components[name]
        out.append((where, schema))
        for key, sub in schema.get("properties", {}).items():
            walk(f"{where}.{key}", sub)
        for key in ("items", "additionalProperties"):
            if isinstance(schema.get(key), dict):
                walk(f"{where}[]", schema[key])
    for where, schema in found:
        walk(where, schema)
    return out


@pytest.mark.parametrize("service", SERVICES)
def test_every_request_string_and_list_is_bounded(apps, service):
    spec = apps[service].test_client().get("/api/v1/openapi.json").get_json()
    schemas = request_schemas(spec)
    assert schemas
    unbounded = [where for where, s in schemas
                 if s.get("type") == "string" and "enum" not in s and "maxLength" not in s
                 and s.get("format") != "date" and "pattern" not in s
                 or s.get("type") == "array" and "maxItems" not in s]
    assert unbounded == []


@pytest.mark.parametrize("roles, centre, operator", [
    (["accueil", "coordination", "partenaire", "dpo"], "cai", "fle-liege"),
    (["accueil", "coordination", "partenaire", "analyste", "auditeur", "dpo"], "region", None),
    (["partenaire"], "cripel", None),
    ([], "cripel", None),
])
@pytest.mark.parametrize("service, method, path", [
    ("intake", "POST", "/api/v1/probes"), ("intake", "GET", "/api/v1/reference/communes"),
    ("intake", "POST", "/api/v1/persons"), ("pathway", "GET", "/api/v1/pathways"),
    ("partners", "POST", "/api/v1/attendance"), ("partners", "POST", "/api/v1/probes"),
])
def test_the_door_refuses_before_reading_the_body(apps, issuer, roles, centre, operator,
                                                  service, method, path):
    token = issuer.token(roles or ["inconnu"], centre, operator_id=operator)
    resp = call(apps, issuer, service, method, path, {"not": "valid"}, token=token)
    assert resp.status_code == 403, resp.get_data(as_text=True)
    assert resp.get_json()["title"] == "Accès refusé"


@pytest.mark.parametrize("role, service, path", [
    ("partenaire", "intake", "/api/v1/persons"), ("partenaire", "pathway", "/api/v1/pathways"),
    ("accueil", "partners", "/api/v1/attendance"), ("partenaire", "partners", "/api/v1/probes"),
])
def test_a_role_the_route_does_not_take_is_refused_before_its_body(apps, issuer, role,
                                                                    service, path):
    token = issuer.token([role], "cripel", operator_id="fle-liege")
    assert call(apps, issuer, service, "POST", path, {"x": 1}, token=token).status_code == 403


def test_the_open_routes_stay_open(apps):
    for service in SERVICES:
        client = apps[service].test_client()
        for path in ("/healthz", "/metrics", "/api/v1/openapi.json"):
            assert client.get(path).status_code == 200, (service, path)


REGISTRATION = {"last_name": "Diop", "first_names": "Awa", "birth_date": "1990-05-17",
                "sex": "F", "nationality": "SN", "commune_nis": "62063", "permit_type": "B",
                "permit_order_date": "2025-06-01"}


@pytest.mark.parametrize("field, value, words", [
    ("last_name", "Diop\u202e", ("Caractère interdit",)),
    ("first_names", "A\u2066wa", ("Caractère interdit",)),
    ("last_name", "Di\x85op", ("Caractère interdit",)),                 # C1 control
    ("birth_date", "1800-01-01", ("Date hors limites", "1900-01-01")),
    ("birth_date", (clock.today() + timedelta(days=2)).isoformat(), ("Date hors limites",)),
    ("permit_order_date", "9999-12-31", ("Date hors limites",)),
    ("languages", ["fr"] * 11, ("Trop long : 10",)),
    ("sex", "Q", ("Doit être l'une des valeurs",)),
    ("national_number", "9" * 21, ("Trop long : 20",)),
])
def test_registration_input_is_refused_in_french(apps, issuer, field, value, words):
    resp = call(apps, issuer, "intake", "POST", "/api/v1/persons",
                {**REGISTRATION, field: value})
    assert_french(resp, field, *words)


def test_english_on_request(apps, issuer):
    resp = call(apps, issuer, "intake", "POST", "/api/v1/persons",
                {**REGISTRATION, "last_name": "Diop\u202e", "birth_date": "1800-01-01"},
                language="en")
    assert resp.status_code == 422
    errors = resp.get_json()["errors"]
    assert errors["last_name"] == ["Forbidden character (control character, NUL or "
                                   "bidirectional override)."]
    assert errors["birth_date"][0].startswith("Date out of range")


def test_a_homonym_needs_a_justification(apps, issuer):
    resp = call(apps, issuer, "intake", "POST", "/api/v1/persons",
                {**REGISTRATION, "homonym_confirmed": True})
    assert_french(resp, "homonym_justification", "justification")


ATTENDANCE = {"attendance_id": "fle-2026-001", "person_id":
              "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b", "training": "french", "hours": 3,
              "session_date": "2026-11-20"}


@pytest.mark.parametrize("field, value, words", [
    ("person_id", "../../etc/passwd", ("Identifiant de personne invalide",)),
    ("person_id", "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b\u202e", ("Identifiant",)),
    ("attendance_id", "a/../b", ("Identifiant invalide",)),
    ("attendance_id", "x" * 101, ("Identifiant invalide",)),
    ("hours", 30, ("Doit être inférieur ou égal à 24",)),        # 0: an absence
    ("hours", "NaN", ("NaN",)),
    ("training", "yoga", ("Doit être l'une des valeurs",)),
    ("session_date", "0001-01-01", ("Date hors limites",)),
])
def test_attendance_input_is_refused_in_french(apps, issuer, field, value, words):
    resp = call(apps, issuer, "partners", "POST", "/api/v1/attendance",
                {**ATTENDANCE, field: value})
    assert_french(resp, field, *words)


def test_an_empty_json_body_is_a_french_problem(apps, issuer):
    resp = call(apps, issuer, "partners", "POST", "/api/v1/attendance", data=b"",
                content_type="application/json")
    assert resp.status_code in (400, 422)
    assert not any(w in " ".join(messages(resp)) for w in ENGLISH_WORDS), messages(resp)


@pytest.mark.parametrize("path", ["/api/v1/pathways/not-a-uuid",
                                  "/api/v1/pathways/1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b%00",
                                  "/api/v1/transfers/..%5C..%5Cetc/accept"])
def test_path_ids_are_checked_by_shape(apps, issuer, path):
    method = "POST" if path.endswith("accept") else "GET"
    resp = call(apps, issuer, "pathway", method, path)
    assert resp.status_code in (404, 422), resp.get_data(as_text=True)
    if resp.status_code == 422:
        assert "Identifiant" in " ".join(messages(resp))


def test_a_page_out_of_range_is_french(apps, issuer):
    resp = call(apps, issuer, "pathway", "GET", "/api/v1/pathways?page_size=1000")
    assert_french(resp, "page_size", "Doit être supérieur ou égal à 1 et inférieur ou égal "
                                     "à 200")
