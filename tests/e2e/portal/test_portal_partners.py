"""The partners' screens of the portal on the real stack: an operator's staff uploads an
attendance CSV and reads the rejected rows; another operator sees none of it; the
coordinator reads an offer's seats and waiting list and proposes a referral; the
regional analyst reads the live figures. Operators, offers and referrals are set up
through the partners API first; each test uses its own offer (the stack is shared)."""
from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest

from shared.clock import today as brussels_today
from tests.api_client import ApiClient, eventually
from tests.e2e.partners_flow import ok
from tests.e2e.portal.conftest import accessible, field, portal_url, shot, sign_in
from tests.e2e.reporting.people import registration

CENTRE = "cripel"
ILI, EPS = f"ili-{CENTRE}", f"eps-{CENTRE}"   # the dev provider's demo partners' operators
WAIT = 300


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


class Offer:
    """An offer of `operator_id` under its own agreement, sessions in the past."""

    def __init__(self, stack, coordination: ApiClient, operator_id: str, capacity: int):
        tag = uuid.uuid4().hex[:8]
        self.id, self.title = f"offre-pt-{tag}", f"Cours portail {tag}"
        self.coordination = coordination
        self.operator = stack.client(CENTRE, "partners", "partenaire", operator_id=operator_id)
        self.intake = stack.client(CENTRE, "intake", "accueil")
        today = brussels_today()
        ok(coordination.post("/api/v1/agreements", {
            "agreement_id": f"conv-pt-{tag}", "operator_id": operator_id, "subject": "french",
            "valid_from": f"{today.year}-01-01", "valid_to": f"{today.year}-12-31",
            "quota_kind": "seats", "quota": 1000, "funding_ref": "SPW-portail"}), 201)
        self.sessions = sorted((today - timedelta(days=n)).isoformat() for n in (1, 2, 3))
        ok(self.operator.post("/api/v1/offers", {
            "offer_id": self.id, "operator_id": operator_id, "agreement_id": f"conv-pt-{tag}",
            "title": self.title, "kind": "french", "level": "A1", "language": "fr",
            "commune_nis": "62022", "capacity": capacity,
            "sessions": [{"date": d, "hours": 2.0} for d in self.sessions]}), 201)

    def person(self, n: int = 0) -> str:
        """A newcomer the centre follows (Chaudfontaine, as the partners e2e test)."""
        r = ok(self.intake.post("/api/v1/persons", registration("62022", "4050", n)), 201)
        assert r.json()["eligibility"]["status"] == "obligated"
        return r.json()["person_id"]

    def refer(self, person_id: str, accept: bool = True) -> dict:
        """Partners knows the person once its worker read the pathway: 404 until then."""
        body = {"offer_id": self.id, "person_id": person_id, "purpose": "training",
                "consent": False}
        r = eventually(lambda: (resp := self.coordination.post("/api/v1/referrals", body))
                       .status_code != 404 and resp, timeout=WAIT)
        referral = ok(r, 201).json()
        if accept:
            referral = ok(self.operator.post(
                f"/api/v1/referrals/{referral['referral_id']}/acceptance")).json()
        return referral


def test_a_partner_uploads_a_csv_and_sees_the_rejected_rows(stack, coordination, browser_page):
    offer = Offer(stack, coordination, ILI, capacity=5)
    rid = offer.refer(offer.person())["referral_id"]
    day = offer.sessions[0]
    csv = ("Orientation;Date;Heures;Présence;Motif\r\n"
           f"{rid};{day[8:10]}/{day[5:7]}/{day[:4]};2;oui;\r\n"
           f"inconnue-{uuid.uuid4().hex[:6]};{day};2;oui;\r\n"
           f"{rid};32/13/2026;2;oui;\r\n").encode("utf-8")
    page = browser_page
    sign_in(page, stack, CENTRE, f"partenaire-{ILI}", then="/operateur/presences")
    page.get_by_role("heading", name="Déposer un fichier CSV").wait_for()
    shot(page, "partenaire-presences")
    accessible(page)
    field(page, "Fichier CSV").set_input_files(
        {"name": "presences.csv", "mimeType": "text/csv", "buffer": csv})
    page.get_by_role("button", name="Déposer le fichier").click()
    page.locator("#rapport").wait_for()
    report = page.locator("#rapport").inner_text()
    assert "1 ligne appliquée sur 3" in report and "2 refusées" in report, report
    rows = [r.inner_text().split("\t") for r in page.locator("#lignes-refusees tbody tr").all()]
    assert [r[0] for r in rows] == ["3", "4"], rows
    assert "inconnue" in rows[0][1] and "date illisible" in rows[1][1], rows
    shot(page, "partenaire-csv-rapport")
    accessible(page)
    # the good row is the referral's attendance, on its page
    page.goto(f"{portal_url(stack, CENTRE)}/operateur/orientations/{rid}")
    attendance = page.locator("section", has=page.get_by_role("heading", name="Présences"))
    assert re.search(rf"{day[8:10]}/{day[5:7]}/{day[:4]}\s+présent·e\s+2",
                     attendance.inner_text()), attendance.inner_text()
    accessible(page)
    # the next session through the form of the session: one row per participant
    later = offer.sessions[1]
    page.get_by_role("link", name="Présences").click()
    field(page, "Offre").select_option(offer.id)
    page.get_by_role("button", name="Afficher les participants").click()
    field(page, "Séance").select_option(later)
    page.get_by_label(f"Présence de {rid}").select_option("present")
    page.get_by_label(f"Heures de {rid}").fill("1,5")
    shot(page, "partenaire-seance")
    accessible(page)
    page.get_by_role("button", name="Enregistrer la séance").click()
    page.get_by_text(re.compile(r"1 présence\(s\) enregistrée\(s\)")).wait_for()
    hours = ok(offer.operator.get(f"/api/v1/referrals/{rid}")).json()["hours"]
    assert hours == 3.5, hours


