"""The local-action screens of the portal (plans, activities, trainings) against a fake
of the partners API: what each page asks the API (bodies, If-Match), what it shows of
the answer (a measure against its target, who approved what), the French messages of a
refusal next to the fields, a partner kept to its own operator's actions, and the
certificate streamed as a PDF."""
from __future__ import annotations

import copy
import html

import pytest

from services.portal.adapters.services import Answer, ApiProblem
from services.portal.app import create_app
from services.portal.bootstrap import PortalConfig
from tests.unit.portal.test_partner_screens import FakeServices, client_as, page

OPERATORS = [{"operator_id": "ili-x", "name": "ASBL Lire et Écrire"},
             {"operator_id": "eps-y", "name": "Promotion sociale Y"}]
PLAN = {"plan_id": "pli-1", "title": "PLI Chaudfontaine", "communes": ["62022"],
        "period_from": "2026-01-01", "period_to": "2028-12-31", "status": "adopted",
        "plan_version": 1, "version": 7,
        "diagnosis": [{"theme": "language", "findings": "Peu de places de FLE",
                       "priority": "high"}],
        "objectives": [{"objective_id": "o1", "theme": "language", "text": "Plus de FLE"}],
        "actions": [
            {"action_id": "a1", "title": "Deux groupes FLE", "objective_id": "o1",
             "lead_operator_id": "ili-x", "operators": ["ili-x"], "communes": ["62022"],
             "budget": 15000.0, "period_from": "2026-01-01", "period_to": "2026-12-31",
             "status": "in_progress"},
            {"action_id": "a2", "title": "Cours du soir", "objective_id": None,
             "lead_operator_id": "eps-y", "operators": ["eps-y"], "communes": ["62022"],
             "budget": 5000.0, "period_from": "2026-01-01", "period_to": "2026-12-31",
             "status": "planned"}],
        "indicators": [{"indicator_id": "places", "label": "Places de FLE ouvertes",
                        "objective_id": "o1", "unit": "count", "baseline": 20.0,
                        "target": 60.0, "target_on": "2028-12-31",
                        "measurements": [{"value": 40.0, "measured_on": "2026-06-30"}]}],
        "approvals": [{"plan_version": 1, "step": "drafted", "by": "coordination-cripel",
                       "on": "2026-01-10", "note": None},
                      {"plan_version": 1, "step": "adopted", "by": "coordination-cripel",
                       "on": "2026-03-12", "note": "conseil communal du 12/03/2026"}]}
ACTIVITY = {"activity_id": "act-1", "title": "Atelier contre les discriminations",
            "operator_id": "ili-x", "kind": "workshop", "theme": "anti_discrimination",
            "public": "all", "commune_nis": "62022", "partners": [], "starts_on": "2026-02-01",
            "ends_on": "2026-02-02", "place": "Salle communale", "listed": True,
            "plan_id": None, "action_id": None, "status": "planned", "counts": {},
            "descriptions": [{"lang": "ar", "text": "ورشة عمل"}], "linked": 0,
            "participants": 0, "version": 3}
TRAINING = {"training_id": "form-1", "title": "Le parcours d'intégration", "theme": "pathway",
            "audiences": ["operator", "cpas"], "commune_nis": "62022", "capacity": 10,
            "sessions": [{"date": "2026-01-20", "hours": 3.5}], "registered": 1,
            "places_left": 9, "version": 2}
REGISTRATION = {"registration_id": "reg-1", "operator_id": "ili-x", "audience": "operator",
                "registered_on": "2026-01-05", "status": "registered",
                "attendance": {"2026-01-20": 3.5}, "evaluation": None, "hours": 3.5,
                "training_id": "form-1", "name": "Amélie Dupont",
                "organisation": "ASBL Lire et Écrire", "role": "formatrice", "erased": False}


