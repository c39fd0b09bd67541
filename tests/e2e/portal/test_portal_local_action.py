"""The local-action screens of the portal on the real stack (services, Kafka, FerretDB),
in Chromium: a coordinator writes a local integration plan with an action and an
indicator, adopts it, records a measured value and reads it against the target; an
operator's staff edits the action its operator leads and is refused another's; it
records the participation of its own activity; a coordinator registers a practitioner
to a training, records the attendance and downloads the certificate (a PDF)."""
from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
import requests

from shared.clock import today as brussels_today
from tests.api_client import ApiClient, eventually
from tests.e2e.partners_flow import network, ok
from tests.e2e.portal.conftest import accessible, field, portal_url, shot, sign_in

CENTRE = "cripel"
ILI, EPS = f"ili-{CENTRE}", f"eps-{CENTRE}"   # the dev provider's demo partners' operators


def fr(day) -> str:
    return day.strftime("%d/%m/%Y")


@pytest.fixture(scope="module")
def coordination(stack) -> ApiClient:
    """The demo users' operators exist (registered once, the same body: idempotent)."""
    coord = stack.client(CENTRE, "partners", "coordination")
    for operator_id, kind in ((ILI, "ili"), (EPS, "school")):
        r = coord.post("/api/v1/operators", {
            "operator_id": operator_id, "name": f"Opérateur {operator_id}", "type": kind,
            "bce": None, "approval": "approved", "communes": ["62022"],
            "contacts": [{"function": "coordination", "email": f"contact@{operator_id}.be"}]})
        assert r.status_code in (200, 201), (r.status_code, r.text)
    return coord


def test_a_coordinator_writes_adopts_and_measures_a_plan(stack, coordination, browser_page):
    tag = uuid.uuid4().hex[:8]
    today = brussels_today()
    plan_id, title = f"pli-pt-{tag}", f"PLI Chaudfontaine {tag}"
    page = browser_page
    sign_in(page, stack, CENTRE, f"coordination-{CENTRE}", then="/plans")
    page.get_by_role("heading", name="Plans locaux d'intégration").wait_for()
    shot(page, "coordination-plans")
    accessible(page)
    page.get_by_role("link", name="Ouvrir un nouveau plan").click()
    field(page, "Identifiant du plan").fill(plan_id)
    field(page, "Titre").fill(title)
    field(page, "Communes (codes INS)").fill("62022")
    field(page, "Début de la période").fill(f"01/01/{today.year}")
    field(page, "Fin de la période").fill(f"31/12/{today.year + 2}")
    field(page, "Constats — langue (FLE)").fill("Peu de places de FLE le soir")
    field(page, "Priorité — langue (FLE)").select_option("high")
    field(page, "Objectif 1 — identifiant").fill("o1")
    field(page, "Objectif 1 — thématique").select_option("language")
    field(page, "Objectif 1 — intitulé").fill("Ouvrir plus de places de FLE")
    shot(page, "coordination-plan-nouveau")
    accessible(page)
    page.get_by_role("button", name="Ouvrir le plan en projet").click()
    page.get_by_role("heading", name=title).wait_for()
    assert "Peu de places de FLE le soir" in page.locator("main").inner_text()

    page.get_by_role("link", name="Ajouter une action").click()
    field(page, "Identifiant de l'action").fill("a1")
    field(page, "Intitulé de l'action").fill("Deux groupes FLE du soir")
    field(page, "Objectif").select_option("o1")
    field(page, "Opérateur porteur").select_option(ILI)
    field(page, "Opérateurs impliqués").select_option([ILI, EPS])
    field(page, "Budget (euros)").fill("15 000")
    shot(page, "coordination-plan-action")
    accessible(page)
    page.get_by_role("button", name="Enregistrer l'action").click()
    page.get_by_text("Action « Deux groupes FLE du soir » enregistrée.").wait_for()
    row = page.locator("#action-a1").inner_text()
    assert f"Opérateur {ILI}" in row and "15\u202f000" in row, row

    page.get_by_role("link", name="Ajouter un indicateur").click()
    field(page, "Identifiant de l'indicateur").fill("places")
    field(page, "Libellé de l'indicateur").fill("Places de FLE ouvertes")
    field(page, "Unité").select_option("count")
    field(page, "Valeur de départ").fill("20")
    field(page, "Cible").fill("60")
    shot(page, "coordination-plan-indicateur")
    accessible(page)
    page.get_by_role("button", name="Enregistrer l'indicateur").click()
    page.get_by_text("Indicateur « Places de FLE ouvertes » enregistré.").wait_for()

    field(page, "Décision d'adoption").fill("conseil communal du 12/03")
    page.get_by_role("button", name="Adopter le plan").click()
    page.get_by_text(re.compile("Plan adopté")).wait_for()
    approvals = page.locator("#approbations tbody tr").all_inner_texts()
    assert any("adopté" in r and f"coordination-{CENTRE}" in r and fr(today) in r
               and "conseil communal du 12/03" in r for r in approvals), approvals
    assert page.get_by_role("link", name="Ajouter une action").count() == 0   # frozen

    field(page, "Valeur mesurée — Places de FLE ouvertes").fill("40")
    field(page, "Mesurée le (jj/mm/aaaa) — Places de FLE ouvertes").fill(fr(today))
    page.get_by_role("button", name="Enregistrer la mesure").click()
    page.get_by_text("Valeur mesurée enregistrée (40).").wait_for()
    indicator = page.locator("#ind-places")
    bar = indicator.locator("progress")
    assert bar.get_attribute("value") == "50" and bar.get_attribute("max") == "100"
    label = indicator.locator(".progress-label").inner_text()
    assert "Mesuré : 40" in label and "cible de 60" in label and "50 %" in label, label
    shot(page, "coordination-plan-adopte-mesure")
    accessible(page)


