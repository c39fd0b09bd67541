"""The portal's recording and data-protection screens against a fake intake API: what
each form sends (body, If-Match), how the API's refusals come back next to the fields,
and the role checks. The browser tests (tests/e2e/portal) run them on the real stack."""
from __future__ import annotations

import time
import uuid

import pytest

from services.portal.adapters.services import Answer, ApiProblem
from services.portal.app import create_app
from services.portal.bootstrap import PortalConfig
from services.portal.views import reference

PID = str(uuid.uuid4())
VOCAB = {"permit_types": {"A": "Carte A"}, "dispense_grounds": {"medical": "Certificat médical"},
         "bilan_themes": {"housing": "Logement", "health": "Santé"},
         "cefr_levels": ["pre-A1", "A1", "A2", "B1"],
         "consent_purposes": {"referral": "Orientation"},
         "consent_recipients": ["commune", "cpas", "forem", "operators"],
         "erasure_reasons": {"gdpr_request": "Demande d'effacement (art. 17 RGPD)"},
         "access_purposes": {"accueil": "Accueil et inscription", "controle": "Contrôle"},
         "centres": {"cripel": "CRIPEL", "cai": "CAI"}}
FILE = {"person_id": PID, "version": 3, "registered_on": "2026-11-02",
        "identity": {"last_name": "Zovirulo", "first_names": "Samira",
                     "birth_date": "1985-07-30"},
        "address": {"commune_nis": "62063", "commune_name": "Liège"}, "residence": {},
        "eligibility": None, "dispenses": [], "bilan_social": None, "french_level": None,
        "consents": []}


class FakeIntake:
    def __init__(self):
        self.calls: list[tuple] = []
        self.refuse: ApiProblem | None = None

    def call(self, token, service, method, path, *, json=None, etag=None, raw=False, **kw):
        self.calls.append((method, path, json, etag))
        if path.startswith("/api/v1/reference/vocabularies"):
            return Answer(VOCAB)
        if path.startswith("/api/v1/reference/nationalities"):
            return Answer({"items": [{"code": "SY", "name": "Syrie"}]})
        if path.startswith("/api/v1/reference/communes"):
            return Answer({"items": [{"nis": "62063", "name": "Liège", "postal_codes": ["4000"],
                                      "in_this_centre": True}]})
        if method == "GET" and path.endswith("/access-log"):
            return Answer({"person_id": PID, "items": [
                {"read_by": f"agent-{i}", "roles": ["accueil"], "purpose": "accueil",
                 "what": "file", "read_at": f"2026-11-{i + 1:02d}T10:00:00Z"}
                for i in range(25)]})
        if method == "GET" and path.endswith("/export.pdf?purpose=demande_personne"):
            return Answer(None, content=b"%PDF-1.7 fake", content_type="application/pdf")
        if method == "GET" and path.startswith("/api/v1/audit/verify"):
            return Answer({"ok": True, "commits": 12, "problems": []})
        if method == "GET":
            return Answer(FILE, etag='"3"')
        if self.refuse:
            raise self.refuse
        return Answer({**FILE, "version": 4, "moved_to_centre": None}, etag='"4"')


@pytest.fixture
def app():
    reference._cache.clear()
    cfg = PortalConfig(centre="cripel", intake_url="http://intake.invalid",
                       pathway_url="http://p.invalid", partners_url="http://pa.invalid",
                       reporting_url="http://r.invalid", oidc_url="http://oidc.invalid",
                       client_id="portal", secret_key="k" * 32, secure_cookies=False)
    app = create_app(cfg)
    app.config.update(WTF_CSRF_ENABLED=False, TESTING=True)
    app.extensions["portal_services"] = FakeIntake()
    yield app
    reference._cache.clear()


def client_as(app, *roles, centre="cripel"):
    client = app.test_client()
    with client.session_transaction() as s:
        s["user"] = {"sub": f"{roles[0]}-{centre}", "name": "Test", "roles": list(roles),
                     "centre": centre, "token": "t", "exp": int(time.time()) + 3600}
    return client