@pytest.fixture
def fake():
    f = FakeServices()
    f.on("GET", "/api/v1/operators", page(OPERATORS))
    f.on("GET", "/api/v1/plans", page([{k: v for k, v in PLAN.items()
                                        if k not in ("actions", "indicators")}]))
    f.on("GET", "/api/v1/plans/pli-1", copy.deepcopy(PLAN))
    f.on("GET", "/api/v1/activities", page([ACTIVITY]))
    f.on("GET", "/api/v1/activities/act-1", Answer(ACTIVITY, '"3"'))
    f.on("GET", "/api/v1/trainings", page([TRAINING]))
    f.on("GET", "/api/v1/trainings/form-1", TRAINING)
    f.on("GET", "/api/v1/trainings/form-1/registrations", page([REGISTRATION]))
    f.on("GET", "/api/v1/trainings/form-1/registrations/reg-1", REGISTRATION)
    return f


@pytest.fixture
def app(fake):
    app = create_app(PortalConfig(
        centre="cripel", intake_url="http://intake.invalid", pathway_url="http://p.invalid",
        partners_url="http://partners.invalid", reporting_url="http://reporting.invalid",
        oidc_url="http://oidc.invalid", client_id="portal-cripel", secret_key="k" * 32,
        secure_cookies=False))
    app.config["WTF_CSRF_ENABLED"] = False
    app.extensions["portal_services"] = fake
    return app


def text(resp) -> str:
    return html.unescape(resp.get_data(as_text=True))


def sent(fake, method, path):
    return [kw for (_s, m, p, kw) in fake.calls if m == method and p == path]


def clean(body: str) -> None:
    assert " style=" not in body and "<script>" not in body


# ---- plans -------------------------------------------------------------------------

def test_a_plan_shows_its_measure_against_the_target_and_who_approved_it(app):
    c = client_as(app, ["coordination"])
    r = c.get("/plans/pli-1")
    body = text(r)
    assert r.status_code == 200
    clean(body)
    assert '<progress class="indicator-progress" max="100" value="50"' in body
    assert "<strong>50 %</strong> du chemin" in body and "pour une cible de 60" in body
    assert "conseil communal du 12/03/2026" in body and "12/03/2026" in body
    assert "coordination-cripel" in body
    assert "Enregistrer la mesure" in body and "Adopter le plan" not in body
    assert "Ouvrir une nouvelle version" in body and "Évaluer le plan" in body
    assert "15\u202f000" in body


def test_the_plans_list_filters_by_state_and_pages(app):
    c = client_as(app, ["coordination"])
    assert "PLI Chaudfontaine" in text(c.get("/plans?statut=adopted"))
    assert "Aucun plan ne correspond" in text(c.get("/plans?statut=draft"))
    assert "Aucun plan ne correspond" in text(c.get("/plans?commune=57081"))
    assert c.get("/plans?page=abc").status_code == 400


def test_a_draft_is_sent_with_its_diagnosis_by_theme_and_objectives(app, fake):
    created = {**PLAN, "status": "draft", "plan_id": "pli-2"}
    fake.on("POST", "/api/v1/plans", Answer(created, '"1"', 201))
    c = client_as(app, ["coordination"])
    assert c.get("/plans/nouveau").status_code == 200
    r = c.post("/plans/nouveau", data={
        "plan_id": "pli-2", "title": "PLI Chaudfontaine", "communes": "62022, 62063",
        "period_from": "01/01/2026", "period_to": "31/12/2028",
        "diagnosis.language.findings": "Peu de places", "diagnosis.language.priority": "high",
        "diagnosis.housing.findings": "", "objectives.0.objective_id": "o1",
        "objectives.0.theme": "language", "objectives.0.text": "Plus de FLE",
        "objectives.1.objective_id": "", "objectives.1.theme": "", "objectives.1.text": ""})
    assert r.status_code == 302 and r.headers["Location"].endswith("/plans/pli-2")
    body = sent(fake, "POST", "/api/v1/plans")[0]["json"]
    assert body == {"plan_id": "pli-2", "title": "PLI Chaudfontaine",
                    "communes": ["62022", "62063"], "period_from": "2026-01-01",
                    "period_to": "2028-12-31",
                    "diagnosis": [{"theme": "language", "findings": "Peu de places",
                                   "priority": "high"}],
                    "objectives": [{"objective_id": "o1", "theme": "language",
                                    "text": "Plus de FLE"}]}


