"""The partners' and analysts' portal screens against a fake of the services' APIs:
what each page asks the API, what it shows of the answer, and that no input (a page
number, an id, a file) makes a 500."""
from __future__ import annotations

import time

import pytest

from services.portal.adapters.services import Answer, ApiProblem
from services.portal.app import create_app
from services.portal.bootstrap import PortalConfig

OFFER = {"offer_id": "fic-x", "operator_id": "ili-x", "agreement_id": "conv-ili-x",
         "title": "Formation à la citoyenneté", "kind": "citizenship", "level": None,
         "language": "ar", "commune_nis": "62063", "capacity": 2, "taken": 2, "free": 0,
         "waiting": 1, "status": "open",
         "sessions": [{"date": "2026-01-05", "hours": 3.0}, {"date": "2026-01-12", "hours": 3.0}]}
REFERRAL = {"referral_id": "r-1", "offer_id": "fic-x", "operator_id": "ili-x",
            "title": OFFER["title"], "status": "accepted", "purpose": "training",
            "consent": True, "partage": {"first_name": "Nadia", "contact": None},
            "person_id": "6f1c2a52-4d0f-4a53-8a67-1bbf6b0f3a11", "proposed_on": "2026-01-02",
            "accepted_on": "2026-01-03", "waitlist_position": None, "hours": 6.0}
WAITING = {**REFERRAL, "referral_id": "r-2", "status": "waitlisted", "waitlist_position": 1,
           "partage": None, "consent": False, "waitlisted_on": "2026-01-04"}
OPERATOR = {"operator_id": "ili-x", "name": "ASBL Lire et Écrire", "type": "ili",
            "approval": "approved", "communes": ["62063"], "bce": None}


def page(items, total=None, n=1):
    return {"items": items, "total": len(items) if total is None else total, "page": n,
            "page_size": 20}


class FakeServices:
    def __init__(self):
        self.calls = []
        self.routes = {}

    def on(self, method, path, answer):
        self.routes[(method, path)] = answer

    def call(self, token, service, method, path, **kw):
        self.calls.append((service, method, path, kw))
        base = path.split("?")[0]
        answer = self.routes.get((method, path), self.routes.get((method, base)))
        if answer is None:
            raise AssertionError(f"unexpected call {method} {path}")
        if isinstance(answer, Exception):
            raise answer
        if callable(answer):
            return answer(path, **kw)
        if isinstance(answer, Answer):
            return answer
        return Answer(answer)


@pytest.fixture
def fake():
    f = FakeServices()
    f.on("GET", "/api/v1/operators", page([OPERATOR]))
    f.on("GET", "/api/v1/operators/ili-x", OPERATOR)
    f.on("GET", "/api/v1/offers", page([{k: v for k, v in OFFER.items() if k != "free"}]))
    f.on("GET", "/api/v1/offers/fic-x", OFFER)
    f.on("GET", "/api/v1/offers/fic-x/waiting-list", page([WAITING]))
    f.on("GET", "/api/v1/referrals", page([REFERRAL, WAITING]))
    f.on("GET", "/api/v1/referrals/r-1", REFERRAL)
    f.on("GET", "/api/v1/attendance", page([{"session_date": "2026-01-05", "hours": 3.0,
                                             "present": True}]))
    f.on("GET", "/api/v1/agreements", page([{
        "agreement_id": "conv-ili-x", "operator_id": "ili-x", "subject": "citizenship",
        "valid_from": "2026-01-01", "valid_to": "2026-12-31", "quota_kind": "seats",
        "quota": 2, "funding_ref": "SPW", "terminated_on": None, "used": 2.0,
        "remaining": 0.0, "blocked_reason": "le quota de la convention conv-ili-x est épuisé"}]))
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


def client_as(app, roles, centre="cripel", operator_id=None):
    client = app.test_client()
    with client.session_transaction() as s:
        s["user"] = {"sub": "u", "name": "Utilisatrice", "roles": roles, "centre": centre,
                     "operator_id": operator_id, "token": "t", "exp": int(time.time()) + 600}
    return client


def text(resp) -> str:
    return resp.get_data(as_text=True)


