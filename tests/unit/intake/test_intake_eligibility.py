"""Eligibility table: each status, each dispense ground, both rule versions, boundaries."""
from dataclasses import replace
from datetime import date

import pytest

from services.intake.domain.dispenses import DISPENSE_GROUNDS, DispenseGround, declared_ground
from services.intake.domain.eligibility import EligibilityFacts, assess
from services.intake.domain.rules import add_months, rules_for
from shared.errors import ValidationFailed

# A Syrian with a temporary card A, living in Namur (CAI), permit ordered mid-2024.
BASE = EligibilityFacts(birth_date=date(1990, 5, 17), nationality="SY", permit_type="A",
                        commune_nis="92094", permit_order_date=date(2024, 6, 1))
TODAY = date(2025, 2, 1)


def facts(**changes) -> EligibilityFacts:
    return replace(BASE, **changes)


CASES = [
    # id, facts, today, status, rule_version, deadline, codes that must appear
    ("obligated-2016", facts(), TODAY, "obligated", "2016-v1", date(2025, 12, 1),
     ["primo_arrivant", "obligated"]),
    ("last-day-of-2016-rules", facts(permit_order_date=date(2024, 12, 31)), TODAY,
     "obligated", "2016-v1", date(2026, 6, 30), ["obligated"]),
    ("first-day-of-2025-rules", facts(permit_order_date=date(2025, 1, 1)), TODAY,
     "obligated", "2025-v1", date(2028, 1, 1), ["obligated"]),
    ("asylum-seeker-2016-obligated",
     facts(permit_type="asylum_seeker", permit_order_date=date(2024, 10, 1)), TODAY,
     "obligated", "2016-v1", date(2026, 4, 1), ["obligated"]),
    ("asylum-seeker-2025-excluded",
     facts(permit_type="asylum_seeker", permit_order_date=date(2025, 1, 10)), TODAY,
     "out_of_scope", "2025-v1", None, ["asylum_seeker_excluded", "no_request"]),
    ("asylum-seeker-2025-volunteers",
     facts(permit_type="asylum_seeker", permit_order_date=date(2025, 1, 10),
           wants_voluntary=True), TODAY,
     "voluntary", "2025-v1", None, ["asylum_seeker_excluded", "voluntary_request"]),
    ("refugee", facts(permit_type="refugee"), TODAY, "obligated", "2016-v1", date(2025, 12, 1),
     ["obligated"]),
    ("subsidiary-protection", facts(permit_type="subsidiary_protection"), TODAY, "obligated",
     "2016-v1", date(2025, 12, 1), ["obligated"]),
    ("blue-card", facts(permit_type="H"), TODAY, "obligated", "2016-v1", date(2025, 12, 1),
     ["obligated"]),
    # Age is computed on the assessment date: 18th birthday obligated, the day before not.
    ("turns-18-today", facts(birth_date=date(2007, 2, 1)), TODAY, "obligated", "2016-v1",
     date(2025, 12, 1), ["obligated"]),
    ("17-until-tomorrow", facts(birth_date=date(2007, 2, 2)), TODAY, "dispensed", "2016-v1",
     None, ["dispense:age"]),
    ("64-until-tomorrow", facts(birth_date=date(1960, 2, 2)), TODAY, "obligated", "2016-v1",
     date(2025, 12, 1), ["obligated"]),
    ("turns-65-today", facts(birth_date=date(1960, 2, 1)), TODAY, "dispensed", "2016-v1", None,
     ["dispense:age"]),
    ("turkish-standstill-derived", facts(nationality="TR"), TODAY, "dispensed", "2016-v1", None,
     ["dispense:standstill_nationality"]),
    ("eu-citizen", facts(nationality="FR", permit_type="E"), TODAY, "out_of_scope", "2016-v1",
     None, ["eu_plus_citizen", "no_request"]),
    ("swiss-on-a-card-a", facts(nationality="CH"), TODAY, "out_of_scope", "2016-v1", None,
     ["eu_plus_citizen"]),
    ("norwegian-volunteers", facts(nationality="NO", permit_type="E+", wants_voluntary=True),
     TODAY, "voluntary", "2016-v1", None, ["eu_plus_citizen", "voluntary_request"]),
    ("family-of-eu-citizen-F", facts(nationality="MA", permit_type="F"), TODAY, "out_of_scope",
     "2016-v1", None, ["eu_family_member"]),
    ("family-of-eu-citizen-F+", facts(nationality="MA", permit_type="F+"), TODAY,
     "out_of_scope", "2016-v1", None, ["eu_family_member"]),
    ("belgian-volunteers", facts(nationality="BE", permit_type="none", permit_order_date=None,
                                 wants_voluntary=True), TODAY,
     "voluntary", "2025-v1", None, ["belgian", "voluntary_request"]),
    ("belgian-not-asking", facts(nationality="BE", permit_type="none", permit_order_date=None),
     TODAY, "out_of_scope", "2025-v1", None, ["belgian", "no_request"]),
    ("permit-older-than-3-years", facts(permit_order_date=date(2021, 9, 1)), TODAY,
     "out_of_scope", "2016-v1", None, ["resident_3_years_or_more"]),
    ("exactly-3-years", facts(permit_order_date=date(2022, 2, 1)), TODAY, "out_of_scope",
     "2016-v1", None, ["resident_3_years_or_more"]),
    ("one-day-short-of-3-years", facts(permit_order_date=date(2022, 2, 2)), TODAY, "obligated",
     "2016-v1", date(2023, 8, 2), ["obligated"]),
    ("arrived-long-before-permit",
     facts(arrival_date=date(2021, 6, 1), permit_order_date=date(2024, 6, 1)), TODAY,
     "out_of_scope", "2016-v1", None, ["resident_3_years_or_more"]),
    ("short-stay-only", facts(permit_type="short_stay", permit_order_date=None), TODAY,
     "out_of_scope", "2025-v1", None, ["no_long_stay_permit"]),
    ("no-permit-volunteers", facts(permit_type="none", permit_order_date=None,
                                   wants_voluntary=True), TODAY,
     "voluntary", "2025-v1", None, ["no_long_stay_permit", "voluntary_request"]),
    ("lives-in-brussels", facts(commune_nis="21004"), TODAY, "out_of_scope", "2016-v1", None,
     ["outside_territory"]),
    ("lives-in-flanders-volunteers", facts(commune_nis="44021", wants_voluntary=True), TODAY,
     "voluntary", "2016-v1", None, ["outside_territory", "voluntary_request"]),
    ("lives-in-eupen", facts(commune_nis="63023"), TODAY, "out_of_scope", "2016-v1", None,
     ["outside_territory"]),
    ("dispensed-but-volunteers",
     facts(dispense_grounds=(declared_ground("student", "inscription ULiège 2024"),),
           wants_voluntary=True), TODAY,
     "voluntary", "2016-v1", None, ["dispense:student", "voluntary_request"]),
]