def test_a_refused_draft_shows_the_messages_next_to_the_theme_and_the_row(app, fake):
    fake.on("POST", "/api/v1/plans", ApiProblem(422, "Données invalides", "voir les champs",
                                                {"communes": {"0": ["commune inconnue"]},
                                                 "diagnosis": {"0": {"findings": ["trop long"]}},
                                                 "period_to": ["avant le début"]}))
    c = client_as(app, ["coordination"])
    r = c.post("/plans/nouveau", data={
        "plan_id": "pli-3", "title": "x", "communes": "99999", "period_from": "01/01/2026",
        "period_to": "01/01/2025", "diagnosis.housing.findings": "long"})
    body = text(r)
    assert r.status_code == 422
    assert 'id="e-diagnosis-housing-findings"' in body and "trop long" in body
    assert "avant le début" in body and 'value="01/01/2025"' in body
    assert 'aria-invalid="true"' in body


def test_a_revision_sends_the_version_as_if_match_and_a_412_is_explained(app, fake):
    draft = {**PLAN, "status": "draft"}
    fake.on("GET", "/api/v1/plans/pli-1", draft)
    fake.on("PUT", "/api/v1/plans/pli-1", ApiProblem(412, "Précondition", "version"))
    c = client_as(app, ["coordination"])
    form = text(c.get("/plans/pli-1/modifier"))
    assert 'name="version" value="7"' in form and 'value="Peu de places de FLE"' not in form
    assert "Peu de places de FLE</textarea>" in form
    r = c.post("/plans/pli-1/modifier", data={"version": "7", "title": "PLI", "communes": "62022",
                                              "period_from": "01/01/2026",
                                              "period_to": "31/12/2028"})
    assert r.status_code == 412 and "modifié cette fiche entre-temps" in text(r)
    assert sent(fake, "PUT", "/api/v1/plans/pli-1")[0]["etag"] == "7"


def test_adoption_measure_and_new_version_are_posted(app, fake):
    fake.on("POST", "/api/v1/plans/pli-1/indicators/places/measurements", PLAN)
    fake.on("POST", "/api/v1/plans/pli-1/versions", PLAN)
    fake.on("POST", "/api/v1/plans/pli-1/adoption", ApiProblem(
        409, "Conflit", "le plan est déjà adopté"))
    c = client_as(app, ["coordination"])
    r = c.post("/plans/pli-1/indicateurs/places/mesures",
               data={"value": "45,5", "measured_on": "30/09/2026"})
    assert r.status_code == 302
    assert sent(fake, "POST", "/api/v1/plans/pli-1/indicators/places/measurements")[0][
        "json"] == {"value": 45.5, "measured_on": "2026-09-30"}
    r = c.post("/plans/pli-1/version", data={"version": "7", "reason": "budget revu"})
    assert r.status_code == 302
    assert sent(fake, "POST", "/api/v1/plans/pli-1/versions")[0]["json"] == {
        "reason": "budget revu"}
    r = c.post("/plans/pli-1/adoption", data={"version": "7", "decision": "conseil"})
    assert r.status_code == 409 and "le plan est déjà adopté" in text(r)
    assert c.post("/plans/pli-1/autre", data={}).status_code == 404