def test_a_coordinator_sees_an_offer_with_its_seats_and_waiting_list(app):
    c = client_as(app, ["coordination"])
    r = c.get("/offres")
    assert r.status_code == 200 and "Formation à la citoyenneté" in text(r)
    r = c.get("/offres/fic-x?personne=6f1c2a52-4d0f-4a53-8a67-1bbf6b0f3a11")
    body = text(r)
    assert r.status_code == 200
    assert "<strong>2</strong> prises sur 2" in body and "<strong>0</strong> libre" in body
    assert "r-2" in body                                   # the waiting list
    assert 'value="6f1c2a52-4d0f-4a53-8a67-1bbf6b0f3a11"' in body   # the proposal prefilled
    assert ' style=' not in body and "<script>" not in body
    for path in ("/offres/operateurs", "/offres/conventions", "/offres/orientations",
                 "/offres/orientations/r-1"):
        assert c.get(path).status_code == 200, path
    assert "quota de la convention conv-ili-x est épuisé" in text(c.get("/offres/conventions"))


def test_a_refused_proposal_shows_the_french_message_next_to_the_field(app, fake):
    fake.on("POST", "/api/v1/referrals", ApiProblem(
        422, "Requête invalide", "Champs invalides", {"person_id": ["identifiant invalide"]}))
    c = client_as(app, ["coordination"])
    r = c.post("/offres/fic-x/orientations", data={"person_id": "pas-un-uuid",
                                                   "purpose": "training", "consent": "1"})
    assert r.status_code == 422
    body = text(r)
    assert 'id="e-person_id"' in body and "identifiant invalide" in body
    assert 'value="pas-un-uuid"' in body                   # the form kept as typed
    sent = [k for s, m, p, k in fake.calls if m == "POST"][0]["json"]
    assert sent["consent"] is True and sent["offer_id"] == "fic-x"


def test_a_capacity_change_is_sent_and_a_refusal_is_shown_on_the_field(app, fake):
    sent = []

    def change(path, json=None, **kw):
        sent.append(json)
        if json["capacity"] == "beaucoup":
            raise ApiProblem(422, "Requête invalide", "Champs invalides",
                             {"capacity": ["Not a valid integer."]})
        return Answer({**OFFER, "capacity": json["capacity"]})
    fake.on("POST", "/api/v1/offers/fic-x/capacity", change)
    c = client_as(app, ["coordination"])
    assert c.post("/offres/fic-x/capacite", data={"capacity": "3"}).status_code == 302
    assert sent[-1] == {"capacity": 3}
    r = c.post("/offres/fic-x/capacite", data={"capacity": "beaucoup"})
    assert r.status_code == 422 and 'id="e-capacity"' in text(r)
    assert 'value="beaucoup"' in text(r)


def test_an_unfollowed_person_is_named_on_the_form_not_a_404_page(app, fake):
    fake.on("POST", "/api/v1/referrals", ApiProblem(
        404, "Introuvable", "aucun parcours suivi par ce centre pour cette personne"))
    c = client_as(app, ["coordination"])
    r = c.post("/offres/fic-x/orientations", data={"person_id": REFERRAL["person_id"]})
    assert r.status_code == 404 and 'id="e-person_id"' in text(r)
    assert "aucun parcours suivi" in text(r)


@pytest.mark.parametrize("page_arg", ["abc", "0", "-1", "99999999999999999999", "501",
                                      "10001"])
def test_a_bad_page_number_is_a_400_page_never_a_500(app, page_arg):
    for roles, path in ((["coordination"], "/offres"), (["partenaire"], "/operateur/participants")):
        c = client_as(app, roles, operator_id="ili-x")
        r = c.get(f"{path}?page={page_arg}")
        assert r.status_code == 400, (path, page_arg)
        assert "Numéro de page invalide" in text(r)