def test_a_partner_edits_its_own_action_not_another_operators(stack, coordination,
                                                               browser_page):
    tag = uuid.uuid4().hex[:8]
    year = brussels_today().year
    plan_id = f"pli-pp-{tag}"
    ok(coordination.post("/api/v1/plans", {
        "plan_id": plan_id, "title": f"PLI partenaires {tag}", "communes": ["62022"],
        "period_from": f"{year}-01-01", "period_to": f"{year + 1}-12-31"}), 201)
    for action_id, lead in (("a1", ILI), ("a2", EPS)):
        ok(coordination.put(f"/api/v1/plans/{plan_id}/actions/{action_id}", {
            "title": f"Action de {lead}", "lead_operator_id": lead, "operators": [lead],
            "communes": ["62022"], "budget": 1000, "period_from": f"{year}-01-01",
            "period_to": f"{year}-12-31"}))
    page = browser_page
    base = portal_url(stack, CENTRE)
    sign_in(page, stack, CENTRE, f"partenaire-{ILI}", then="/plans")

    def listed():
        page.goto(f"{base}/plans")
        return page.get_by_role("link", name=f"PLI partenaires {tag}").count() == 1
    eventually(listed, timeout=120, interval=1)
    shot(page, "partenaire-plans")
    accessible(page)
    page.get_by_role("link", name=f"PLI partenaires {tag}").click()
    page.get_by_role("heading", name=f"PLI partenaires {tag}").wait_for()
    assert page.get_by_role("link", name=f"Action de {EPS}").count() == 0
    shot(page, "partenaire-plan")
    accessible(page)
    page.get_by_role("link", name=f"Action de {ILI}").click()
    field(page, "Intitulé de l'action").fill(f"Action de {ILI}, élargie")
    field(page, "Budget (euros)").fill("2500,50")
    shot(page, "partenaire-plan-action")
    accessible(page)
    page.get_by_role("button", name="Enregistrer l'action").click()
    page.get_by_text(f"Action « Action de {ILI}, élargie » enregistrée.").wait_for()
    action = ok(coordination.get(f"/api/v1/plans/{plan_id}")).json()["actions"][0]
    assert (action["title"], action["budget"], action["lead_operator_id"]) == (
        f"Action de {ILI}, élargie", 2500.5, ILI)
    # its state, from the plan's page
    page.get_by_label(f"Nouvel état de Action de {ILI}, élargie").select_option("in_progress")
    page.locator("#action-a1").get_by_role("button", name="Mettre à jour").click()
    page.get_by_text("Action a1 : en cours.").wait_for()
    # another operator's action: the 403 page, and the API kept it as it was
    resp = page.goto(f"{base}/plans/{plan_id}/actions/a2")
    assert resp.status == 403
    page.get_by_role("heading", name="Accès refusé").wait_for()
    shot(page, "partenaire-plan-action-refusee")
    accessible(page)
    other = ok(coordination.get(f"/api/v1/plans/{plan_id}")).json()["actions"][1]
    assert other["title"] == f"Action de {EPS}" and other["status"] == "planned"


