"""Recording on a file and data protection in the portal: a reception agent records a
French test and a dispense (a wrong date is refused next to the field, nothing stored);
the DPO reads the access log, downloads the access export, erases a person through a
confirmation step; other roles and other centres get refusal pages without any data."""
from __future__ import annotations

from tests.api_client import eventually
from tests.e2e.intake import people
from tests.e2e.portal.conftest import accessible, field, portal_url, shot, sign_in


def _register(stack, centre: str = "cripel") -> tuple[dict, dict, object]:
    """(registration body, created file, the accueil API client) for a fresh person."""
    client = stack.client(centre, "intake", "accueil")
    body = people.body(centre)
    r = client.post("/api/v1/persons", json=body)
    assert r.status_code == 201, r.text
    return body, r.json(), client


def _open_as_dpo(page, pid: str) -> None:
    field(page, "Identifiant du dossier").fill(pid)
    page.get_by_role("button", name="Ouvrir").click()
    page.get_by_role("heading", name="Journal des accès").wait_for()


def test_a_dpo_erases_a_person_through_the_confirmation_step(stack, browser_page):
    body, f, client = _register(stack)
    pid = f["person_id"]
    page = browser_page
    sign_in(page, stack, "cripel", "dpo-cripel", then="/dpo")
    assert page.get_by_role("heading", name="Protection des données", level=1).is_visible()
    accessible(page)
    shot(page, "dpo-accueil")
    _open_as_dpo(page, pid)
    assert body["last_name"] in page.get_by_role("heading", level=1).inner_text()
    page.get_by_role("link", name="Effacer les données de la personne…").click()
    page.get_by_role("button", name="Effacer définitivement").wait_for()
    assert "définitif" in page.locator(".notice.warning").inner_text()
    accessible(page)
    shot(page, "dpo-effacement-confirmation")
    # without the typed confirmation nothing is erased
    field(page, "Motif de l'effacement").select_option("gdpr_request")
    field(page, "Confirmation").fill("oui")
    page.get_by_role("button", name="Effacer définitivement").click()
    page.locator("#e-confirmation").wait_for()
    assert "EFFACER" in page.locator("#e-confirmation").inner_text()
    assert field(page, "Motif de l'effacement").input_value() == "gdpr_request"
    accessible(page)
    shot(page, "dpo-effacement-non-confirme")
    assert client.get(f"/api/v1/persons/{pid}").status_code == 200
    field(page, "Confirmation").fill("EFFACER")
    page.get_by_role("button", name="Effacer définitivement").click()
    page.get_by_text("ont été effacées").wait_for()
    assert pid in page.locator(".notice.success").inner_text()
    accessible(page)
    shot(page, "dpo-effacement-fait")
    # the file is gone: the API says so, and so does the portal, in French
    assert client.get(f"/api/v1/persons/{pid}").status_code in (404, 410)
    page.goto(f"{portal_url(stack, 'cripel')}/personnes/{pid}")
    assert page.get_by_role("heading", name="Dossier effacé ou transféré").is_visible()
    assert "effacées" in page.locator(".alert").inner_text()
    assert body["last_name"] not in page.content()
    accessible(page)
    shot(page, "dpo-dossier-efface")
    # the DPO still sees who read the file before it was erased
    page.goto(f"{portal_url(stack, 'cripel')}/dpo/personnes/{pid}")
    assert page.get_by_role("heading", name="Dossier effacé").is_visible()
    assert "délégué à la protection des données" in page.locator("tbody").inner_text()
    assert body["last_name"] not in page.content()
    accessible(page)
    shot(page, "dpo-journal-dossier-efface")


