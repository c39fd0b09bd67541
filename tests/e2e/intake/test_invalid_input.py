"""Invalid input: 422 problem+json with a French message naming the field, nothing
written (no commit, no key, no directory entry); English on request."""
from __future__ import annotations

from datetime import date, timedelta

from shared import clock

import pytest

from tests.e2e.intake import people

# the services' day (Europe/Brussels), not the machine's: from 23:00 UTC they differ
TOMORROW = (clock.today() + timedelta(days=1)).isoformat()

CASES = [
    # id, overrides, field, French words expected in the field's message
    ("bad-check-digits", {"national_number": "90.05.17-002.56"}, "national_number",
     "chiffres de contrôle"),
    ("number-vs-birth-date", {"national_number": "90.05.17-002.55", "birth": date(1991, 1, 2)},
     "national_number", "date de naissance"),
    ("unknown-commune", {"commune_nis": "99999"}, "commune_nis", "Commune inconnue"),
    ("commune-of-another-centre", {"commune_nis": "92094", "address": None}, "commune_nis",
     "relève du CAI"),
    ("commune-outside-wallonia", {"commune_nis": "21004", "address": None}, "commune_nis",
     "hors de la Wallonie"),
    ("birth-date-in-future", {"birth_date": TOMORROW}, "birth_date", "futur"),
    ("permit-date-in-future", {"permit_order_date": TOMORROW}, "permit_order_date", "futur"),
    ("missing-last-name", {"last_name": None}, "last_name", "obligatoire"),
    ("missing-birth-date", {"birth_date": None}, "birth_date", "obligatoire"),
    ("blank-first-names", {"first_names": ""}, "first_names", "longueur"),
    ("birth-date-wrong-type", {"birth_date": 19900517}, "birth_date", "Date invalide"),
    ("birth-date-not-a-date", {"birth_date": "17/05/1990"}, "birth_date", "Date invalide"),
    ("boolean-wrong-type", {"interpreter_needed": "peut-être"}, "interpreter_needed",
     "vrai/faux"),
    ("list-wrong-type", {"languages": "fr"}, "languages", "Liste attendue"),
    ("unknown-nationality", {"nationality": "ZZ"}, "nationality", "nationalité inconnu"),
    ("unknown-permit", {"permit_type": "Z"}, "permit_type", "titre de séjour inconnu"),
    ("missing-permit-date", {"permit_order_date": None}, "permit_order_date", "requise"),
    ("bad-email", {"email": "pas-une-adresse"}, "email", "e-mail invalide"),
    ("bad-sex", {"sex": "H"}, "sex", "Doit être l'une des valeurs"),
    ("postal-code-mismatch", {"address": {"street": "Rue X", "house_number": "1",
                                          "postal_code": "5000"}}, "address.postal_code",
     "ne correspond pas"),
    ("unknown-field", {"favourite_colour": "bleu"}, "favourite_colour", "Champ inconnu"),
    ("unknown-dispense-ground", {"dispenses": [{"ground": "tired", "evidence_ref": "x"}]},
     "ground", "Motif de dispense inconnu"),
]


@pytest.mark.parametrize("case, overrides, field, words", CASES, ids=[c[0] for c in CASES])
def test_invalid_registration_is_refused_and_writes_nothing(intake, accueil, case, overrides,
                                                            field, words):
    body = people.body(**overrides)
    before = intake.counts("cripel")
    r = accueil.post("/api/v1/persons", json=body)
    assert r.status_code == 422, r.text
    assert r.headers["Content-Type"].startswith("application/problem+json")
    problem = r.json()
    assert field in problem["errors"], problem
    assert any(words in m for m in problem["errors"][field]), problem["errors"][field]
    assert problem["title"] == "Données invalides"
    assert intake.counts("cripel") == before


def test_english_on_request(intake):
    client = intake.client("cripel", "accueil")
    client.session.headers["Accept-Language"] = "en"
    r = client.post("/api/v1/persons", json=people.body(last_name=None))
    assert r.status_code == 422
    assert r.json()["errors"]["last_name"] == ["Missing data for required field."]
    r = client.post("/api/v1/persons", json=people.body(national_number="90.05.17-002.56"))
    assert r.status_code == 422 and "check digits" in r.json()["detail"]


def test_invalid_updates_write_nothing(intake, accueil, register):
    f = register(people.body())
    path = f"/api/v1/persons/{f['person_id']}"
    before = intake.counts("cripel")
    bad = [
        ("put", "bilan-social", {"needs": {"astrology": {"need": True}}}, "needs.astrology"),
        ("put", "bilan-social", {"needs": {"housing": {"need": "oui"}}}, "needs.housing.value.need"),
        ("post", "french-tests", {"level": "A1", "test_date": TOMORROW, "tester": "T"},
         "test_date"),
        ("post", "french-tests", {"level": "Z9", "test_date": "2025-01-01", "tester": "T"},
         "level"),
        ("post", "consents", {"purpose": "referral", "recipients": ["voisin"], "given": True},
         "recipients"),
        ("post", "address", {"commune_nis": "99999"}, "commune_nis"),
        ("post", "dispenses", {"ground": "age", "evidence_ref": "x"}, "ground"),
    ]
    for method, sub, payload, field in bad:
        r = getattr(accueil, method)(f"{path}/{sub}", json=payload, etag=1)
        assert r.status_code == 422, (sub, r.text)
        assert field in r.json()["errors"], (sub, r.json())
    assert intake.counts("cripel") == before


def test_a_huge_page_number_is_a_french_422(accueil):
    r = accueil.get("/api/v1/persons", params={"page": 10**30})
    assert r.status_code == 422, r.text
    assert r.headers["Content-Type"].startswith("application/problem+json")
    assert "page" in r.json()["errors"]
