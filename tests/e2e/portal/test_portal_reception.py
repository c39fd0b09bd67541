"""Reception agents in the portal: register a person and see the eligibility decision;
a typo in the national number shows the French message next to the field and stores
nothing."""
from __future__ import annotations

import time
import uuid

from tests.e2e.portal.conftest import accessible, field, portal_url, shot, sign_in

# A national number for a person born 30/07/1985 with its last check digit mistyped
TYPO_NISS = "85.07.30-033.29"


def _fill_identity(page, last_name: str, niss: str | None) -> None:
    field(page, "Nom").fill(last_name)
    field(page, "Prénoms").fill("Samira")
    field(page, "Date de naissance").fill("30/07/1985")
    field(page, "Sexe").select_option("F")
    field(page, "Nationalité").select_option("SY")
    if niss:
        field(page, "Numéro national (NISS) ou BIS").fill(niss)
    field(page, "Commune").select_option(index=1)
    field(page, "Titre de séjour").select_option("refugee")
    field(page, "Date du titre de séjour").fill("02/09/2026")


def _search(page, text: str) -> None:
    """Submit the search form and wait for the results page (the click only starts it)."""
    field(page, "Nom, prénom ou numéro national").fill(text)
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("heading", name="Résultats").wait_for()


def test_an_agent_registers_a_person_and_sees_the_eligibility(stack, browser_page):
    page = browser_page
    sign_in(page, stack, "cripel", "accueil-cripel", then="/personnes/nouvelle")
    accessible(page)
    name = f"Portail{uuid.uuid4().hex[:6]}"
    _fill_identity(page, name, None)
    page.get_by_role("button", name="Inscrire").click()
    page.get_by_role("heading", name="Décision d'obligation").wait_for()
    assert page.get_by_text("Personne inscrite.").is_visible()
    decision = page.locator("section", has=page.get_by_role("heading",
                                                              name="Décision d'obligation"))
    assert "Public obligé" in decision.inner_text()
    assert "Version de la règle" in decision.inner_text()
    assert name in page.get_by_role("heading", level=1).inner_text()
    accessible(page)
    shot(page, "accueil-inscription-decision")
    # the person is found by the search, with accents and case ignored
    # (the directory is projected by intake's worker from the topic: the new file shows
    # within about a second, so the agent's search is made again until then, 20 s at most)
    page.get_by_role("link", name="Rechercher une personne").click()
    deadline = time.monotonic() + 20
    _search(page, name.upper())
    while not page.get_by_role("link", name=name).is_visible():
        assert page.get_by_text("apparaît dans la recherche").is_visible()
        assert time.monotonic() < deadline, "the new file never reached the search"
        _search(page, name.upper())
    accessible(page)


def test_a_typo_in_the_national_number_is_shown_next_to_the_field_and_stores_nothing(
        stack, browser_page):
    page = browser_page
    sign_in(page, stack, "cripel", "accueil-cripel", then="/personnes/nouvelle")
    name = f"Faute{uuid.uuid4().hex[:6]}"
    _fill_identity(page, name, TYPO_NISS)
    field_error = page.locator("#e-national_number")
    # checked as typed, before anything is sent
    assert "chiffre de contrôle" in field_error.inner_text()
    page.get_by_role("button", name="Inscrire").click()
    # the service's own French message, next to the field, and the form kept as typed
    page.locator(".alert").wait_for()
    assert field_error.is_visible() and field_error.inner_text().strip()
    assert field(page, "Nom").input_value() == name
    shot(page, "accueil-niss-faute")
    accessible(page)
    # nothing stored: the search finds no one of that name
    page.get_by_role("link", name="Rechercher une personne").click()
    _search(page, name)
    assert page.get_by_text("Aucune personne ne correspond.").is_visible()
    assert portal_url(stack, "cripel") in page.url


def test_the_registration_form_reads_on_a_phone_and_works_with_the_keyboard(stack, new_page):
    page = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    sign_in(page, stack, "cripel", "accueil-cripel", then="/personnes/nouvelle")
    # nothing wider than the screen: no sideways scrolling on a phone
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(page, "accueil-inscription-telephone")
    accessible(page)
    # keyboard only: the first Tab reaches « Aller au contenu », Enter moves to the content
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Aller au contenu"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"
    # then the fields in reading order, each with a visible focus ring
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "f-last_name"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "f-first_names"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