def test_the_dpo_sees_the_access_log_and_downloads_the_export(stack, browser_page, new_page):
    body, f, _client = _register(stack)
    pid = f["person_id"]
    base = portal_url(stack, "cripel")
    agent = new_page()
    sign_in(agent, stack, "cripel", "accueil-cripel", then=f"/personnes/{pid}?finalite=suivi")
    agent.get_by_role("heading", name="Identité").wait_for()
    accessible(agent)
    shot(agent, "dpo-lecture-par-accueil")

    page = browser_page
    sign_in(page, stack, "cripel", "dpo-cripel", then="/dpo")
    _open_as_dpo(page, pid)
    log = page.locator("section", has=page.get_by_role("heading", name="Journal des accès"))

    def agent_read_listed():
        page.reload()
        rows = [r.inner_text() for r in log.locator("tbody tr").all()]
        return [r for r in rows if "accueil-cripel" in r and "Suivi du parcours" in r]
    rows = eventually(agent_read_listed, timeout=30)
    assert "Dossier" in rows[0] and "agent d'accueil" in rows[0]
    assert log.get_by_role("columnheader", name="Finalité").is_visible()
    accessible(page)
    shot(page, "dpo-journal-des-acces")

    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger l'export du droit d'accès (PDF)").click()
    assert download.value.suggested_filename == f"dossier-{pid}.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    r = page.request.get(f"{base}/personnes/{pid}/export.pdf")
    assert r.status == 200 and r.headers["content-type"] == "application/pdf"
    assert r.body().startswith(b"%PDF") and len(r.body()) > 2000
    # the export is itself in the log, with the DPO's purpose
    def export_listed():
        page.reload()
        return "Export (PDF)" in log.inner_text()
    eventually(export_listed, timeout=30)
    assert "Demande de la personne" in log.inner_text()
    accessible(page)

    # the audit check of the hash chains, as the intake API computes it
    page.get_by_role("link", name="← Protection des données").click()
    page.get_by_role("link", name="Vérifier l'intégrité du journal").click()
    page.get_by_role("heading", name="Audit du journal de l'accueil").wait_for()
    shown = page.locator("main").inner_text()
    assert "Chaînes d'empreintes intactes" in shown and "aucune anomalie" in shown
    assert stack.client("cripel", "intake", "dpo").get("/api/v1/audit/verify").json()["ok"]
    accessible(page)
    shot(page, "dpo-audit")


def test_an_agent_records_a_french_test_and_a_dispense(stack, browser_page):
    _body, f, client = _register(stack)
    pid = f["person_id"]
    page = browser_page
    sign_in(page, stack, "cripel", "accueil-cripel", then=f"/personnes/{pid}")
    page.get_by_role("link", name="Enregistrer un test de français").click()
    field(page, "Niveau").select_option("A1")
    field(page, "Date du test").fill("31/02/2026")
    field(page, "Testé par").fill("Thomas Dubois")
    accessible(page)
    shot(page, "accueil-test-francais")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    error = page.locator("#e-test_date")
    error.wait_for()
    assert "jj/mm/aaaa" in error.inner_text()
    assert field(page, "Date du test").get_attribute("aria-invalid") == "true"
    assert field(page, "Testé par").input_value() == "Thomas Dubois"
    accessible(page)
    shot(page, "accueil-test-francais-date-fausse")
    stored = client.get(f"/api/v1/persons/{pid}")
    assert stored.json()["french_level"] is None
    assert stored.headers["ETag"] == f'"{f["version"]}"'      # nothing written

    field(page, "Date du test").fill("15/03/2026")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.get_by_text("Test de français enregistré.").wait_for()
    assert "A1" in page.locator("section", has=page.get_by_role(
        "heading", name="Français et bilan social")).inner_text()
    accessible(page)
    shot(page, "accueil-test-francais-enregistre")

    page.get_by_role("link", name="Enregistrer une dispense").click()
    field(page, "Motif de dispense").select_option("medical")
    field(page, "Référence de la pièce justificative").fill("CM-2026-118")
    accessible(page)
    shot(page, "accueil-dispense")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.get_by_text("Dispense enregistrée.").wait_for()
    assert "CM-2026-118" in page.locator("section", has=page.get_by_role(
        "heading", name="Dispenses")).inner_text()
    accessible(page)
    shot(page, "accueil-dispense-enregistree")
    stored = client.get(f"/api/v1/persons/{pid}").json()
    assert stored["french_level"] == "A1"
    assert [(d["ground"], d["evidence_ref"]) for d in stored["dispenses"]] == [
        ("medical", "CM-2026-118")]


