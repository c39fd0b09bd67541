"""The portal without any service: sessions, roles, CSRF, pages, messages and dates
(the services are replaced by a recorder of the calls the portal makes)."""
from __future__ import annotations

import re
import time
from datetime import date, datetime

import pytest

from services.portal import auth
from services.portal.adapters.services import Answer, ApiProblem, flatten
from services.portal.app import create_app
from services.portal.bootstrap import PortalConfig
from services.portal.formats import date_fr, datetime_fr, hours, parse_date_fr


class Recorder:
    """Answers the reference lists and the searches; records every call."""

    def __init__(self):
        self.calls = []
        self.refuse: ApiProblem | None = None

    def call(self, token, service, method, path, **kw):
        self.calls.append((token, service, method, path, kw.get("json")))
        if self.refuse is not None and method == "POST":
            raise self.refuse
        if path.endswith("/vocabularies"):
            return Answer({"permit_types": {"refugee": "Réfugié"}})
        if path.endswith("/nationalities"):
            return Answer({"items": [{"code": "SY", "name": "Syrie"}]})
        if path.endswith("/communes"):
            return Answer({"items": [{"nis": "62063", "name": "Liège", "postal_codes": ["4000"],
                                      "in_this_centre": True}]})
        if path.endswith("/persons/search"):
            return Answer({"items": [], "total": 0, "page": 1, "page_size": 20})
        return Answer({})


@pytest.fixture
def portal():
    cfg = PortalConfig(centre="cripel", intake_url="http://intake", pathway_url="http://p",
                       partners_url="http://pa", reporting_url="http://r",
                       oidc_url="http://oidc", client_id="portal-cripel", client_secret="s",
                       secret_key="k" * 32, secure_cookies=False)
    app = create_app(cfg)
    recorder = Recorder()
    app.extensions["portal_services"] = recorder
    from services.portal.views import reference
    reference._cache.clear()
    return app, recorder


def signed_in(client, roles=("accueil",), centre="cripel", expires_in=3600):
    with client.session_transaction() as s:
        s["user"] = {"sub": "u1", "name": "Agent", "roles": list(roles), "centre": centre,
                     "operator_id": None, "token": "TOKEN", "exp": int(time.time()) + expires_in}


def csrf_token(client, path="/personnes/nouvelle") -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_without_a_session_every_page_sends_to_sign_in(portal):
    app, _ = portal
    client = app.test_client()
    for path in ("/", "/personnes", "/personnes/nouvelle"):
        r = client.get(path)
        assert r.status_code == 302 and r.headers["Location"].startswith("/connexion?next=")


def test_a_user_of_another_centre_or_role_is_refused(portal):
    app, recorder = portal
    client = app.test_client()
    signed_in(client, centre="cai")
    assert client.get("/personnes").status_code == 403
    signed_in(client, roles=("partenaire",))
    r = client.get("/personnes/nouvelle")
    assert r.status_code == 403 and "Accès refusé" in r.get_data(as_text=True)
    signed_in(client, roles=("accueil",), centre="region")
    assert client.get("/personnes").status_code == 403
    assert recorder.calls == []          # refused before any service is asked


def test_an_expired_token_keeps_the_form_and_gives_it_back_once(portal):
    app, recorder = portal
    client = app.test_client()
    signed_in(client)
    token = csrf_token(client)
    signed_in(client, expires_in=5)      # within the skew: expired
    r = client.post("/personnes/nouvelle", data={"csrf_token": token, "last_name": "Ségolène",
                                                 "birth_date": "02/03/1990"})
    assert r.status_code == 302 and "/connexion" in r.headers["Location"]
    with client.session_transaction() as s:
        assert "Ségolène" not in str(s["pending"])          # encrypted in the cookie
    signed_in(client)
    html = client.get("/personnes/nouvelle").get_data(as_text=True)
    assert 'value="Ségolène"' in html and 'value="02/03/1990"' in html
    html = client.get("/personnes/nouvelle").get_data(as_text=True)
    assert "Ségolène" not in html                           # given back once
    assert not [c for c in recorder.calls if c[2] == "POST"]


def test_a_post_without_the_csrf_token_reaches_no_service(portal):
    app, recorder = portal
    client = app.test_client()
    signed_in(client)
    r = client.post("/personnes/nouvelle", data={"last_name": "X"})
    assert r.status_code == 400 and "Formulaire expiré" in r.get_data(as_text=True)
    assert not [c for c in recorder.calls if c[2] == "POST"]


