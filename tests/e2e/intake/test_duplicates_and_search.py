"""Cross-centre duplicates through the regional pseudonym index, and name search over
the blind index (partial, case- and accent-insensitive) within the centre."""
from __future__ import annotations

from tests.api_client import eventually
from tests.e2e.intake import people


def test_the_other_centre_learns_the_centre_and_nothing_else(intake, register):
    body = people.body("cripel")
    first = register(body)
    assert first["also_followed_in"] == []
    cai = intake.client("cai", "accueil")
    number = body["national_number"]

    def known_in_cripel():
        r = cai.post("/api/v1/duplicates/lookup", json={"national_number": number.replace(".", "")
                                                  .replace("-", "")})
        assert r.status_code == 200, r.text
        assert r.json()["followed_in"] == ["cripel"], r.json()
        return r.json()
    answer = eventually(known_in_cripel, 90)
    assert answer == {"pseudonym_strength": "strong", "followed_in": ["cripel"],
                      "in_this_centre": []}
    moved = people.body("cai", national_number=number, birth_date=body["birth_date"],
                        sex=body["sex"])
    r = cai.post("/api/v1/persons", json=moved)
    assert r.status_code == 201, r.text
    assert r.json()["also_followed_in"] == ["cripel"]
    text = r.text
    for leaked in (first["person_id"], body["last_name"], body["address"]["street"],
                   body["email"]):
        assert leaked not in text
    # the same number twice in one centre is refused, naming the existing file
    again = intake.client("cripel", "accueil").post("/api/v1/persons", json=people.body(
        "cripel", national_number=number, birth_date=body["birth_date"], sex=body["sex"]))
    assert again.status_code == 409
    assert again.json()["existing_person_id"] == first["person_id"]


def test_weak_pseudonym_without_a_number(intake, register):
    body = people.body("cripel", with_number=False)
    f = register(body)
    assert f["pseudonym_strength"] == "weak"
    cai = intake.client("cai", "coordination")
    params = {"last_name": body["last_name"].upper(), "first_names": body["first_names"],
              "birth_date": body["birth_date"], "nationality": "sy"}
    eventually(lambda: cai.post("/api/v1/duplicates/lookup", json=params).json()["followed_in"]
               == ["cripel"], 90)
    r = cai.post("/api/v1/duplicates/lookup", json={"last_name": "X"})
    assert r.status_code == 422 and "birth_date" in r.json()["errors"]


def test_search_is_partial_and_ignores_case_and_accents(accueil, register):
    stem = people.word(3)
    a = register(people.body(last_name=f"Ngoné-{stem.capitalize()}", first_names="Awa"))
    b = register(people.body(last_name=f"{stem.upper()}zé", first_names="Éloïse Marie"))
    c = register(people.body(last_name="Ngom", first_names=f"Ibrahima {stem}"))

    def found(q, **params):
        r = accueil.post("/api/v1/persons/search", json={"q": q, **params})
        assert r.status_code == 200, r.text
        return {i["person_id"] for i in r.json()["items"]}, r.json()

    plain = stem.replace("é", "e").replace("ã", "a").replace("ż", "z")
    everyone = {a["person_id"], b["person_id"], c["person_id"]}
    ids, page = eventually(lambda: (r := found(plain)) and everyone <= r[0] and r, 30)
    assert set(page) == {"items", "total", "page", "page_size"}
    assert found(f"ngone {plain[:4]}")[0] >= {a["person_id"]}
    assert c["person_id"] not in found(f"ngone {plain[:4]}")[0]
    assert found(f"{plain.upper()}ZE")[0] == {b["person_id"]}
    assert found("eloise " + plain[2:6])[0] == {b["person_id"]}
    item = next(i for i in found(plain)[1]["items"] if i["person_id"] == b["person_id"])
    assert item["first_names"] == "Éloïse Marie" and item["status"] == "obligated"
    ids, page = found(plain, page_size=2, page=1)
    assert len(page["items"]) == 2 and page["total"] >= 3
    assert not found("zzqqxxw")[0]
    assert accueil.post("/api/v1/persons/search", json={"q": "a"}).status_code == 422


def test_list_with_filters_and_pagination(accueil, register):
    r = accueil.get("/api/v1/persons", params={"status": "obligated", "commune": "62063",
                                               "page_size": 5})
    assert r.status_code == 200
    page = r.json()
    assert page["page"] == 1 and page["page_size"] == 5 and len(page["items"]) <= 5
    assert all(i["status"] == "obligated" and i["commune_nis"] == "62063"
               for i in page["items"])
    assert all("national_number" not in i and "email" not in i for i in page["items"])


def test_personal_criteria_are_refused_in_a_url(intake, accueil, register):
    """A name or a national number has no place in a query string (access logs): the
    list refuses `q`, the duplicate lookup exists only as POST with a JSON body."""
    body = register(people.body())["identity"]
    r = accueil.get("/api/v1/persons", params={"q": body["last_name"]})
    assert r.status_code == 422 and "q" in r.json()["errors"], r.text
    assert body["last_name"] not in r.text
    assert accueil.get("/api/v1/duplicates/lookup", params={
        "national_number": "85073003328"}).status_code == 405
    assert accueil.get("/api/v1/duplicates", params={
        "national_number": "85073003328"}).status_code == 404
    # the search answers the same page shape, from the body
    page = eventually(lambda: (r := accueil.post("/api/v1/persons/search", json={
        "q": body["last_name"], "page_size": 5})).json()["total"] >= 1 and r.json(), 30)
    assert set(page) == {"items", "total", "page", "page_size"} and page["page_size"] == 5
    assert accueil.post("/api/v1/persons/search", json={"q": body["last_name"],
                                                        "unknown": 1}).status_code == 422
    assert intake.client("cripel", "partenaire").post(
        "/api/v1/persons/search", json={"q": body["last_name"]}).status_code == 403