def test_a_partner_records_the_participation_of_its_activity(stack, coordination,
                                                            browser_page):
    tag = uuid.uuid4().hex[:8]
    today = brussels_today()
    title = f"Atelier citoyenneté {tag}"
    operator = stack.client(CENTRE, "partners", "partenaire", operator_id=ILI)
    ok(operator.post("/api/v1/activities", {
        "activity_id": f"act-pt-{tag}", "operator_id": ILI, "title": title,
        "kind": "workshop", "theme": "participation", "public": "newcomers",
        "commune_nis": "62022", "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=1)).isoformat(), "place": "Salle du village"}), 201)
    page = browser_page
    base = portal_url(stack, CENTRE)
    sign_in(page, stack, CENTRE, f"partenaire-{ILI}", then="/activites")

    def listed():
        page.goto(f"{base}/activites?theme=participation")
        return page.get_by_role("link", name=title).count() == 1
    eventually(listed, timeout=120, interval=1)
    shot(page, "partenaire-activites")
    accessible(page)
    page.get_by_role("link", name=title).click()
    page.get_by_role("heading", name=title).wait_for()
    field(page, "Participants — personnes primo-arrivantes").fill("9")
    field(page, "Participants — habitants").fill("6")
    shot(page, "partenaire-activite")
    accessible(page)
    page.get_by_role("button", name="Enregistrer la participation").click()
    page.get_by_text("Participation enregistrée : 15 participant(s).").wait_for()
    assert page.locator("#total-participants").inner_text() == "15"
    assert field(page, "Participants — habitants").input_value() == "6"
    shot(page, "partenaire-activite-participation")
    accessible(page)
    stored = ok(operator.get(f"/api/v1/activities/act-pt-{tag}")).json()
    assert stored["counts"] == {"newcomers": 9, "residents": 6}


def test_a_coordinator_registers_a_practitioner_and_downloads_the_certificate(
        stack, coordination, browser_page):
    tag = uuid.uuid4().hex[:8]
    yesterday = brussels_today() - timedelta(days=1)
    training_id, title = f"form-pt-{tag}", f"Le parcours d'intégration {tag}"
    ok(coordination.post("/api/v1/trainings", {
        "training_id": training_id, "title": title, "theme": "pathway",
        "audiences": ["operator", "cpas"], "commune_nis": "62022", "capacity": 10,
        "sessions": [{"date": yesterday.isoformat(), "hours": 3.5}]}), 201)
    page = browser_page
    base = portal_url(stack, CENTRE)
    sign_in(page, stack, CENTRE, f"coordination-{CENTRE}", then="/formations")

    def listed():
        page.goto(f"{base}/formations")
        return page.get_by_role("link", name=title).count() == 1
    eventually(listed, timeout=120, interval=1)
    shot(page, "coordination-formations")
    accessible(page)
    page.get_by_role("link", name=title).click()
    page.get_by_role("heading", name=title).wait_for()
    name = f"Amélie Dupont {tag}"
    field(page, "Nom et prénom").fill(name)
    field(page, "Organisation").fill("ASBL Lire et Écrire")
    field(page, "Fonction").fill("formatrice")
    field(page, "Type de structure").select_option("operator")
    field(page, "Opérateur (si la personne y travaille)").select_option(ILI)
    shot(page, "coordination-formation")
    accessible(page)
    page.get_by_role("button", name="Inscrire").click()
    page.get_by_role("heading", name=f"{name} — {title}").wait_for()
    assert "Dupont" not in page.url and "Amélie" not in page.url    # no name in the URL
    field(page, "Séance").select_option(yesterday.isoformat())
    field(page, "Présence").select_option("1")
    page.get_by_role("button", name="Enregistrer la présence").click()
    page.get_by_text("Présence enregistrée.").wait_for()
    assert page.locator("#heures").inner_text() == "3,5 h"
    shot(page, "coordination-formation-inscription")
    accessible(page)
    field(page, "Satisfaction (1 à 5)").select_option("5")
    field(page, "Utilité (1 à 5)").select_option("4")
    page.get_by_role("button", name="Enregistrer l'évaluation").click()
    page.get_by_text("Évaluation enregistrée.").wait_for()
    assert "satisfaction 5/5, utilité 4/5" in page.locator("main").inner_text()
    link = page.get_by_role("link", name="Télécharger l'attestation (PDF)")
    with page.expect_download() as info:
        link.click()
    path = info.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    resp = page.request.get(base + link.get_attribute("href"))
    assert resp.status == 200 and resp.headers["content-type"] == "application/pdf"
    assert resp.body()[:4] == b"%PDF"
    # the practitioner asks to be forgotten: the DPO erases them by the page's ids
    registration_id = page.locator("#inscription-id").inner_text()
    registration_page, href = page.url, link.get_attribute("href")
    sign_in(page, stack, CENTRE, f"dpo-{CENTRE}", then="/dpo")
    field(page, "Identifiant de la formation").fill(training_id)
    field(page, "Identifiant de l'inscription").fill(registration_id)
    field(page, "Confirmation").fill("EFFACER")
    page.get_by_role("button", name="Effacer définitivement").click()
    page.get_by_text(f"L'intervenant de l'inscription {registration_id} a été effacé").wait_for()
    shot(page, "dpo-intervenant-efface")
    accessible(page)
    sign_in(page, stack, CENTRE, f"coordination-{CENTRE}", then="/formations")
    page.goto(registration_page)
    main = page.locator("main").inner_text()
    assert "effacées" in main and name not in main and "ASBL Lire et Écrire" not in main
    assert page.locator("#heures").inner_text() == "3,5 h"            # the hours stay
    assert page.get_by_role("link", name="Télécharger l'attestation (PDF)").count() == 0
    assert page.request.get(base + href).status == 404


def test_a_coordinator_describes_an_offer_for_the_public_directory(stack, coordination,
                                                                   browser_page):
    net = network(stack, CENTRE, capacity=8, sessions=1)      # a session today: listed
    tag = net.offer_id.split("-")[-1]
    page = browser_page
    base = portal_url(stack, CENTRE)
    sign_in(page, stack, CENTRE, f"coordination-{CENTRE}", then=f"/offres/{net.offer_id}")
    page.get_by_role("link", name="Descriptions pour l'annuaire public").click()
    page.get_by_role("heading", name=re.compile("Annuaire public")).wait_for()
    field(page, "Description 1 — langue").select_option("fr")
    field(page, "Description 1 — texte").fill(f"Cours du soir pour débuter {tag}")
    field(page, "Description 2 — langue").select_option("ar")
    field(page, "Description 2 — texte").fill(f"دروس مسائية للمبتدئين {tag}")
    shot(page, "coordination-annuaire-offre")
    accessible(page)
    page.get_by_role("button", name="Enregistrer les descriptions").click()
    page.get_by_text("Descriptions de l'offre enregistrées (2 langue(s)).").wait_for()

    def published():
        feed = requests.get(f"{stack.url(CENTRE, 'partners')}/api/v1/directory?commune=62022",
                            timeout=30).json()                       # no token: public
        offer = next((o for c in feed["communes"] for o in c["offers"]
                      if o["offer_id"] == net.offer_id), None)
        return offer and offer["descriptions"]
    assert [(d["lang"], d["dir"]) for d in eventually(published, timeout=120)] == [
        ("fr", "ltr"), ("ar", "rtl")]
    page.goto(f"{base}/annuaire/offres/{net.offer_id}")       # shown back, right-to-left
    arabic = field(page, "Description 2 — texte")
    assert arabic.get_attribute("dir") == "rtl"
    assert arabic.evaluate("el => getComputedStyle(el).direction") == "rtl"
    accessible(page)
