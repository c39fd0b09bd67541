"""Who sees what in the portal, tried as a hostile user would: another centre's person by
URL, the wrong role, a session that expires in the middle of a form (nothing typed is
lost), a sign-in that tries to send the user elsewhere."""
from __future__ import annotations

import time
import uuid

import requests

from tests.e2e.portal.conftest import accessible, field, portal_url, shot, sign_in


def _register(stack, centre: str, last_name: str) -> str:
    body = {"last_name": last_name, "first_names": "Nour", "birth_date": "1990-04-02",
            "sex": "F", "nationality": "SY", "commune_nis": "62063" if centre == "cripel"
            else "52011", "permit_type": "refugee", "permit_order_date": "2026-09-01"}
    r = stack.client(centre, "intake", "accueil").post("/api/v1/persons", json=body)
    assert r.status_code == 201, r.text
    return r.json()["person_id"]


def test_another_centres_person_is_never_shown_even_by_url(stack, browser_page):
    name = f"Isole{uuid.uuid4().hex[:6]}"
    pid = _register(stack, "cripel", name)
    page = browser_page
    sign_in(page, stack, "cai", "accueil-cai")
    page.goto(f"{portal_url(stack, 'cai')}/personnes/{pid}")
    assert page.get_by_role("heading", level=1).inner_text() in ("Page introuvable",
                                                                 "Accès refusé")
    assert name not in page.content()
    shot(page, "isolation-autre-centre")
    accessible(page)
    # the same id at its own centre: shown
    sign_in(page, stack, "cripel", "accueil-cripel")
    page.goto(f"{portal_url(stack, 'cripel')}/personnes/{pid}")
    assert name in page.get_by_role("heading", level=1).inner_text()


def test_the_wrong_role_gets_the_refusal_page_and_no_menu_entry(stack, browser_page):
    pid = _register(stack, "cripel", f"Role{uuid.uuid4().hex[:6]}")
    page = browser_page
    base = portal_url(stack, "cripel")
    sign_in(page, stack, "cripel", "partenaire-ili-cripel")
    assert page.get_by_role("link", name="Inscrire une personne").count() == 0
    for path in ("/personnes", "/personnes/nouvelle", f"/personnes/{pid}"):
        response = page.goto(base + path)
        assert response.status == 403, path
        assert page.get_by_role("heading", level=1).inner_text() == "Accès refusé"
    shot(page, "role-refuse")
    accessible(page)
    sign_in(page, stack, "cripel", "analyste-region")     # a region user: no person at all
    assert page.goto(f"{base}/personnes/{pid}").status == 403
    # a page number no one would type, and a person id that is not one: 4xx pages
    sign_in(page, stack, "cripel", "accueil-cripel")
    assert page.goto(f"{base}/personnes/..%2F..%2Fetc%2Fpasswd").status == 404
    assert page.goto(f"{base}/personnes/{'x' * 5000}").status in (404, 414)


def test_a_session_that_expires_mid_form_keeps_what_was_typed(stack, browser_page):
    page = browser_page
    base = portal_url(stack, "cripel")
    page.goto(f"{base}/connexion?next=/personnes/nouvelle")
    page.get_by_label("Durée de validité du jeton").select_option("20")
    page.locator('button[name="user"][value="accueil-cripel"]').click()
    page.wait_for_url(f"{base}/personnes/nouvelle")
    signed_in_at = time.time()
    name = f"Expire{uuid.uuid4().hex[:6]}"
    field(page, "Nom").fill(name)
    field(page, "Prénoms").fill("Yonas")
    field(page, "Date de naissance").fill("12/03/1992")
    field(page, "Sexe").select_option("M")
    field(page, "Nationalité").select_option("ER")
    field(page, "Commune").select_option(index=1)
    field(page, "Titre de séjour").select_option("refugee")
    field(page, "Date du titre de séjour").fill("01/10/2026")
    # the token lives 20 s; the portal treats it as expired 10 s before its end
    while time.time() < signed_in_at + 11:
        page.wait_for_timeout(500)
    page.get_by_role("button", name="Inscrire").click()
    # sent back to the provider's sign-in page, then to the form as it was typed
    page.locator('button[name="user"][value="accueil-cripel"]').click()
    page.wait_for_url(f"{base}/personnes/nouvelle")
    assert field(page, "Nom").input_value() == name
    assert field(page, "Date de naissance").input_value() == "12/03/1992"
    assert field(page, "Nationalité").input_value() == "ER"
    assert field(page, "Date du titre de séjour").input_value() == "01/10/2026"
    shot(page, "session-expiree-formulaire-garde")
    page.get_by_role("button", name="Inscrire").click()
    page.get_by_text("Personne inscrite.").wait_for()
    assert name in page.get_by_role("heading", level=1).inner_text()


