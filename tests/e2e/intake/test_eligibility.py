"""Eligibility over HTTP: a representative table through the API, each outcome and each
dispense ground, permits ordered before and after 1 Jan 2025 (the domain's unit tests
cover the logic in depth; here the decision must reach the screen intact)."""
from __future__ import annotations

import pytest

from tests.e2e.intake import people
from tests.e2e.intake.people import NEW_RULES, OLD_RULES, years_ago

OLD, NEW = OLD_RULES.isoformat(), NEW_RULES.isoformat()
GROUNDS = ["already_attested", "medical", "belgian_diploma", "employed_half_time_3_months",
           "student", "doctoral_scholarship", "fwb_higher_ed_teacher", "standstill_nationality"]

CASES = [
    # id, overrides, status, rule version, reason code expected
    ("obligated-2016", {"permit_order_date": OLD}, "obligated", "2016-v1", "obligated"),
    ("obligated-2025", {}, "obligated", "2025-v1", "obligated"),
    ("asylum-2016-obligated", {"permit_type": "asylum_seeker", "permit_order_date": OLD},
     "obligated", "2016-v1", "obligated"),
    ("asylum-2025-excluded", {"permit_type": "asylum_seeker"}, "out_of_scope", "2025-v1",
     "asylum_seeker_excluded"),
    ("asylum-2025-voluntary", {"permit_type": "asylum_seeker", "wants_voluntary": True},
     "voluntary", "2025-v1", "voluntary_request"),
    ("eu-citizen", {"nationality": "FR", "permit_type": "E"}, "out_of_scope", "2025-v1",
     "eu_plus_citizen"),
    ("eu-family-card-F", {"permit_type": "F"}, "out_of_scope", "2025-v1", "eu_family_member"),
    ("belgian-voluntary", {"nationality": "BE", "permit_type": "none",
                           "permit_order_date": None, "wants_voluntary": True},
     "voluntary", None, "belgian"),
    ("short-stay", {"permit_type": "short_stay", "permit_order_date": None}, "out_of_scope",
     None, "no_long_stay_permit"),
    ("resident-3-years", {"permit_order_date": "2021-01-15"}, "out_of_scope", "2016-v1",
     "resident_3_years_or_more"),
    ("minor-age", {"birth": years_ago(17)}, "dispensed", "2025-v1", "dispense:age"),
    ("over-65-age", {"birth": years_ago(66), "permit_order_date": OLD}, "dispensed", "2016-v1",
     "dispense:age"),
    ("turkish-standstill", {"nationality": "TR"}, "dispensed", "2025-v1",
     "dispense:standstill_nationality"),
    ("dispensed-but-voluntary", {"birth": years_ago(70), "wants_voluntary": True},
     "voluntary", "2025-v1", "dispense:age"),
] + [
    (f"ground-{g}", {"dispenses": [{"ground": g, "evidence_ref": f"piece-{i}"}],
                     "permit_order_date": OLD if i % 2 else NEW},
     "dispensed", "2016-v1" if i % 2 else "2025-v1", f"dispense:{g}")
    for i, g in enumerate(GROUNDS)
]


@pytest.mark.parametrize("case, overrides, status, version, code", CASES,
                         ids=[c[0] for c in CASES])
def test_eligibility_table(register, case, overrides, status, version, code):
    body = people.body(with_number=False, **overrides)
    f = register(body)
    e = f["eligibility"]
    assert e["status"] == status and e["computed_status"] == status
    if version:
        assert e["rule_version"] == version
    assert code in e["reason_codes"], e
    assert len(e["reasons"]) == len(e["reason_codes"]) and all(e["reasons"])
    if status == "obligated":
        months = 18 if version == "2016-v1" else 36
        order = body["permit_order_date"]
        year, month = divmod(int(order[5:7]) - 1 + months, 12)
        assert e["deadline"] == f"{int(order[:4]) + year}-{month + 1:02d}-{order[8:]}"
    else:
        assert e["deadline"] is None
    for d in body.get("dispenses", []):
        assert {"ground": d["ground"], "evidence_ref": d["evidence_ref"]}.items() <= \
            next(x for x in f["dispenses"] if x["ground"] == d["ground"]).items()


def test_dispense_after_registration_recomputes_the_decision(accueil, register):
    f = register(people.body(with_number=False))
    assert f["eligibility"]["status"] == "obligated"
    r = accueil.post(f"/api/v1/persons/{f['person_id']}/dispenses", etag=1,
                     json={"ground": "medical", "evidence_ref": "certificat 2025-117"})
    assert r.status_code == 200, r.text
    e = r.json()["eligibility"]
    assert e["status"] == "dispensed" and "dispense:medical" in e["reason_codes"]
    assert [h["status"] for h in e["history"]] == ["obligated", "dispensed"]


def test_coordinator_override_keeps_both_decisions(intake, register):
    f = register(people.body(with_number=False))
    coord = intake.client("cripel", "coordination", subject="coord-1")
    path = f"/api/v1/persons/{f['person_id']}/eligibility/override"
    r = coord.post(path, etag=1, json={"final_status": "voluntary", "justification": ""})
    assert r.status_code == 422 and "justification" in r.json()["errors"]
    r = coord.post(path, etag=1, json={"final_status": "voluntary",
                                       "justification": "Contrat de travail à temps plein"})
    assert r.status_code == 200, r.text
    e = r.json()["eligibility"]
    assert (e["status"], e["computed_status"], e["overridden"]) == \
        ("voluntary", "obligated", True)
    assert [h["kind"] for h in e["history"]] == ["computed", "override"]
    assert e["history"][1]["overridden_by"] == "coord-1"
    assert e["history"][1]["justification"] == "Contrat de travail à temps plein"