def test_a_refused_measure_shows_its_message_beside_the_indicator(app, fake):
    fake.on("POST", "/api/v1/plans/pli-1/indicators/places/measurements", ApiProblem(
        422, "Données invalides", "voir les champs", {"measured_on": ["date future"]}))
    c = client_as(app, ["coordination"])
    r = c.post("/plans/pli-1/indicateurs/places/mesures",
               data={"value": "45", "measured_on": "01/01/2099"})
    body = text(r)
    assert r.status_code == 422 and 'id="e-md-places"' in body and "date future" in body


def test_a_partner_edits_its_own_action_only(app, fake):
    draft = {**copy.deepcopy(PLAN), "status": "draft"}
    fake.on("GET", "/api/v1/plans/pli-1", draft)
    fake.on("GET", "/api/v1/operators", ApiProblem(403, "Accès refusé", "non"))
    fake.on("PUT", "/api/v1/plans/pli-1/actions/a1", draft)
    fake.on("POST", "/api/v1/plans/pli-1/actions/a1/status", draft)
    c = client_as(app, ["partenaire"], operator_id="ili-x")
    body = text(c.get("/plans/pli-1"))
    assert 'href="/plans/pli-1/actions/a1"' in body and 'href="/plans/pli-1/actions/a2"' not in body
    assert 'id="st-a1"' in body and 'id="st-a2"' not in body
    assert "Enregistrer la mesure" not in body and "Adopter le plan" not in body
    assert c.get("/plans/pli-1/actions/a1").status_code == 200
    assert c.get("/plans/pli-1/actions/a2").status_code == 403
    assert c.get("/plans/pli-1/actions/nouvelle").status_code == 403
    r = c.post("/plans/pli-1/actions", data={
        "action_id": "a1", "existing": "1", "version": "7", "title": "Trois groupes",
        "lead_operator_id": "eps-y", "operators": "ili-x", "communes": "62022",
        "budget": "16 000", "period_from": "01/01/2026", "period_to": "31/12/2026",
        "status": "in_progress"})
    assert r.status_code == 302
    call = sent(fake, "PUT", "/api/v1/plans/pli-1/actions/a1")[0]
    assert call["json"]["lead_operator_id"] == "ili-x"     # never another operator
    assert call["json"]["budget"] == 16000.0 and call["etag"] == "7"
    assert c.post("/plans/pli-1/actions", data={"action_id": "a2", "existing": "1",
                                                "title": "x"}).status_code == 403
    assert not sent(fake, "PUT", "/api/v1/plans/pli-1/actions/a2")
    assert c.post("/plans/pli-1/actions/a1/avancement",
                  data={"status": "done"}).status_code == 302
    assert c.get("/plans/nouveau").status_code == 403


def test_an_indicator_is_put_with_its_numbers(app, fake):
    fake.on("GET", "/api/v1/plans/pli-1", {**PLAN, "status": "draft"})
    fake.on("PUT", "/api/v1/plans/pli-1/indicators/places", PLAN)
    c = client_as(app, ["coordination"])
    assert 'value="60"' in text(c.get("/plans/pli-1/indicateurs/places"))
    r = c.post("/plans/pli-1/indicateurs", data={
        "indicator_id": "places", "existing": "1", "version": "7", "label": "Places",
        "objective_id": "o1", "unit": "count", "baseline": "20", "target": "90",
        "target_on": "31/12/2028"})
    assert r.status_code == 302
    assert sent(fake, "PUT", "/api/v1/plans/pli-1/indicators/places")[0]["json"] == {
        "label": "Places", "objective_id": "o1", "unit": "count", "baseline": 20.0,
        "target": 90.0, "target_on": "2028-12-31"}
    r = c.post("/plans/pli-1/indicateurs", data={"indicator_id": "../x", "label": "y"})
    assert r.status_code == 422 and "identifiant requis" in text(r)


# ---- activities --------------------------------------------------------------------