@pytest.mark.parametrize("f, today, status, version, deadline, codes",
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_eligibility_table(f, today, status, version, deadline, codes):
    decision = assess(f, today)
    assert decision.status == status
    assert decision.rule_version == version
    assert decision.deadline == deadline
    for code in codes:
        assert code in decision.reason_codes
    assert len(decision.reasons) == len(decision.reason_codes)
    assert all(isinstance(r, str) and r for r in decision.reasons)


DECLARABLE = sorted(set(DISPENSE_GROUNDS) - {"age"})


@pytest.mark.parametrize("ground", DECLARABLE)
@pytest.mark.parametrize("order, version", [(date(2024, 6, 1), "2016-v1"),
                                            (date(2025, 1, 15), "2025-v1")])
def test_each_declared_ground_dispenses_and_keeps_its_evidence(ground, order, version):
    # Moroccan national: no ground applies unless declared.
    f = facts(nationality="MA", permit_order_date=order,
              dispense_grounds=(declared_ground(ground, f"piece-{ground}"),))
    decision = assess(f, date(2025, 3, 1))
    assert decision.status == "dispensed"
    assert decision.rule_version == version
    assert decision.deadline is None
    assert decision.dispense_grounds == (DispenseGround(ground, f"piece-{ground}"),)
    assert f"dispense:{ground}" in decision.reason_codes
    assert f"Dispense : {DISPENSE_GROUNDS[ground]}." in decision.reasons


def test_without_ground_the_same_person_is_obligated():
    assert assess(facts(nationality="MA"), TODAY).status == "obligated"


def test_grounds_do_not_matter_when_not_primo_arrivant():
    f = facts(nationality="FR", permit_type="E",
              dispense_grounds=(declared_ground("medical", "cert-1"),))
    decision = assess(f, TODAY)
    assert decision.status == "out_of_scope" and decision.dispense_grounds == ()


def test_derived_age_ground_has_no_evidence():
    decision = assess(facts(birth_date=date(1950, 1, 1)), TODAY)
    assert decision.dispense_grounds == (DispenseGround("age", None, derived=True),)
    assert "Âgé de moins de 18 ans ou de 65 ans et plus" in decision.reasons[-1]


def test_obligated_reason_names_version_and_deadline():
    reasons = assess(facts(), TODAY).reasons
    assert "2016-v1" in reasons[-1] and "2025-12-01" in reasons[-1]


def test_outside_territory_reason_names_the_commune():
    assert "Bruxelles" in assess(facts(commune_nis="21004"), TODAY).reasons[1]


@pytest.mark.parametrize("registration, version", [(date(2024, 12, 31), "2016-v1"),
                                                   (date(2025, 1, 1), "2025-v1")])
def test_without_permit_the_registration_date_picks_the_rules(registration, version):
    f = facts(permit_type="none", permit_order_date=None, registration_date=registration)
    assert assess(f, TODAY).rule_version == version


def test_deadlines_differ_between_versions_and_extensions_are_capped():
    old, new = rules_for(date(2024, 12, 31)), rules_for(date(2025, 1, 1))
    assert (old.deadline_months, new.deadline_months) == (18, 36)
    assert old.max_extended_months == 36 and old.asylum_seekers_obligated
    assert not new.asylum_seekers_obligated
    assert rules_for(date(2010, 1, 1)).version == "2016-v1"


@pytest.mark.parametrize("start, months, end", [
    (date(2023, 8, 31), 18, date(2025, 2, 28)),
    (date(2022, 8, 31), 18, date(2024, 2, 29)),
    (date(2025, 1, 31), 1, date(2025, 2, 28)),
    (date(2024, 11, 15), 36, date(2027, 11, 15)),
])
def test_add_months_clamps_to_month_end(start, months, end):
    assert add_months(start, months) == end


@pytest.mark.parametrize("f, field", [
    (facts(nationality="QQ"), "nationality"),
    (facts(permit_type="Z"), "permit_type"),
    (facts(permit_order_date=None), "permit_order_date"),
    (facts(permit_order_date=date(2025, 3, 1)), "permit_order_date"),
    (facts(birth_date=date(2026, 1, 1)), "birth_date"),
    (facts(commune_nis="99999"), "commune_nis"),
    (facts(dispense_grounds=(DispenseGround("medical", " "),)), "evidence_ref"),
    (facts(dispense_grounds=(DispenseGround("age", "passport"),)), "ground"),
    (facts(dispense_grounds=(DispenseGround("lottery", "x"),)), "ground"),
])
def test_inconsistent_facts_are_field_errors(f, field):
    with pytest.raises(ValidationFailed) as err:
        assess(f, TODAY)
    assert field in err.value.fields