def test_sign_in_never_sends_the_user_to_another_site(stack, browser_page):
    page = browser_page
    base = portal_url(stack, "cripel")
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        sign_in(page, stack, "cripel", "accueil-cripel", then=target)
        assert page.url.startswith(base + "/"), target


def test_a_form_without_its_csrf_token_changes_nothing(stack, browser_page):
    page = browser_page
    base = portal_url(stack, "cripel")
    sign_in(page, stack, "cripel", "accueil-cripel")
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    name = f"Csrf{uuid.uuid4().hex[:6]}"
    r = requests.post(f"{base}/personnes/nouvelle", cookies=cookies, timeout=30, data={
        "last_name": name, "first_names": "X", "birth_date": "01/01/1990", "sex": "F",
        "nationality": "SY", "commune_nis": "62063", "permit_type": "refugee"})
    assert r.status_code == 400 and "Formulaire expiré" in r.text
    found = stack.client("cripel", "intake", "accueil").post(
        "/api/v1/persons/search", json={"q": name}).json()
    assert found["total"] == 0


def test_hostile_form_input_gets_a_french_4xx_page_and_writes_nothing(stack, browser_page):
    import re
    page = browser_page
    base = portal_url(stack, "cripel")
    sign_in(page, stack, "cripel", "accueil-cripel", then="/personnes/nouvelle")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.content()).group(1)
    session = requests.Session()
    for c in page.context.cookies():
        session.cookies.set(c["name"], c["value"])
    marker = f"Hostile{uuid.uuid4().hex[:6]}"
    good = {"csrf_token": token, "first_names": "X", "birth_date": "01/01/1990", "sex": "F",
            "nationality": "SY", "commune_nis": "62063", "permit_type": "refugee",
            "permit_order_date": "01/10/2026"}
    tries = {
        "2 MB name": {**good, "last_name": marker + "x" * 2_000_000},
        "NUL byte": {**good, "last_name": marker + "\x00b"},
        # invalid UTF-8 (a lone surrogate's bytes) is dropped by the form parser: the name
        # is then missing, a 422 with its message
        "lone surrogate": f"csrf_token={token}&last_name={marker}".encode() + b"\xed\xa0\x80"
                          b"&first_names=X&birth_date=01/01/1990&sex=F&nationality=SY"
                          b"&commune_nis=62063&permit_type=refugee&permit_order_date=01/10/2026",
        "right-to-left override": {**good, "last_name": marker + "\u202egnp.exe"},
        "birth in 1800": {**good, "last_name": marker, "birth_date": "01/01/1800"},
    }
    for name, data in tries.items():
        headers = {"Content-Type": "application/x-www-form-urlencoded"} \
            if isinstance(data, bytes) else {}
        r = session.post(f"{base}/personnes/nouvelle", data=data, headers=headers, timeout=60)
        assert 400 <= r.status_code < 500, (name, r.status_code)
        assert 'lang="fr"' in r.text and "Erreur interne" not in r.text, name
    for path in ("/personnes?page=" + "9" * 40, "/files?page=-1", "/personnes/%00"):
        r = session.get(base + path, timeout=30)
        assert r.status_code < 500, path
    found = stack.client("cripel", "intake", "accueil").post(
        "/api/v1/persons/search", json={"q": marker}).json()
    assert found["total"] == 0