def test_the_apis_field_messages_are_shown_next_to_their_fields(portal):
    app, recorder = portal
    client = app.test_client()
    signed_in(client)
    token = csrf_token(client)
    recorder.refuse = ApiProblem(422, "Données invalides", "Certains champs sont invalides",
                                 {"national_number": ["Numéro national invalide."],
                                  "address": {"postal_code": ["Code postal à 4 chiffres."]}})
    r = client.post("/personnes/nouvelle", data={"csrf_token": token, "last_name": "Nom",
                                                 "national_number": "85073003329",
                                                 "address.postal_code": "40"})
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert re.search(r'id="e-national_number"[^>]*>Numéro national invalide\.<', html)
    assert re.search(r'id="e-address-postal_code"[^>]*>Code postal à 4 chiffres\.<', html)
    assert 'id="f-national_number"' in html and 'aria-invalid="true"' in html
    assert 'value="85073003329"' in html                    # kept as typed
    body = [c for c in recorder.calls if c[2] == "POST"][0][4]
    assert body["national_number"] == "85073003329" and body["address"]["postal_code"] == "40"


def test_a_search_travels_in_the_body_never_in_a_url(portal):
    app, recorder = portal
    client = app.test_client()
    signed_in(client)
    token = csrf_token(client, "/personnes")
    client.post("/personnes", data={"csrf_token": token, "q": "Dupont"})
    (_, service, method, path, body), = [c for c in recorder.calls if c[2] == "POST"]
    assert (service, method, path) == ("intake", "POST", "/api/v1/persons/search")
    assert body["q"] == "Dupont" and "Dupont" not in path


def test_a_person_id_that_is_not_one_is_a_404_page_without_any_call(portal):
    app, recorder = portal
    client = app.test_client()
    signed_in(client)
    for bad in ("..%2Fetc%2Fpasswd", "x" * 3000, "%00", "%ED%A0%80"):
        assert client.get(f"/personnes/{bad}").status_code == 404
    assert not [c for c in recorder.calls if "/persons/" in c[3]]


@pytest.mark.parametrize("target,expected", [
    ("/personnes", "/personnes"), ("https://evil.example/", "/"), ("//evil.example", "/"),
    ("/\\evil.example", "/\\evil.example"), ("", "/"), (None, "/"), ("javascript:x", "/")])
def test_after_sign_in_only_a_local_path(target, expected):
    assert auth._local(target) == expected


def test_pages_carry_a_strict_content_security_policy(portal):
    app, _ = portal
    r = app.test_client().get("/healthz")
    csp = r.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp


def test_field_messages_are_flattened_to_one_per_field():
    assert flatten({"address": {"postal_code": ["a", "b"]}, "dispenses": {"0": {
        "ground": ["c"]}}, "x": "d"}) == {"address.postal_code": "a b",
                                         "dispenses.0.ground": "c", "x": "d"}


def test_dates_are_written_and_read_the_belgian_way():
    assert date_fr("2026-11-30") == "30/11/2026"
    assert date_fr("2026-11-30T22:59:00Z") == "30/11/2026"
    assert date_fr("2026-11-30T23:10:00Z") == "01/12/2026"       # Belgian day: UTC+1
    assert date_fr(date(2026, 11, 30)) == "30/11/2026"
    assert datetime_fr("2026-11-30T23:10:00+00:00") == "01/12/2026 00:10"
    assert datetime_fr("2026-07-01T08:05:00Z") == "01/07/2026 10:05"   # summer: UTC+2
    assert datetime_fr(datetime(2026, 3, 29, 0, 30)) == "29/03/2026 01:30"  # naive = UTC
    assert datetime_fr("2026-03-29T01:30:00Z") == "29/03/2026 03:30"   # after the change
    assert datetime_fr("pas une date") == "pas une date" and datetime_fr(None) == ""
    assert date_fr(None) == ""
    assert parse_date_fr("30/11/2026") == "2026-11-30"
    assert parse_date_fr("2026-11-30") == "2026-11-30"
    assert parse_date_fr("31/02/2026") == "31/02/2026"      # no date: as typed, for the API
    assert parse_date_fr("  ") is None
    assert hours(2.5) == "2,5" and hours(3) == "3"


def test_a_form_that_is_no_utf8_is_refused_before_any_service(portal):
    app, recorder = portal
    client = app.test_client()
    signed_in(client)
    token = csrf_token(client)
    body = (f'--xx\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
            '--xx\r\nContent-Disposition: form-data; name="last_name"\r\n\r\n').encode() \
        + b"A\xed\xa0\x80\r\n--xx--\r\n"          # a lone surrogate, as UTF-8 would write it
    r = client.post("/personnes/nouvelle", data=body,
                    content_type="multipart/form-data; boundary=xx")
    assert r.status_code == 400 and "illisibles" in r.get_data(as_text=True)
    assert not [c for c in recorder.calls if c[2] == "POST"]
