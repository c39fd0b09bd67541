"""One centre, real store: intake facts open the pathway, the coordinator works it over
the API, partners' hours arrive (twice), the attestation is issued, verified, revoked."""
from __future__ import annotations

import re
import uuid

import pytest

from services.pathway.adapters.numbers import sequence_of
from services.pathway.domain.vocab import ATTESTATION_NUMBER_PATTERN

from . import facts

pytestmark = pytest.mark.infra


def _open(c, person, **kw):
    subject = f"person-{person}"
    c.feed("intake", "intake.EligibilityDecided", facts.decided(person, **kw), subject)
    return subject


def test_intake_facts_open_the_pathway_and_fill_the_reception_module(centres):
    c = centres("cripel")
    person = str(uuid.uuid4())
    subject = f"person-{person}"
    # The bilan arrives before the eligibility decision: it waits, then lands on opening.
    c.feed("intake", "intake.BilanSocialRecorded", facts.bilan(person), subject)
    _open(c, person)
    _open(c, person)  # redelivered: still one pathway
    c.feed("intake", "intake.FrenchTestRecorded", facts.french_test(person, "pre-A1"), subject)
    r = c.api("accueil").get(f"/api/v1/pathways/{person}")
    assert r.status_code == 200, r.json
    body = r.json
    assert body["eligibility"] == "obligated" and body["clock"]["rule_version"] == "2025"
    assert body["clock"]["deadline"] == "2028-06-01"       # intake's deadline, exactly
    assert body["clock"]["clock_start"] == "2025-06-01"
    assert {s["step"] for s in body["reception"]["steps"]} == {"bilan_social", "french_test"}
    assert body["french"]["test_level"] == "A0"
    assert r.headers["ETag"] == '"2"'


def test_dispensed_person_is_not_opened_but_can_be_on_request(centres):
    c = centres("cripel")
    person = str(uuid.uuid4())
    _open(c, person, status="dispensed", deadline=None)
    assert c.api().get(f"/api/v1/pathways/{person}").status_code == 404
    r = c.api().post("/api/v1/pathways", {"person_id": person})
    assert r.status_code == 422 and "justification" in r.json["errors"]
    r = c.api().post("/api/v1/pathways", {"person_id": person,
                                          "justification": "nationality_application"})
    assert r.status_code == 201, r.json
    assert r.json["eligibility"] == "dispensed" and r.json["clock"]["deadline"] is None


