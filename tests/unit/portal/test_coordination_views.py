"""The coordination screens against a fake of the centre's services: what each page
sends (bodies, If-Match), how a refusal is shown again, the 400/403/404 pages."""
from __future__ import annotations

import re
import time
import uuid

import pytest

from services.portal.adapters.services import Answer, ApiProblem, Services
from services.portal.app import create_app
from services.portal.bootstrap import PortalConfig

PID = str(uuid.uuid4())
SUSPENSION = str(uuid.uuid4())
INTERVIEW = str(uuid.uuid4())


def pathway(**over) -> dict:
    body = {
        "person_id": PID, "pseudonym": "PS-1234", "centre": "cripel", "status": "open",
        "eligibility": "obligated", "opened_on": "2026-01-10", "on_request": False,
        "previous_centres": [], "version": 7,
        "reception": {"steps": [{"step": "information", "done_on": "2026-01-12",
                                 "session": "group"}], "completed_on": None},
        "convention": None, "requirements": {}, "trainings_done": False,
        "french": {"test_level": "A1", "proven_level": None, "proven_on": None},
        "orientation_completed_on": None,
        "clock": {"has_deadline": True, "rule_version": "2025", "clock_start": "2025-06-01",
                  "base_deadline": "2028-06-01", "deadline": "2028-07-01",
                  "days_remaining": 800, "suspended": True, "suspended_days": 30,
                  "extensions": [{"months": 1, "reason": "illness",
                                  "granted_on": "2026-02-01"}],
                  "suspensions": [{"suspension_id": SUSPENSION, "reason": "illness",
                                   "start": "2026-03-01", "end": None}]},
        "interviews": {"items": [{"interview_id": INTERVIEW, "scheduled_for": "2026-04-01",
                                  "held_on": None, "person_attended": None,
                                  "training_attendance": None, "absence_reasons": [],
                                  "programme_changes": [], "extension_needed": None}],
                       "next_due": "2026-07-01", "overdue": True},
        "non_compliance_flags": [], "work_queue": ["interview_overdue"], "transfers": [],
        "attestations": [{"number": "CRIPEL-2026-000123-K7Q2", "issued_on": "2026-05-02",
                          "centre": "cripel", "holder_initials": "S.E.", "revoked_on": None,
                          "revocation_reason": None}]}
    body.update(over)
    return body


class Fake:
    def __init__(self):
        self.calls = []
        self.pathway = pathway()
        self.problem: ApiProblem | None = None
        self.gone = False

    def __call__(self, _self, token, service, method, path, json=None, etag=None, files=None,
                 data=None, raw=False):
        self.calls.append((service, method, path, json, etag))
        if method == "POST" and self.problem:
            raise self.problem
        if service == "intake":
            return Answer({"person_id": PID, "identity": {"first_names": "Samira",
                                                          "last_name": "El Amrani"}})
        if path.endswith("/referrals"):
            return Answer({"items": [{"referral_id": "r1", "kind": "citizenship",
                                      "operator_id": "ili-cripel", "proposed_on": "2026-02-01",
                                      "status": "accepted", "updated_on": "2026-02-02"}]})
        if path.startswith("/api/v1/pathways/") and method == "GET":
            if self.gone:
                raise ApiProblem(410, "Parcours transféré", "parcours transféré vers cai",
                                 None, {"forwarded_to": "cai"})
            return Answer(self.pathway, '"7"')
        if "/pdf" in path:
            return Answer(None, content=b"%PDF-1.4 fake", content_type="application/pdf")
        if method == "GET":
            total = 41 if "within=30" in path else 3
            return Answer({"items": [{"person_id": PID, "pseudonym": "PS-1", "status": "open",
                                      "eligibility": "obligated", "deadline": "2026-09-01",
                                      "days_remaining": 20, "work_queue": [], "flags": [],
                                      "transfer_id": str(uuid.uuid4()), "from_centre": "cai",
                                      "to_centre": "cripel", "state": "proposed",
                                      "trigger": "manual", "proposed_on": "2026-05-01",
                                      "version": 1, "preview": {"status": "obligated"}}],
                           "total": total, "page": 1, "page_size": 20})
        return Answer(self.pathway, '"8"')


@pytest.fixture
def fake(monkeypatch):
    f = Fake()
    monkeypatch.setattr(Services, "call", lambda self, *a, **kw: f(self, *a, **kw))
    return f


@pytest.fixture
def client(fake):
    cfg = PortalConfig("cripel", "http://intake", "http://pathway", "http://partners",
                       "http://reporting", "http://oidc", "portal", "", "k" * 32, "", False)
    app = create_app(cfg)
    app.config["WTF_CSRF_ENABLED"] = False
    c = app.test_client()
    c.sign_in = lambda roles, centre="cripel": _session(c, roles, centre)
    c.sign_in(["coordination"])
    return c


def _session(c, roles, centre):
    with c.session_transaction() as s:
        s["user"] = {"sub": "u", "name": "U", "roles": roles, "centre": centre, "token": "t",
                     "exp": int(time.time()) + 3600}


