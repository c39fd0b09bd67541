"""Coordinators in the portal: the reception module and the convention (hours bars), a
transfer sent from the pathway page and accepted from the other centre's inbox, the
work queues and their counts, and who may not see a pathway."""
from __future__ import annotations

import re
import uuid
from datetime import timedelta

from shared.clock import today as brussels_today
from tests.api_client import eventually
from tests.e2e.portal.conftest import accessible, field, portal_url, shot, sign_in

WAIT = 240     # the workers may have a backlog from earlier tests of the session


def etag(resp) -> str:
    return resp.headers["ETag"].strip('"')


def ok(resp, *codes):
    assert resp.status_code in (codes or (200,)), (resp.status_code, resp.text[:2000])
    return resp


def register(stack, centre: str = "cripel") -> tuple[str, str]:
    """An obligated person registered at the centre's reception, their pathway open:
    (person id, last name)."""
    intake = stack.client(centre, "intake", "accueil")
    pathway = stack.client(centre, "pathway", "coordination")
    name = f"Coord{uuid.uuid4().hex[:8]}"
    permit = (brussels_today() - timedelta(days=60)).isoformat()
    r = ok(intake.post("/api/v1/persons", {
        "last_name": name, "first_names": "Yasmina", "birth_date": "1990-03-14", "sex": "F",
        "nationality": "MA", "commune_nis": "62063", "permit_type": "B",
        "permit_order_date": permit, "arrival_date": permit}), 201)
    pid = r.json()["person_id"]
    eventually(lambda: pathway.get(f"/api/v1/pathways/{pid}").status_code == 200,
               timeout=WAIT)
    return pid, name