def test_full_pathway_to_a_verified_then_revoked_attestation(centres):
    c = centres("cripel")
    person = str(uuid.uuid4())
    subject = _open(c, person)
    c.feed("intake", "intake.BilanSocialRecorded", facts.bilan(person), subject)
    c.feed("intake", "intake.FrenchTestRecorded", facts.french_test(person, "A1"), subject)
    api = c.api()
    base = f"/api/v1/pathways/{person}"
    etag = c.api().get(base).headers["ETag"].strip('"')
    r = api.post(f"{base}/reception-steps", {"step": "information", "done_on": "2025-09-12",
                                             "session": "group"})
    assert r.status_code == 428                       # If-Match is required
    r = api.post(f"{base}/reception-steps", {"step": "information", "done_on": "2025-09-12",
                                             "session": "group"}, etag=etag)
    assert r.status_code == 200, r.json
    stale = etag
    etag = r.headers["ETag"].strip('"')
    r = api.post(f"{base}/reception-steps", {"step": "administrative_help",
                                             "done_on": "2025-09-12"}, etag=stale)
    assert r.status_code == 412
    r = api.post(f"{base}/reception-steps", {"step": "administrative_help",
                                             "done_on": "2025-09-12"}, etag=etag)
    assert r.json["reception"]["completed_on"] == "2025-09-12"
    r = api.post(f"{base}/convention", {"signed_on": "2025-09-15"}, etag=r.headers["ETag"].strip('"'))
    assert r.status_code == 200, r.json
    assert set(r.json["requirements"]) == {"citizenship", "french"}
    # accueil reads but does not write; another centre's token reads nothing
    assert c.api("accueil").post(f"{base}/french-level", {"level": "A2"}, etag=1).status_code == 403
    assert c.api("coordination", centre="cai").get(base).status_code == 403
    # hours from partners, one report delivered twice
    for i in range(3):
        data = facts.attendance(person, f"fic-{i}", on=f"2025-10-0{i + 1}")
        c.feed("partners", "partners.AttendanceRecorded", data, f"attendance-fic-{i}")
        c.feed("partners", "partners.AttendanceRecorded", data, f"attendance-fic-{i}")
    r = api.get(base)
    assert r.json["requirements"]["citizenship"]["credited"] == 60.0
    assert r.json["requirements"]["citizenship"]["done"] is True
    # attestation refused while French is not done
    r = api.post(f"{base}/attestations", {"holder_initials": "A.B."},
                 etag=r.headers["ETag"].strip('"'))
    assert r.status_code == 409, r.json
    assert "formations" in r.json["detail"]
    etag = api.get(base).headers["ETag"].strip('"')
    r = api.post(f"{base}/french-level", {"level": "A2", "proven_on": "2025-11-01"}, etag=etag)
    assert r.json["requirements"]["french"]["ended_by"] == "level_proven"
    r = api.post(f"{base}/attestations", {"holder_initials": "Jean Dupont"},
                 etag=r.headers["ETag"].strip('"'))
    assert r.status_code == 422                          # initials only, never a name
    r = api.post(f"{base}/attestations", {"holder_initials": "A.B."},
                 etag=api.get(base).headers["ETag"].strip('"'))
    assert r.status_code == 201, r.json
    number = r.json["number"]
    year = c.svc.today().year
    assert re.fullmatch(rf"CRIPEL-{year}-000001-[0-9A-HJKMNP-TV-Z]{{4}}", number), number
    assert r.json["verification_url"] == f"https://cripel.example.test/verification/{number}"
    public = c.app.test_client()
    v = public.get(f"/api/v1/attestations/{number}/verification")
    assert v.status_code == 200, v.json
    assert v.json["status"] == "valid" and v.json["initials"] == "A.B."
    assert set(v.json) == {"number", "issued_on", "centre", "centre_name", "initials",
                           "status", "revoked_on"}
    page = public.get(f"/verification/{number}")
    assert page.status_code == 200 and "Attestation valide" in page.get_data(as_text=True)
    assert public.get(f"/verification/CRIPEL-{year}-999999").status_code == 404
    # the sequence alone, or with another check part, finds nothing
    assert public.get(f"/verification/{sequence_of(number)}").status_code == 404
    other = number[:-1] + ("0" if number[-1] != "0" else "1")
    assert public.get(f"/api/v1/attestations/{other}/verification").status_code == 404
    pdf = api.get(f"/api/v1/attestations/{number}/pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert public.get(f"/api/v1/attestations/{number}/pdf").status_code == 401
    r = api.post(f"/api/v1/attestations/{number}/revoke", {"reason": "issued_in_error"})
    assert r.status_code == 200, r.json
    v = public.get(f"/api/v1/attestations/{number}/verification")
    assert v.json["status"] == "revoked" and v.json["revoked_on"]
    assert "révoquée" in public.get(f"/verification/{number}").get_data(as_text=True)


def test_attestation_numbers_are_unique_per_centre_and_year(centres):
    c = centres("cripel")
    numbers = c.svc.numbers
    taken = [numbers.allocate("cripel", 2031, f"p{i}") for i in range(5)]
    assert {sequence_of(n) for n in taken} == {f"CRIPEL-2031-00000{i}" for i in range(1, 6)}
    assert all(re.fullmatch(ATTESTATION_NUMBER_PATTERN, n)["check"] for n in taken)
    c.svc.runtime.db["attestation_counters"].delete_many({})  # a lost hint only slows down
    assert sequence_of(numbers.allocate("cripel", 2031, "p6")) == "CRIPEL-2031-000006"
    assert sequence_of(numbers.allocate("cai", 2031, "p7")) == "CAI-2031-000001"