def test_other_roles_and_other_centres_are_refused_without_data(stack, browser_page, new_page):
    body, f, _client = _register(stack)
    pid = f["person_id"]
    page = browser_page
    sign_in(page, stack, "cripel", "accueil-cripel", then="/dpo")
    for path in ("/dpo", f"/dpo/personnes/{pid}", f"/dpo/personnes/{pid}/effacement"):
        page.goto(portal_url(stack, "cripel") + path)
        assert page.get_by_role("heading", name="Accès refusé").is_visible(), path
        assert body["last_name"] not in page.content()
    accessible(page)
    shot(page, "dpo-refuse-accueil")
    r = page.request.get(f"{portal_url(stack, 'cripel')}/personnes/{pid}/export.pdf")
    assert r.status == 403 and not r.body().startswith(b"%PDF")

    other = new_page()
    sign_in(other, stack, "cai", "dpo-cai", then="/dpo")
    other.get_by_role("heading", name="Protection des données", level=1).wait_for()
    for path in (f"/dpo/personnes/{pid}", f"/dpo/personnes/{pid}/effacement"):
        resp = other.goto(portal_url(stack, "cai") + path)
        assert resp.status in (403, 404), path
        assert other.get_by_role("heading", level=1).inner_text() in (
            "Accès refusé", "Introuvable", "Page introuvable")
        html = other.content()
        assert body["last_name"] not in html and body["first_names"] not in html
    accessible(other)
    shot(other, "dpo-refuse-autre-centre")
    r = other.request.get(f"{portal_url(stack, 'cai')}/personnes/{pid}/export.pdf")
    assert r.status in (403, 404) and not r.body().startswith(b"%PDF")


def test_an_agent_records_the_bilan_a_consent_and_a_move(stack, browser_page):
    _body, f, client = _register(stack)
    pid = f["person_id"]
    page = browser_page
    sign_in(page, stack, "cripel", "accueil-cripel", then=f"/personnes/{pid}")
    page.get_by_role("link", name="Enregistrer le bilan social").click()
    field(page, "Besoin d'accompagnement (Logement)").select_option("oui")
    field(page, "Notes (Logement)").fill("Cherche un logement à Liège")
    field(page, "Besoin d'accompagnement (Emploi)").select_option("oui")
    accessible(page)
    shot(page, "accueil-bilan-social")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.get_by_text("Bilan social enregistré.").wait_for()
    bilan = client.get(f"/api/v1/persons/{pid}").json()["bilan_social"]
    assert bilan["needs"]["housing"] == {"need": True, "notes": "Cherche un logement à Liège",
                                         "label": "Logement"}
    assert bilan["needs"]["health"]["need"] is False and bilan["needs_osp"] is True

    # a consent withdrawn before it was given: the API's message, nothing stored
    page.get_by_role("link", name="Donner ou retirer un consentement").click()
    field(page, "Finalité").select_option("referral")
    field(page, "CPAS").check()
    field(page, "Consentement").select_option("non")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.locator(".alert").wait_for()
    assert "retirer" in page.locator(".alert").inner_text()
    assert field(page, "CPAS").is_checked()
    accessible(page)
    shot(page, "accueil-consentement-refuse")
    assert client.get(f"/api/v1/persons/{pid}").json()["consents"] == []
    field(page, "Consentement").select_option("oui")
    field(page, "Forem").check()
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.get_by_text("Consentement enregistré.").wait_for()
    consents = client.get(f"/api/v1/persons/{pid}").json()["consents"]
    assert [(c["purpose"], c["recipients"]) for c in consents] == [
        ("referral", ["cpas", "forem"])]

    # a move to the other centre's territory: the address changes, a transfer is hinted
    page.get_by_role("link", name="Changer l'adresse").click()
    field(page, "Nouvelle commune").select_option("92094")
    field(page, "Rue").fill("Rue de Fer")
    field(page, "Numéro").fill("12")
    field(page, "Code postal").fill("4000")           # Liège's: refused for Namur
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.locator(".alert").wait_for()
    assert "code postal" in page.locator("#e-address-postal_code").inner_text()
    accessible(page)
    shot(page, "accueil-adresse-refusee")
    assert client.get(f"/api/v1/persons/{pid}").json()["address"]["commune_nis"] == "62063"
    field(page, "Code postal").fill("5000")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.get_by_text("Adresse modifiée.").wait_for()
    assert page.get_by_text("transfert").first.is_visible()
    accessible(page)
    shot(page, "accueil-adresse-modifiee")
    moved = client.get(f"/api/v1/persons/{pid}").json()["address"]
    assert (moved["commune_nis"], moved["postal_code"]) == ("92094", "5000")