def fake(app) -> FakeIntake:
    return app.extensions["portal_services"]


def test_the_file_shows_the_recording_links_of_the_users_role(app):
    page = client_as(app, "accueil").get(f"/personnes/{PID}").get_data(as_text=True)
    assert f"/personnes/{PID}/test-francais" in page and f"/personnes/{PID}/dispense" in page
    assert "export.pdf" not in page
    page = client_as(app, "dpo").get(f"/personnes/{PID}").get_data(as_text=True)
    assert "export.pdf" in page and "test-francais" not in page


def test_a_french_test_is_sent_with_the_iso_date_and_if_match(app):
    c = client_as(app, "accueil")
    form = c.get(f"/personnes/{PID}/test-francais").get_data(as_text=True)
    assert 'name="version" value="3"' in form
    r = c.post(f"/personnes/{PID}/test-francais", data={
        "version": "3", "level": "A1", "test_date": "15/03/2026", "tester": "T. Dubois"})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/personnes/{PID}")
    assert fake(app).calls[-1] == ("POST", f"/api/v1/persons/{PID}/french-tests", {
        "level": "A1", "test_date": "2026-03-15", "tester": "T. Dubois", "notes": ""}, "3")


def test_a_wrong_date_comes_back_next_to_the_field_in_the_pages_format(app):
    fake(app).refuse = ApiProblem(422, "Données invalides", "certains champs sont invalides",
                                  {"test_date": ["Date invalide (format AAAA-MM-JJ)."]})
    r = client_as(app, "accueil").post(f"/personnes/{PID}/test-francais", data={
        "version": "3", "level": "A1", "test_date": "31/02/2026", "tester": "T. Dubois"})
    page = r.get_data(as_text=True)
    assert r.status_code == 422
    assert 'id="e-test_date"' in page and "jj/mm/aaaa" in page and "31/02/2026" in page


def test_a_stale_version_shows_the_file_as_it_is_now(app):
    fake(app).refuse = ApiProblem(412, "Version périmée", "Le dossier a changé.")
    r = client_as(app, "accueil").post(f"/personnes/{PID}/dispense", data={
        "version": "2", "ground": "medical", "evidence_ref": "CM-1"})
    page = r.get_data(as_text=True)
    assert r.status_code == 412 and 'name="version" value="3"' in page
    assert 'value="CM-1"' in page and "modifié entre-temps" in page


def test_bilan_and_consent_bodies(app):
    c = client_as(app, "accueil")
    c.post(f"/personnes/{PID}/bilan-social", data={
        "version": "3", "needs.housing.need": "oui", "needs.housing.notes": "urgent",
        "needs.health.need": "non", "notes": "vu"})
    assert fake(app).calls[-1][:3] == ("PUT", f"/api/v1/persons/{PID}/bilan-social", {
        "needs": {"housing": {"need": True, "notes": "urgent"},
                  "health": {"need": False, "notes": ""}}, "notes": "vu"})
    c.post(f"/personnes/{PID}/consentement", data={
        "version": "4", "purpose": "referral", "recipients.forem": "1",
        "recipients.cpas": "1", "given": "oui"})
    assert fake(app).calls[-1][2] == {"purpose": "referral", "recipients": ["forem", "cpas"],
                                      "given": True, "evidence_ref": None}


def test_the_dpo_pages_are_for_the_dpo_only(app):
    c = client_as(app, "accueil")
    for path in ("/dpo", f"/dpo/personnes/{PID}", f"/dpo/personnes/{PID}/effacement",
                 "/dpo/audit", f"/personnes/{PID}/export.pdf"):
        r = c.get(path)
        assert r.status_code == 403 and "Accès refusé" in r.get_data(as_text=True), path
    assert client_as(app, "dpo").get(f"/personnes/{PID}/dispense").status_code == 403