def test_filters_reach_the_api_and_unknown_values_are_dropped(app, fake):
    c = client_as(app, ["partenaire"], operator_id="ili-x")
    assert c.get("/operateur/participants?statut=accepted&offre=fic-x").status_code == 200
    assert c.get("/operateur/participants?statut=nimporte&offre=%3Cscript%3E").status_code == 200
    paths = [p for s, m, p, k in fake.calls if p.startswith("/api/v1/referrals?")]
    assert "status=accepted" in paths[0] and "offer_id=fic-x" in paths[0]
    assert "status=" not in paths[1] and "offer_id" not in paths[1]


def test_an_operator_acts_on_a_referral(app, fake):
    fake.on("POST", "/api/v1/referrals/r-1/drop-out", {**REFERRAL, "status": "dropped_out"})
    c = client_as(app, ["partenaire"], operator_id="ili-x")
    page_ = text(c.get("/operateur/orientations/r-1"))
    assert "Formation terminée" in page_ and "Motif de l'abandon" in page_
    assert "Accepter" not in page_                         # already accepted
    r = c.post("/operateur/orientations/r-1/abandon", data={"reason": "moved"})
    assert r.status_code == 302
    assert fake.calls[-1][3]["json"] == {"reason": "moved"}
    assert c.post("/operateur/orientations/r-1/inconnue").status_code == 404


def test_another_operators_referral_is_the_api_s_403_page(app, fake):
    fake.on("GET", "/api/v1/referrals/r-9", ApiProblem(
        403, "Accès refusé", "cet élément relève d'un autre opérateur"))
    c = client_as(app, ["partenaire"], operator_id="eps-x")
    r = c.get("/operateur/orientations/r-9")
    assert r.status_code == 403 and "autre opérateur" in text(r)


def test_the_operator_s_menu_marks_one_screen_as_current(app):
    c = client_as(app, ["partenaire"], operator_id="ili-x")
    assert c.get("/operateur").headers["Location"].endswith("/operateur/participants")
    for path in ("/operateur/participants", "/operateur/presences", "/operateur/offres"):
        assert text(c.get(path)).count('aria-current="page"') == 1, path


def test_roles_are_checked_before_any_call(app, fake):
    assert client_as(app, ["accueil"]).get("/operateur").status_code == 403
    assert client_as(app, ["partenaire"], operator_id="ili-x").get("/offres").status_code == 403
    assert client_as(app, ["coordination"]).get("/analyse").status_code == 403
    assert client_as(app, ["coordination"], centre="region").get("/offres").status_code == 403
    assert fake.calls == []


def test_the_csv_is_forwarded_as_multipart_and_the_rejected_rows_are_listed(app, fake):
    seen = {}

    def upload(path, files=None, **kw):
        name, stream, ctype = files["fichier"]
        seen.update(name=name, body=stream.read(), ctype=ctype)
        return Answer({"rows": 3, "applied": 1, "unchanged": 0, "rejected": 2,
                       "rejected_rows": [{"line": 3, "reason": "date illisible « 32/13/2026 »"},
                                         {"line": 4, "reason": "orientation inconnue"}],
                       "rejected_rows_truncated": False})
    fake.on("POST", "/api/v1/attendance/csv", upload)
    c = client_as(app, ["partenaire"], operator_id="ili-x")
    import io
    csv = b"orientation;date;heures\nr-1;05/01/2026;3\nr-1;32/13/2026;3\nxx;05/01/2026;3\n"
    r = c.post("/operateur/presences/csv", data={"fichier": (io.BytesIO(csv), "p.csv")},
               content_type="multipart/form-data")
    body = text(r)
    assert r.status_code == 200 and seen["body"] == csv and seen["name"] == "p.csv"
    assert "<td>3</td><td>date illisible « 32/13/2026 »</td>" in body
    assert "<td>4</td><td>orientation inconnue</td>" in body
    assert "<strong>1</strong> ligne appliquée sur 3" in body
    # no file chosen: the form says so, nothing is sent
    before = len(fake.calls)
    r = c.post("/operateur/presences/csv", data={}, content_type="multipart/form-data")
    assert r.status_code == 400 and 'id="e-fichier"' in text(r)
    assert not [x for x in fake.calls[before:] if x[1] == "POST"]