def test_a_coordinator_completes_the_reception_module_and_signs_the_convention(
        stack, browser_page):
    pid, name = register(stack)
    pathway = stack.client("cripel", "pathway", "coordination")
    base = f"/api/v1/pathways/{pid}"
    today = brussels_today().isoformat()
    p = ok(pathway.get(base))
    for step in ({"step": "information", "done_on": today, "session": "group"},
                 {"step": "bilan_social", "done_on": today, "needs_osp": False},
                 {"step": "french_test", "done_on": today, "french_level": "A1"}):
        p = ok(pathway.post(f"{base}/reception-steps", step, etag=etag(p)))

    page = browser_page
    sign_in(page, stack, "cripel", "coordination-cripel", then=f"/personnes/{pid}")
    accessible(page)
    page.get_by_role("link", name="Parcours", exact=True).click()
    page.get_by_role("heading", name="Module d'accueil").wait_for()
    assert name in page.get_by_role("heading", level=1).inner_text()
    assert f"/parcours/{pid}" in page.url
    shot(page, "coordination-parcours-accueil")
    accessible(page)

    # a date in the future: the service's French message next to the field, nothing saved
    field(page, "Étape").select_option("administrative_help")
    field(page, "Date de l'étape").fill("01/01/2099")
    page.get_by_role("button", name="Enregistrer l'étape").click()
    page.locator(".alert").wait_for()
    message = page.locator("#e-rec-done_on")
    assert message.is_visible() and message.inner_text().strip()
    assert field(page, "Date de l'étape").input_value() == "01/01/2099"
    shot(page, "coordination-parcours-date-refusee")
    accessible(page)
    assert len(ok(pathway.get(base)).json()["reception"]["steps"]) == 3

    field(page, "Étape").select_option("administrative_help")
    field(page, "Date de l'étape").fill(brussels_today().strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Enregistrer l'étape").click()
    page.get_by_text("Module d'accueil terminé le").wait_for()
    page.get_by_role("button", name="Signer la convention").click()
    page.get_by_text("Convention d'accueil signée le").wait_for()
    bars = page.locator("section:has(#heures) progress")
    assert bars.count() == 2        # citizenship and French (A1: FLE required)
    citizenship = page.get_by_label("Formation à la citoyenneté (FIC)")
    assert citizenship.evaluate("e => e.tagName") == "PROGRESS"
    assert float(citizenship.get_attribute("max")) > 0
    assert "0 h sur" in page.locator("section:has(#heures)").inner_text()
    shot(page, "coordination-convention-heures")
    accessible(page)
    assert set(ok(pathway.get(base)).json()["requirements"]) == {"citizenship", "french"}


def _inbox_row(page, base: str, tid: str):
    """The transfer's row in the inbox, whatever page it is on (None if not there yet)."""
    for number in range(1, 50):
        page.goto(f"{base}/transferts?page={number}")
        row = page.locator(f'tr[id="t-{tid}"]')
        if row.count():
            return row
        if not page.get_by_role("link", name=re.compile("Page suivante")).count():
            return None
    return None


def test_cai_accepts_a_transfer_and_cripel_then_sees_the_file_transferred(
        stack, browser_page, new_page):
    pid, name = register(stack)
    page = browser_page
    sign_in(page, stack, "cripel", "coordination-cripel", then=f"/parcours/{pid}")
    field(page, "Centre de destination").select_option("cai")
    page.get_by_role("button", name="Proposer le transfert").click()
    page.get_by_text("Transfert proposé vers CAI").wait_for()
    assert page.get_by_role("button", name="Retirer le transfert").is_visible()
    shot(page, "coordination-transfert-propose")
    accessible(page)
    pathway = stack.client("cripel", "pathway", "coordination")
    transfers = ok(pathway.get(f"/api/v1/pathways/{pid}")).json()["transfers"]
    tid = [t for t in transfers if t["state"] == "proposed"][0]["transfer_id"]

    cai = new_page()
    cai_base = portal_url(stack, "cai")
    sign_in(cai, stack, "cai", "coordination-cai", then="/transferts")
    row = eventually(lambda: _inbox_row(cai, cai_base, tid), timeout=WAIT)
    text = row.inner_text()
    assert "CRIPEL" in text and "Public obligé" in text
    assert name not in cai.content() and pid not in cai.content()   # preview only
    shot(cai, "coordination-transferts-recus")
    accessible(cai)
    row.get_by_role("button", name="Accepter").click()
    cai.get_by_text("Transfert accepté").wait_for()
    accessible(cai)

    def transferred():
        page.goto(f"{portal_url(stack, 'cripel')}/parcours/{pid}")
        return page.get_by_text(re.compile("dossier transféré", re.I)).count() > 0
    eventually(transferred, timeout=WAIT)
    assert "CAI" in page.locator("main").inner_text()
    assert not page.get_by_role("button", name="Signer la convention").count()
    shot(page, "coordination-dossier-transfere")
    accessible(page)


def test_the_work_queues_show_their_counts_and_refuse_bad_pages(stack, browser_page):
    register(stack)
    page = browser_page
    sign_in(page, stack, "cripel", "coordination-cripel", then="/files")
    page.get_by_role("heading", name="Mes files de travail").wait_for()
    pathway = stack.client("cripel", "pathway", "coordination")
    expected = {
        "interviews-overdue": "/api/v1/work-queues/interviews-overdue",
        "deadline-30": "/api/v1/work-queues/deadlines?within=30",
        "deadline-90": "/api/v1/work-queues/deadlines?within=90",
        "non-compliance": "/api/v1/work-queues/non-compliance"}
    for queue, path in expected.items():
        total = ok(pathway.get(path)).json()["total"]
        shown = page.locator(f'.count[data-queue="{queue}"]').inner_text()
        assert shown == str(total), (queue, shown, total)
    shot(page, "coordination-files")
    accessible(page)
    field(page, "File de travail").select_option("deadline-90")
    page.get_by_role("button", name="Afficher").click()
    page.get_by_role("heading", name=re.compile("Échéance dans 90 jours")).wait_for()
    assert "file=deadline-90" in page.url
    accessible(page)
    base = portal_url(stack, "cripel")
    for bad in ("abc", "10000000000"):
        resp = page.goto(f"{base}/files?page={bad}")
        assert resp.status == 400
        assert page.get_by_role("heading", name="Demande invalide").is_visible()
        assert "Numéro de page invalide" in page.locator("main").inner_text()
        shot(page, f"coordination-files-page-{bad[:5]}")
        accessible(page)
    resp = page.goto(f"{base}/parcours?page=abc")
    assert resp.status == 400


def test_other_roles_and_the_other_centre_do_not_see_the_pathway(stack, new_page):
    pid, name = register(stack)
    for user in ("partenaire-ili-cripel", "accueil-cripel"):
        page = new_page()
        sign_in(page, stack, "cripel", user, then="/files")
        for path in ("/files", f"/parcours/{pid}"):
            resp = page.goto(f"{portal_url(stack, 'cripel')}{path}")
            assert resp.status == 403, (user, path, resp.status)
            assert page.get_by_role("heading", name="Accès refusé").is_visible()
            assert name not in page.content()
            shot(page, f"coordination-refus-{user.split('-')[0]}-{path.split('/')[1]}")
            accessible(page)
    other = new_page()
    sign_in(other, stack, "cai", "coordination-cai", then="/")
    resp = other.goto(f"{portal_url(stack, 'cai')}/parcours/{pid}")
    assert resp.status in (403, 404), resp.status
    assert name not in other.content()
    assert other.get_by_role("heading", name=re.compile("Page introuvable|Accès refusé"))\
        .is_visible()
    shot(other, "coordination-autre-centre-parcours")
    accessible(other)