def page(client, url, status=200, method="get", **kw) -> str:
    r = getattr(client, method)(url, **kw)
    body = r.get_data(as_text=True)
    assert r.status_code == status, (url, r.status_code, body[-2000:])
    assert 'style="' not in body and "<script>" not in body    # the CSP forbids them
    return body


def test_the_pathway_page_shows_every_part_with_unique_ids(client):
    body = page(client, f"/parcours/{PID}")
    for text in ("Samira El Amrani", "Module d'accueil", "800 jours restants",
                 "01/07/2028", "Prolongation de 1 mois", "Entretien en retard",
                 "CRIPEL-2026-000123-K7Q2", "Formation à la citoyenneté (FIC)",
                 "Proposer le transfert"):
        assert text in body, text
    ids = re.findall(r'\sid="([^"]+)"', body)
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
    assert all(f'for="{i}"' in body or not i.startswith("f-") for i in ids)


def test_hours_are_progress_bars_with_a_text(client, fake):
    fake.pathway = pathway(convention={"signed_on": "2026-01-21", "requirements": []},
                           requirements={"citizenship": {"required": 60, "credited": 20.5,
                                                         "remaining": 39.5, "done": False,
                                                         "ended_by": None}})
    body = page(client, f"/parcours/{PID}")
    assert re.search(r'<progress id="h-citizenship" max="60" value="20.5">', body)
    assert "20,5 h sur 60 h" in body and '<label for="h-citizenship">' in body


def test_a_form_sends_the_version_and_dates_as_iso(client, fake):
    r = client.post(f"/parcours/{PID}/entretiens/compte-rendu", data={
        "version": "7", "itv.interview_id": INTERVIEW, "itv.held_on": "02/04/2026",
        "itv.person_attended": "oui", "itv.absence.illness": "1"})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/parcours/{PID}#entretiens")
    assert fake.calls[-1] == ("pathway", "POST",
                              f"/api/v1/pathways/{PID}/interviews/{INTERVIEW}/record",
                              {"held_on": "2026-04-02", "person_attended": True,
                               "absence_reasons": ["illness"], "programme_changes": [],
                               "extension_needed": False}, "7")
    client.post(f"/parcours/{PID}/convention",
                data={"version": "7", "conv.signed_on": "", "conv.osp_hours": "12,5"})
    assert fake.calls[-1][3:] == ({"osp_hours": 12.5}, "7")


def test_a_refused_form_is_shown_again_with_the_message_next_to_its_field(client, fake):
    fake.problem = ApiProblem(422, "Données invalides", "Vérifiez les champs.",
                              {"done_on": ["la date ne peut pas être dans le futur"]})
    body = page(client, f"/parcours/{PID}/accueil", 422, "post", data={
        "version": "7", "rec.step": "french_test", "rec.done_on": "01/01/2099"})
    assert re.search(r'id="e-rec-done_on"\s+aria-live="polite">la date ne peut pas', body)
    assert 'value="01/01/2099"' in body and 'href="#f-rec-done_on"' in body
    fake.problem = ApiProblem(412, "Version périmée", "Le parcours a changé entre-temps.")
    body = page(client, f"/transferts/envoi/{PID}", 412, "post",
                data={"version": "6", "tr.to_centre": "cai"})
    assert "Le parcours a changé entre-temps." in body


def test_a_transferred_pathway_says_so(client, fake):
    fake.gone = True
    body = page(client, f"/parcours/{PID}")
    assert "dossier transféré" in body and "CAI (Namur)" in body


def test_queues_count_each_queue_and_refuse_bad_pages(client):
    body = page(client, "/files")
    assert re.search(r'data-queue="deadline-30">41<', body)
    assert re.search(r'data-queue="non-compliance">3<', body)
    for bad in ("abc", "10000000000", "0", "-1"):
        assert "Numéro de page invalide" in page(client, f"/files?page={bad}", 400)
        page(client, f"/parcours?page={bad}", 400)
        page(client, f"/transferts?page={bad}", 400)


def test_ids_are_checked_before_any_call(client, fake):
    for url in ("/parcours/not-a-uuid", "/parcours/attestations/..%2Fetc.pdf",
                "/transferts/x/accepter"):
        method = "post" if url.endswith("accepter") else "get"
        page(client, url, 404, method)
    assert fake.calls == []


def test_the_pdf_is_streamed_through_the_portal(client):
    r = client.get("/parcours/attestations/CRIPEL-2026-000123-K7Q2.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.data == b"%PDF-1.4 fake" and r.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("roles,centre", [(["accueil"], "cripel"), (["partenaire"], "cripel"),
                                          (["coordination"], "cai")])
def test_other_roles_and_centres_get_the_403_page(client, fake, roles, centre):
    client.sign_in(roles, centre)
    for url in ("/files", f"/parcours/{PID}", "/parcours", "/transferts"):
        assert "El Amrani" not in page(client, url, 403)
    assert fake.calls == []