def test_the_access_log_is_paginated_newest_first(app):
    c = client_as(app, "dpo")
    page = c.get(f"/dpo/personnes/{PID}").get_data(as_text=True)
    assert "agent-24" in page and "agent-4" not in page and "Page 1 sur 2" in page
    page = c.get(f"/dpo/personnes/{PID}?page=2").get_data(as_text=True)
    assert "agent-4" in page and "agent-24" not in page


def test_the_export_is_passed_through_as_a_pdf(app):
    r = client_as(app, "dpo").get(f"/personnes/{PID}/export.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.data.startswith(b"%PDF") and r.headers["Cache-Control"] == "no-store"


def test_erasure_needs_the_typed_confirmation(app):
    c = client_as(app, "dpo")
    page = c.get(f"/dpo/personnes/{PID}/effacement").get_data(as_text=True)
    assert "définitif" in page and 'name="version" value="3"' in page
    r = c.post(f"/dpo/personnes/{PID}/effacement", data={"version": "3",
                                                          "reason": "gdpr_request",
                                                          "confirmation": "oui"})
    assert r.status_code == 422 and 'id="e-confirmation"' in r.get_data(as_text=True)
    assert not [call for call in fake(app).calls if call[0] == "POST"]
    r = c.post(f"/dpo/personnes/{PID}/effacement", data={
        "version": "3", "reason": "gdpr_request", "confirmation": "effacer"})
    assert r.status_code == 302 and r.headers["Location"].endswith("/dpo")
    assert fake(app).calls[-1] == ("POST", f"/api/v1/persons/{PID}/erasure",
                                   {"reason": "gdpr_request"}, "3")


def test_opening_a_malformed_id_says_so_on_the_form(app):
    r = client_as(app, "dpo").post("/dpo/ouvrir", data={"person_id": "Zovirulo"})
    assert r.status_code == 422 and "UUID" in r.get_data(as_text=True)
    r = client_as(app, "dpo").post("/dpo/ouvrir", data={"person_id": PID.upper()})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/dpo/personnes/{PID}")


def test_audit_results(app):
    page = client_as(app, "dpo").get("/dpo/audit").get_data(as_text=True)
    assert "intactes" in page and "12" in page


def test_a_practitioner_is_erased_by_ids_with_the_typed_confirmation(app):
    c = client_as(app, "dpo")
    page = c.get("/dpo").get_data(as_text=True)
    assert "Effacer un intervenant formé" in page and 'name="registration_id"' in page
    form = {"training_id": "f-interculturel", "registration_id": "ab12", "confirmation": "oui"}
    r = c.post("/dpo/intervenants/effacement", data=form)
    assert r.status_code == 422 and 'id="e-confirmation"' in r.get_data(as_text=True)
    r = c.post("/dpo/intervenants/effacement",
               data={**form, "registration_id": "../persons/x", "confirmation": "EFFACER"})
    assert r.status_code == 422 and 'id="e-registration_id"' in r.get_data(as_text=True)
    assert not [call for call in fake(app).calls if call[0] == "POST"]
    r = c.post("/dpo/intervenants/effacement", data={**form, "confirmation": "effacer"})
    assert r.status_code == 302 and r.headers["Location"].endswith("/dpo")
    assert fake(app).calls[-1] == (
        "POST", "/api/v1/trainings/f-interculturel/registrations/ab12/erasure", None, None)
    fake(app).refuse = ApiProblem(404, "Introuvable", "inscription inconnue", {})
    r = c.post("/dpo/intervenants/effacement", data={**form, "confirmation": "EFFACER"})
    page = r.get_data(as_text=True)
    assert r.status_code == 404 and "inscription inconnue" in page
    assert 'value="ab12"' in page                       # the form keeps what was typed
    r = client_as(app, "coordination").post("/dpo/intervenants/effacement",
                                            data={**form, "confirmation": "EFFACER"})
    assert r.status_code == 403
