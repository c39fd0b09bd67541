"""The partners service's public directory page for newcomers (`/annuaire`, no sign-in)
in Chromium: an offer with free seats and an activity to come, both set up through the
API; French is the page's language, an Arabic description is laid out right-to-left
(its `dir` attribute and the browser's computed direction), and axe-core finds no
serious or critical violation."""
from __future__ import annotations

import uuid
from datetime import timedelta

from shared.clock import today as brussels_today
from tests.api_client import eventually
from tests.e2e.partners_flow import network, ok
from tests.e2e.portal.conftest import accessible, shot

CENTRE = "cripel"
ARABIC = "دروس اللغة الفرنسية للمبتدئين"


def test_the_public_directory_lists_offers_and_activities_right_to_left(stack, browser_page):
    tag = uuid.uuid4().hex[:8]
    today = brussels_today()
    net = network(stack, CENTRE, capacity=12, sessions=1)      # a session today: to come
    ok(net.coordination.put(f"/api/v1/directory/offers/{net.offer_id}", {"descriptions": [
        {"lang": "fr", "text": f"Cours de français pour débutants {tag}"},
        {"lang": "ar", "text": f"{ARABIC} {tag}"}]}))
    activity = f"Rencontre interculturelle {tag}"
    ok(net.coordination.post("/api/v1/activities", {
        "activity_id": f"act-annuaire-{tag}", "title": activity, "kind": "meeting",
        "theme": "interculturality", "commune_nis": "62022", "place": "Maison des associations",
        "starts_on": (today + timedelta(days=5)).isoformat(),
        "ends_on": (today + timedelta(days=5)).isoformat()}), 201)
    url = f"{stack.url(CENTRE, 'partners')}/annuaire?commune=62022"
    page = browser_page

    def listed():
        page.goto(url)
        text = page.locator("main").inner_text()
        return f"Cours {net.offer_id.split('-')[-1]}" in text and activity in text
    eventually(listed, timeout=120, interval=1)

    assert page.locator("html").get_attribute("lang") == "fr"
    offer = page.locator("article", has_text=f"Cours {net.offer_id.split('-')[-1]}")
    assert "12 places libres" in offer.inner_text()
    arabic = offer.locator('[lang="ar"]')
    assert arabic.count() == 1
    assert arabic.get_attribute("dir") == "rtl"
    assert arabic.evaluate("el => getComputedStyle(el).direction") == "rtl"
    assert tag in arabic.inner_text() and ARABIC in arabic.inner_text()
    french = offer.locator('div[lang="fr"]')
    assert french.evaluate("el => getComputedStyle(el).direction") == "ltr"
    assert "Maison des associations" in page.locator("article", has_text=activity).inner_text()
    shot(page, "annuaire-public")
    accessible(page)
