"""Swagger UI works on a machine without internet: its assets are the service's own."""
from __future__ import annotations

from urllib.parse import urlsplit

from tests.e2e.portal.conftest import shot


def test_swagger_ui_renders_from_the_services_own_assets(stack, browser_page):
    page = browser_page
    base = stack.url("cripel", "intake")
    foreign = []

    def route(r):
        if urlsplit(r.request.url).netloc != urlsplit(base).netloc:
            foreign.append(r.request.url)
            r.abort()          # as offline: anything from elsewhere fails
        else:
            r.continue_()
    page.route("**/*", route)
    page.goto(f"{base}/api/v1/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "accueil" in page.locator(".swagger-ui .info .title").inner_text()
    page.locator(".opblock").first.wait_for()      # the operations, from openapi.json
    assert foreign == []
    shot(page, "swagger-ui-hors-ligne")