def test_another_operator_sees_nothing_of_the_referrals_and_reception_is_refused(
        stack, coordination, browser_page, new_page):
    offer = Offer(stack, coordination, ILI, capacity=5)
    rid = offer.refer(offer.person(), accept=False)["referral_id"]
    base = portal_url(stack, CENTRE)
    # the ili partner sees it (so the eps page below could show it if it leaked) and acts
    ili = browser_page
    sign_in(ili, stack, CENTRE, f"partenaire-{ILI}", then=f"/operateur/participants?offre={offer.id}")
    assert ili.get_by_role("link", name=rid).is_visible()
    shot(ili, "partenaire-ili-participants")
    accessible(ili)
    ili.get_by_role("link", name=rid).click()
    ili.get_by_role("button", name="Accepter").click()
    ili.get_by_text("Orientation mise à jour : acceptée.").wait_for()
    ili.get_by_role("button", name="La formation a commencé").click()
    ili.get_by_text("Orientation mise à jour : commencée.").wait_for()
    assert not ili.get_by_role("button", name="Accepter").count()
    shot(ili, "partenaire-ili-orientation")
    accessible(ili)
    assert ok(offer.operator.get(f"/api/v1/referrals/{rid}")).json()["status"] == "started"
    eps = new_page()
    sign_in(eps, stack, CENTRE, f"partenaire-{EPS}", then="/operateur")
    eps.get_by_role("heading", name="Mes participants").wait_for()
    assert rid not in eps.content()
    shot(eps, "partenaire-eps-participants")
    accessible(eps)
    eps.goto(f"{base}/operateur/participants?offre={offer.id}")
    assert rid not in eps.content()
    response = eps.goto(f"{base}/operateur/orientations/{rid}")
    assert response.status in (403, 404)
    assert eps.get_by_text(re.compile(r"Code 40[34]\.")).is_visible()
    assert offer.title not in eps.content()
    shot(eps, "partenaire-eps-orientation-refusee")
    accessible(eps)
    reception = new_page()
    sign_in(reception, stack, CENTRE, f"accueil-{CENTRE}", then="/operateur")
    assert reception.get_by_role("heading", name="Accès refusé").is_visible()
    assert reception.get_by_text("Code 403.").is_visible()
    assert not reception.get_by_role("link", name="Mes participants").count()
    shot(reception, "accueil-operateur-refuse")
    accessible(reception)


