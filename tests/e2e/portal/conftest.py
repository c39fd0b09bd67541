"""Browser tests of the staff portal: Playwright for Python driving Debian's Chromium
(`chromium` on the PATH; `make setup` installs it; Playwright's own browser download
does not work on these machines), on the real stack (services, Kafka, FerretDB).

Every test saves a screenshot under var/screenshots/ (`shot`); `accessible` runs
axe-core on the page and fails on any serious or critical violation.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from shared.paths import ROOT

SCREENSHOTS = ROOT / "var" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright
    executable = shutil.which("chromium")
    if executable is None:     # `make setup` installs it: its absence is a broken setup
        pytest.fail("Debian's chromium is not on the PATH: run `make setup`")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium):
    """A fresh browser context (no cookies) and page, French locale, laptop size."""
    context = chromium.new_context(locale="fr-BE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def new_page(chromium):
    """Pages of other users in the same test (each its own context, so its own session)."""
    contexts = []

    def make(**kw):
        context = chromium.new_context(**{"locale": "fr-BE",
                                          "viewport": {"width": 1280, "height": 900}, **kw})
        context.set_default_timeout(30_000)
        contexts.append(context)
        return context.new_page()
    yield make
    for context in contexts:
        context.close()


def portal_url(stack, centre: str) -> str:
    return stack.url(centre, "portal")


def sign_in(page, stack, centre: str, user: str, then: str = "/") -> None:
    """Sign in at the dev provider as the demo user `user` (its subject, e.g.
    `accueil-cripel`) through the real authorization-code flow."""
    base = portal_url(stack, centre)
    page.goto(f"{base}/connexion?next={then}")
    page.locator(f'button[name="user"][value="{user}"]').click()
    page.wait_for_url(re.compile(re.escape(base) + ".*"))


def field(page, label: str):
    """The form control labelled `label` (its label may end with the required mark « * »)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def shot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def accessible(page) -> None:
    """axe-core (axe-playwright-python's bundled copy) on the page as shown: no serious
    or critical violation."""
    from axe_playwright_python.sync_playwright import Axe
    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious",
                                                                            "critical")]
    assert not bad, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — "
        f"{[n['target'] for n in v['nodes']][:5]}" for v in bad)