def test_activities_list_and_page(app):
    c = client_as(app, ["coordination"])
    body = text(c.get("/activites?theme=anti_discrimination&commune=62022"))
    assert "Atelier contre les discriminations" in body
    body = text(c.get("/activites/act-1"))
    clean(body)
    assert 'lang="ar" dir="rtl"' in body and "Enregistrer la participation" in body
    assert 'id="f-counts-newcomers"' in body


def test_participation_counts_are_sent_and_a_refusal_shown(app, fake):
    fake.on("PUT", "/api/v1/activities/act-1/participation",
            {**ACTIVITY, "status": "held", "participants": 15})
    c = client_as(app, ["partenaire"], operator_id="ili-x")
    r = c.post("/activites/act-1/participation",
               data={"counts.newcomers": "9", "counts.residents": "6", "counts.other": ""})
    assert r.status_code == 302
    assert sent(fake, "PUT", "/api/v1/activities/act-1/participation")[0]["json"] == {
        "counts": {"newcomers": 9, "residents": 6}}
    fake.on("PUT", "/api/v1/activities/act-1/participation", ApiProblem(
        422, "Données invalides", "voir les champs",
        {"counts": {"newcomers": {"value": ["doit être positif"]}}}))
    r = c.post("/activites/act-1/participation", data={"counts.newcomers": "-3"})
    body = text(r)
    assert r.status_code == 422 and 'id="e-counts-newcomers"' in body
    assert "doit être positif" in body and 'value="-3"' in body


def test_an_activity_is_created_for_the_partners_own_operator(app, fake):
    fake.on("POST", "/api/v1/activities", Answer(ACTIVITY, '"1"', 201))
    c = client_as(app, ["partenaire"], operator_id="ili-x")
    assert c.get("/activites/nouvelle").status_code == 200
    r = c.post("/activites/nouvelle", data={
        "activity_id": "act-1", "title": "Atelier", "operator_id": "eps-y", "kind": "workshop",
        "theme": "anti_discrimination", "public": "all", "commune_nis": "62022",
        "starts_on": "01/02/2026", "ends_on": "02/02/2026", "listed": "1",
        "descriptions.0.lang": "fr", "descriptions.0.text": "Ouvert à tous"})
    assert r.status_code == 302
    body = sent(fake, "POST", "/api/v1/activities")[0]["json"]
    assert body["operator_id"] == "ili-x" and body["starts_on"] == "2026-02-01"
    assert body["descriptions"] == [{"lang": "fr", "text": "Ouvert à tous"}]
    assert body["listed"] is True


def test_an_activity_edit_sends_if_match_and_cancel_posts(app, fake):
    fake.on("PUT", "/api/v1/activities/act-1", ACTIVITY)
    fake.on("POST", "/api/v1/activities/act-1/cancellation", ACTIVITY)
    c = client_as(app, ["coordination"])
    form = text(c.get("/activites/act-1/modifier"))
    assert 'value="01/02/2026"' in form and 'name="version" value="3"' in form
    r = c.post("/activites/act-1/modifier", data={
        "version": "3", "title": "Atelier", "kind": "workshop", "theme": "housing",
        "commune_nis": "62022", "starts_on": "01/02/2026", "ends_on": "02/02/2026"})
    assert r.status_code == 302
    assert sent(fake, "PUT", "/api/v1/activities/act-1")[0]["etag"] == "3"
    assert c.post("/activites/act-1/annulation").status_code == 302


def test_another_operators_activity_is_the_403_page(app, fake):
    fake.on("GET", "/api/v1/activities/act-9", ApiProblem(
        403, "Accès refusé", "cette activité relève d'un autre opérateur"))
    c = client_as(app, ["partenaire"], operator_id="ili-x")
    r = c.get("/activites/act-9")
    assert r.status_code == 403 and "relève d'un autre opérateur" in text(r)


# ---- trainings ---------------------------------------------------------------------