def test_a_coordinator_sees_an_offer_with_its_seats_and_waiting_list(
        stack, coordination, browser_page):
    offer = Offer(stack, coordination, ILI, capacity=1)
    newcomer = offer.person(2)            # first, so that partners has most likely read it
    seated = offer.refer(offer.person(0))
    waiting = offer.refer(offer.person(1))
    assert (seated["status"], waiting["status"]) == ("accepted", "waitlisted")
    page = browser_page
    sign_in(page, stack, CENTRE, f"coordination-{CENTRE}", then=f"/offres?operateur={ILI}")
    shot(page, "coordination-offres")
    accessible(page)
    row = page.locator("tr", has=page.get_by_role("link", name=offer.title))
    assert row.inner_text().split("\t")[4:8] == ["1", "1", "0", "1"], row.inner_text()
    page.get_by_role("link", name=offer.title).click()
    page.get_by_role("heading", name="Places et liste d'attente").wait_for()
    seats = page.locator("section", has=page.get_by_role("heading",
                                                         name="Places et liste d'attente"))
    assert "1 prise sur 1, 0 libre" in seats.inner_text(), seats.inner_text()
    assert re.search(r"Liste d'attente\s+1 personne\b", seats.inner_text()), seats.inner_text()
    line = page.locator("section", has=page.get_by_role("heading", name="Liste d'attente",
                                                        exact=True)).locator("tbody tr")
    assert line.count() == 1 and line.inner_text().split("\t")[:2] == [
        "1", waiting["referral_id"]]
    shot(page, "coordination-offre-places")
    accessible(page)
    # one more seat: it goes to the person waiting
    field(page, "Capacité (places)").fill("2")
    page.get_by_role("button", name="Changer la capacité").click()
    page.get_by_text("Capacité portée à 2 places.").wait_for()
    assert "2 prises sur 2, 0 libre" in seats.inner_text(), seats.inner_text()
    assert page.get_by_text("Personne en liste d'attente.").is_visible()
    promoted = ok(offer.operator.get(f"/api/v1/referrals/{waiting['referral_id']}")).json()
    assert promoted["status"] == "accepted", promoted
    # a proposal with a wrong person id is refused next to the field, as typed
    field(page, "Identifiant de la personne").fill("pas-un-identifiant")
    page.get_by_role("button", name="Proposer l'orientation").click()
    page.locator(".alert").wait_for()
    assert page.locator("#e-person_id").inner_text().strip()
    assert field(page, "Identifiant de la personne").input_value() == "pas-un-identifiant"
    accessible(page)

    # the same form with a followed person and the consent: proposed (the offer is full).
    # Until partners has read the person's pathway, the form says so and nothing is made.
    def propose() -> bool:
        field(page, "Identifiant de la personne").fill(newcomer)
        page.get_by_label("La personne accepte que l'opérateur reçoive son prénom et un "
                          "moyen de contact").check()
        field(page, "Prénom partagé avec l'opérateur").fill("Nadia")
        page.get_by_role("button", name="Proposer l'orientation").click()
        page.wait_for_load_state()
        if page.get_by_text("Orientation proposée (état : proposée).").count():
            return True
        assert "aucun parcours suivi" in page.locator("#e-person_id").inner_text()
        return False
    eventually(propose, timeout=WAIT, interval=0.5)
    facts = page.locator(".facts").inner_text()
    assert re.search(r"Consentement au partage\s+oui \(Nadia\)", facts), facts
    assert re.search(r"Proposée le\s+\d\d/\d\d/\d{4}", facts), facts
    shot(page, "coordination-orientation-proposee")
    accessible(page)
    body = ok(offer.operator.get(f"/api/v1/referrals?offer_id={offer.id}")).json()
    mine = [r for r in body["items"] if r["person_id"] == newcomer]
    assert mine and mine[0]["partage"]["first_name"] == "Nadia" and mine[0]["consent"]
    assert mine[0]["status"] == "proposed"


def test_the_analyst_signs_in_and_sees_the_regional_dashboard(stack, browser_page):
    page = browser_page
    sign_in(page, stack, CENTRE, "analyste-region", then="/analyse")
    page.get_by_role("heading", name="Tableau de bord régional", level=1).wait_for()
    assert page.get_by_role("link", name="Tableau de bord régional").count() == 1   # the menu
    table = page.locator("table.figures").first
    headers = table.locator("thead th").all_inner_texts()
    assert "Total" in headers and len(headers) >= 3, headers
    cells = table.locator("tbody td").all_inner_texts()
    assert cells and all(re.fullmatch(r"[\d\u202f]+|supprimé|—", c.strip()) for c in cells), \
        cells
    shot(page, "analyste-tableau-de-bord")
    accessible(page)
    link = page.get_by_role("link", name="Télécharger en CSV (Excel)")
    csv = page.request.get(portal_url(stack, CENTRE) + link.get_attribute("href"))
    assert csv.status == 200 and csv.headers["content-type"].startswith("text/csv")
    assert csv.body().startswith("\ufeff".encode()) and b";" in csv.body()
    page.get_by_role("link", name="Personnes reçues par statut et par centre").first.click()
    page.get_by_role("heading", name="Personnes reçues par statut et par centre",
                     level=1).wait_for()
    shot(page, "analyste-tableau")
    accessible(page)
    assert page.goto(portal_url(stack, CENTRE) + "/analyse?annee=deux").status == 400
    assert page.get_by_role("heading", name="Demande invalide").is_visible()