def test_a_file_the_api_cannot_read_is_named_on_the_form(app, fake):
    fake.on("POST", "/api/v1/attendance/csv", ApiProblem(
        422, "Requête invalide", "colonnes manquantes dans l'en-tête : hours",
        {"fichier": ["colonnes manquantes : hours"]}))
    c = client_as(app, ["partenaire"], operator_id="ili-x")
    import io
    r = c.post("/operateur/presences/csv", data={"fichier": (io.BytesIO(b"a;b\n"), "x.csv")},
               content_type="multipart/form-data")
    assert r.status_code == 422 and "colonnes manquantes : hours" in text(r)


def test_a_session_is_entered_for_each_participant(app, fake):
    posted = []

    def record(path, json=None, **kw):
        posted.append(json)
        if json["hours"] == "trois":
            raise ApiProblem(422, "Requête invalide", "Champs invalides",
                             {"hours": ["nombre attendu"]})
        return Answer({"created": True})
    fake.on("POST", "/api/v1/attendance", record)
    c = client_as(app, ["partenaire"], operator_id="ili-x")
    page_ = text(c.get("/operateur/presences?offre=fic-x"))
    assert "Présence de Nadia" in page_ and 'value="2026-01-12" selected' in page_
    r = c.post("/operateur/presences", data={"offre": "fic-x", "seance": "2026-01-12",
                                              "present.r-1": "present", "hours.r-1": "3"})
    assert r.status_code == 302
    assert posted[-1] == {"referral_id": "r-1", "session_date": "2026-01-12", "hours": 3.0,
                          "present": True, "absence_reason": None, "correction": False}
    r = c.post("/operateur/presences", data={"offre": "fic-x", "seance": "2026-01-12",
                                              "present.r-1": "present", "hours.r-1": "trois"})
    assert r.status_code == 422 and "nombre attendu" in text(r)
    r = c.post("/operateur/presences", data={"offre": "fic-x", "seance": "2026-01-12",
                                              "present.r-1": "justified", "hours.r-1": "3"})
    assert posted[-1]["present"] is False and posted[-1]["absence_reason"] == "justified"
    assert posted[-1]["hours"] == 0.0


STATS = {"year": 2026, "k": 5, "updated_at": "2026-11-30T10:00:00+00:00",
         "tables": [{"id": "personnes-par-statut", "title": "Personnes par statut"}]}
TABLE = {"table": "personnes-par-statut", "title": "Personnes par statut", "year": 2026,
         "centre": None, "unit": "personnes", "row_label": "Statut", "k": 5,
         "columns": [{"key": "cripel", "label": "CRIPEL"}, {"key": "cai", "label": "CAI"},
                     {"key": "total", "label": "Total"}],
         "rows": [{"key": "obligated", "label": "Public obligé",
                   "cells": [{"value": 1234, "flag": None}, {"value": None, "flag": "supprimé"},
                             {"value": None, "flag": "supprimé"}]}],
         "suppressed_cells": 2, "note": "« supprimé » : moins de 5 personnes."}


def test_the_analyst_sees_the_figures_as_reporting_suppresses_them(app, fake):
    fake.on("GET", "/api/v1/statistics", STATS)
    fake.on("GET", "/api/v1/statistics/personnes-par-statut", TABLE)
    fake.on("GET", "/api/v1/statistics/personnes-par-statut.csv", Answer(
        None, content=b"\xef\xbb\xbfStatut;CRIPEL\r\n", content_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="personnes-par-statut-2026.csv"'}))
    c = client_as(app, ["analyste"], centre="region")
    body = text(c.get("/analyse"))
    assert "Tableau de bord régional" in body and "1\u202f234" in body
    assert body.count(">supprimé<") == 2
    assert c.get("/analyse/tableaux/personnes-par-statut?annee=2026").status_code == 200
    r = c.get("/analyse/tableaux/personnes-par-statut.csv?annee=2026")
    assert r.status_code == 200 and r.data.startswith(b"\xef\xbb\xbf")
    assert "personnes-par-statut-2026.csv" in r.headers["Content-Disposition"]
    assert c.get("/analyse?annee=deux").status_code == 400
    assert c.get("/analyse/tableaux/..%2Fsecret").status_code == 404