def test_a_training_is_scheduled_with_its_sessions(app, fake):
    fake.on("POST", "/api/v1/trainings", Answer(TRAINING, '"1"', 201))
    c = client_as(app, ["coordination"])
    assert c.get("/formations/nouvelle").status_code == 200
    r = c.post("/formations/nouvelle", data={
        "training_id": "form-1", "title": "Le parcours", "theme": "pathway",
        "audiences": ["operator", "cpas"], "commune_nis": "62022", "capacity": "10",
        "sessions.0.date": "20/01/2026", "sessions.0.hours": "3,5",
        "sessions.1.date": "", "sessions.1.hours": ""})
    assert r.status_code == 302
    assert sent(fake, "POST", "/api/v1/trainings")[0]["json"] == {
        "training_id": "form-1", "title": "Le parcours", "theme": "pathway",
        "audiences": ["operator", "cpas"], "commune_nis": "62022", "capacity": 10,
        "sessions": [{"date": "2026-01-20", "hours": 3.5}]}
    assert client_as(app, ["partenaire"], operator_id="ili-x").get(
        "/formations/nouvelle").status_code == 403


def test_registrations_attendance_evaluation_and_certificate(app, fake):
    fake.on("POST", "/api/v1/trainings/form-1/registrations",
            Answer(REGISTRATION, '"3"', 201))
    fake.on("POST", "/api/v1/trainings/form-1/registrations/reg-1/attendance", REGISTRATION)
    fake.on("PUT", "/api/v1/trainings/form-1/registrations/reg-1/evaluation", ApiProblem(
        409, "Conflit", "une évaluation suit une présence", {"satisfaction": ["hors échelle"]}))
    fake.on("GET", "/api/v1/trainings/form-1/registrations/reg-1/certificate.pdf",
            Answer(None, None, 200, b"%PDF-1.4 fake", "application/pdf"))
    c = client_as(app, ["coordination"])
    body = text(c.get("/formations/form-1"))
    clean(body)
    assert "Amélie Dupont" in body and "3,5" in body
    r = c.post("/formations/form-1/inscriptions", data={
        "name": "Amélie Dupont", "organisation": "ASBL", "role": "formatrice",
        "audience": "operator", "operator_id": "ili-x"})
    assert r.status_code == 302 and "Amélie" not in r.headers["Location"]
    assert r.headers["Location"].endswith("/formations/form-1/inscriptions/reg-1")
    r = c.post("/formations/form-1/inscriptions/reg-1/presence",
               data={"session_date": "2026-01-20", "present": "1"})
    assert r.status_code == 302
    assert sent(fake, "POST", "/api/v1/trainings/form-1/registrations/reg-1/attendance")[0][
        "json"] == {"session_date": "2026-01-20", "present": True}
    r = c.post("/formations/form-1/inscriptions/reg-1/evaluation",
               data={"satisfaction": "9", "usefulness": "4"})
    assert r.status_code == 409 and "hors échelle" in text(r)
    page_ = text(c.get("/formations/form-1/inscriptions/reg-1"))
    assert "Télécharger l'attestation (PDF)" in page_
    pdf = c.get("/formations/form-1/inscriptions/reg-1/attestation.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")


def test_a_partner_registers_its_own_staff(app, fake):
    fake.on("POST", "/api/v1/trainings/form-1/registrations",
            Answer(REGISTRATION, '"3"', 201))
    c = client_as(app, ["partenaire"], operator_id="ili-x")
    body = text(c.get("/formations/form-1"))
    assert "Inscrire" in body and 'id="f-operator_id"' not in body
    r = c.post("/formations/form-1/inscriptions", data={
        "name": "Karim B.", "organisation": "ASBL", "role": "animateur",
        "audience": "operator", "operator_id": "eps-y"})
    assert r.status_code == 302
    assert sent(fake, "POST", "/api/v1/trainings/form-1/registrations")[0]["json"][
        "operator_id"] == "ili-x"
    assert c.post("/formations/form-1/inscriptions/reg-1/presence",
                  data={"session_date": "2026-01-20"}).status_code == 403


