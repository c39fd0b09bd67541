"""Bad input on the real stack: invisible characters in names and ids, ids by shape,
implausible dates -> 422 problem+json in French, nothing written; a registration that
matches a file of the centre -> 409 naming it, unless a confirmed homonym (recorded)."""
from __future__ import annotations

import uuid

import pytest

from shared.infra import secrets
from services.intake.adapters.cipher import PersonCipher
from shared.store.keys import KeyStore
from tests.e2e.intake import people


def problem(r, status: int, field: str, words: str) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["Content-Type"].startswith("application/problem+json")
    body = r.json()
    assert any(words in m for m in body["errors"][field]), body
    return body


@pytest.mark.parametrize("field, value, words", [
    ("last_name", "Dupont\u202eliamE", "Caractère interdit"),
    ("first_names", "Awa\u2067", "Caractère interdit"),
    ("last_name", "Dupont\x00", "caractère interdit"),
    ("birth_date", "1800-05-17", "Date hors limites"),
])
def test_a_registration_with_bad_names_or_dates_writes_nothing(intake, accueil, field, value,
                                                               words):
    before = intake.counts("cripel")
    r = accueil.post("/api/v1/persons", json=people.body(with_number=False, **{field: value}))
    problem(r, 422, field, words)
    assert intake.counts("cripel") == before


def test_ids_are_checked_by_shape(stack, mongo):
    partners = stack.client("cripel", "partners", "partenaire", operator_id="fle-a")
    commits = mongo["cri_cripel_partners"]["commits"]
    before = commits.count_documents({})
    report = {"attendance_id": f"iso-{uuid.uuid4().hex}", "person_id": str(uuid.uuid4()),
              "training": "french", "hours": 2, "session_date": "2026-01-05"}
    problem(partners.post("/api/v1/attendance", {**report, "person_id": "../../etc/passwd"}),
            422, "person_id", "Identifiant de personne invalide")
    problem(partners.post("/api/v1/attendance", {**report, "attendance_id": "a\u202eb"}),
            422, "attendance_id", "Identifiant invalide")
    problem(partners.post("/api/v1/attendance", {**report, "hours": 25}), 422, "hours",
            "Doit être inférieur ou égal à 24")        # 0 is an absence: allowed
    assert commits.count_documents({}) == before
    pathway = stack.client("cripel", "pathway", "coordination")
    problem(pathway.get("/api/v1/pathways/not-a-uuid"), 422, "person_id", "UUID")
    r = pathway.get("/api/v1/pathways/..%2F..%2Fetc%2Fpasswd")
    assert r.status_code in (404, 422), r.text


def test_the_same_person_twice_is_409_unless_a_confirmed_homonym(intake, accueil, var_home):
    body = people.body(with_number=False)
    first = accueil.post("/api/v1/persons", json=body)
    assert first.status_code == 201, first.text
    existing = first.json()["person_id"]
    before = intake.counts("cripel")
    again = accueil.post("/api/v1/persons", json={**body, "last_name": body["last_name"].upper()})
    assert again.status_code == 409, again.text
    assert again.json()["existing_person_id"] == existing
    assert existing in again.json()["detail"] and "homonyme" in again.json()["detail"]
    r = accueil.post("/api/v1/persons", json={**body, "homonym_confirmed": True})
    problem(r, 422, "homonym_justification", "justification")
    assert intake.counts("cripel")["commits"] == before["commits"]

    why = "Autre personne : l'agent a vu les deux titres de séjour, numéros différents."
    r = accueil.post("/api/v1/persons", json={**body, "homonym_confirmed": True,
                                               "homonym_justification": why})
    assert r.status_code == 201, r.text
    homonym = r.json()["person_id"]
    keys = KeyStore(intake.db("cripel")["commits"], secrets.master_key(var_home, "cripel"))
    registered = intake.store("cripel", PersonCipher(keys)).load(f"person-{homonym}").events[0]
    assert registered.data["personal"]["homonym"] == {"of": [existing], "justification": why}
    assert "homonym" not in registered.data       # only under the encrypted part