def test_the_menu_offers_local_action_to_coordination_and_partners(app):
    body = text(client_as(app, ["coordination"]).get("/plans"))
    assert "Formations des intervenants" in body and "Activités d'intégration" in body
    assert client_as(app, ["accueil"]).get("/plans").status_code == 403
    assert client_as(app, ["accueil"]).get("/formations").status_code == 403


# ---- the public directory's content ---------------------------------------------------

FEED = {"centre": {"id": "cripel", "name": "CRIPEL", "address": "Place Xavier Neujean 19b, Liège",
                   "phone": "04 220 01 20", "email": None, "website": None, "hours": None,
                   "descriptions": [{"lang": "ar", "language": "arabe", "dir": "rtl",
                                     "text": "مرحبا"}]},
        "generated_on": "2026-01-05", "lang": "fr",
        "communes": [{"commune_nis": "62022", "commune": "Chaudfontaine", "activities": [],
                      "offers": [{"offer_id": "fic-x", "title": "Cours", "free_seats": 3,
                                  "descriptions": [{"lang": "fr", "language": "français",
                                                    "dir": "ltr", "text": "Pour débuter"}]}]}]}
OFFER = {"offer_id": "fic-x", "operator_id": "ili-x", "title": "Cours", "capacity": 5,
         "taken": 2}


def test_the_centres_contact_is_published_with_its_descriptions(app, fake):
    fake.on("GET", "/api/v1/directory", FEED)
    fake.on("PUT", "/api/v1/directory/contact", FEED["centre"])
    c = client_as(app, ["coordination"])
    body = text(c.get("/annuaire"))
    clean(body)
    assert 'value="Place Xavier Neujean 19b, Liège"' in body
    assert 'lang="ar" dir="rtl">مرحبا</textarea>' in body
    r = c.post("/annuaire/contact", data={
        "name": "CRIPEL", "address": "Liège", "phone": "04 220 01 20", "email": "",
        "descriptions.0.lang": "fr", "descriptions.0.text": "Accueil le matin",
        "descriptions.1.lang": "", "descriptions.1.text": ""})
    assert r.status_code == 302
    assert sent(fake, "PUT", "/api/v1/directory/contact")[0]["json"] == {
        "name": "CRIPEL", "address": "Liège", "phone": "04 220 01 20", "email": None,
        "website": None, "hours": None,
        "descriptions": [{"lang": "fr", "text": "Accueil le matin"}]}
    assert client_as(app, ["partenaire"], operator_id="ili-x").get("/annuaire").status_code \
        == 403


def test_an_offers_descriptions_are_prefilled_and_a_refusal_shown_by_row(app, fake):
    fake.on("GET", "/api/v1/directory", FEED)
    fake.on("GET", "/api/v1/offers/fic-x", OFFER)
    fake.on("PUT", "/api/v1/directory/offers/fic-x", ApiProblem(
        422, "Données invalides", "voir les champs",
        {"descriptions": {"0": {"lang": ["langue inconnue"]}}}))
    c = client_as(app, ["partenaire"], operator_id="ili-x")
    body = text(c.get("/annuaire/offres/fic-x"))
    assert "Pour débuter</textarea>" in body and 'href="/operateur/offres/fic-x"' in body
    r = c.post("/annuaire/offres/fic-x", data={
        "descriptions.0.lang": "", "descriptions.0.text": "",
        "descriptions.2.lang": "xx", "descriptions.2.text": "texte"})
    body = text(r)
    assert r.status_code == 422 and 'id="e-f-descriptions-2-lang"' not in body
    assert 'aria-invalid="true" aria-describedby="e-descriptions-2-lang"' in body
    assert "langue inconnue" in body
    assert sent(fake, "PUT", "/api/v1/directory/offers/fic-x")[0]["json"] == {
        "descriptions": [{"lang": "xx", "text": "texte"}]}
