"""Eligibility decision (« décision d'obligation »): obligated, voluntary, dispensed or
out of scope, with the rule version applied and the reasons in French.

- Primo-arrivant: foreigner legally resident < 3 years with a permit > 3 months, not
  an EU+ citizen nor the family member of one (card F/F+). The stay is counted from
  `arrival_date` when known (the code counts the stay in Belgium), else from the permit
  order (`permit_order_date` = first permit of more than 3 months, the one that
  triggers the « annexe I »).
- Obligated: primo-arrivant aged 18 to 64 at the assessment date, living in a commune
  of a CRI territory; under "2025-v1" not an asylum seeker. Deadline from the permit.
- Dispensed: fits the obligated definition except for one ground or more (the "age"
  ground covers primo-arrivants under 18 or 65 and over).
- Voluntary: anybody who is not obligated and asks (« public volontaire »): any
  foreigner or Belgian of foreign origin may follow the pathway; a dispensed person who
  asks is voluntary and keeps the grounds on record.
- Out of scope: no obligation and no request.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shared.errors import ValidationFailed

from .dispenses import DISPENSE_GROUNDS, DispenseGround, declared_ground
from .nationalities import has_standstill_clause, is_belgian, is_eu_plus, normalise_nationality
from .permits import permit_type
from .privacy import age_on
from .rules import add_months, rules_for
from .territory import commune_name, competent_centre

STATUSES = ("obligated", "voluntary", "dispensed", "out_of_scope")

_REASONS = {
    "belgian": "Nationalité belge : pas primo-arrivant.",
    "eu_plus_citizen": "Citoyen de l'UE, de l'EEE ou de la Suisse (UE+) : pas primo-arrivant.",
    "eu_family_member": "Membre de la famille d'un citoyen UE+ (carte F/F+) : pas primo-arrivant.",
    "no_long_stay_permit": "Pas de titre de séjour de plus de 3 mois : pas primo-arrivant.",
    "resident_3_years_or_more": "Séjour en Belgique depuis 3 ans ou plus : pas primo-arrivant.",
    "primo_arrivant": "Primo-arrivant : séjour légal de moins de 3 ans avec un titre de plus de 3 mois.",
    "outside_territory": "Domicile hors de la Wallonie francophone ({commune}) : pas d'obligation.",
    "asylum_seeker_excluded": "Demandeur de protection internationale : exclu de l'obligation "
                              "(règles {version}).",
    "obligated": "Primo-arrivant de 18 à 65 ans domicilié en Wallonie francophone : public obligé "
                 "(règles {version}, échéance {deadline}).",
    "dispense": "Dispense : {label}.",
    "voluntary_request": "Demande à suivre le parcours volontairement.",
    "no_request": "Aucune obligation et pas de demande de parcours volontaire : hors champ.",
}


@dataclass(frozen=True)
class EligibilityFacts:
    birth_date: date
    nationality: str
    permit_type: str
    commune_nis: str
    permit_order_date: date | None = None
    arrival_date: date | None = None
    dispense_grounds: tuple[DispenseGround, ...] = ()
    wants_voluntary: bool = False
    registration_date: date | None = None


@dataclass(frozen=True)
class EligibilityDecision:
    status: str
    reasons: list[str]
    reason_codes: list[str]
    rule_version: str
    dispense_grounds: tuple[DispenseGround, ...] = ()
    deadline: date | None = None


def _fail(field: str, message: str, english: str) -> ValidationFailed:
    return ValidationFailed(message, message_en=english, fields={field: [message]})


def _check_dates(facts: EligibilityFacts, today: date, long_stay: bool) -> None:
    if facts.birth_date > today:
        raise _fail("birth_date", "Date de naissance dans le futur.", "Birth date in the future.")
    if long_stay and facts.permit_order_date is None:
        raise _fail("permit_order_date", "Date d'ordre de délivrance du titre de séjour requise.",
                    "The permit order date is required for this permit type.")
    for name in ("permit_order_date", "arrival_date"):
        value = getattr(facts, name)
        if value is not None and value > today:
            raise _fail(name, "Date dans le futur.", "Date in the future.")


def _not_primo_code(facts: EligibilityFacts, today: date, years: int) -> str | None:
    """Why the person is not a primo-arrivant, or None when they are one."""
    permit = permit_type(facts.permit_type)
    if is_belgian(facts.nationality):
        return "belgian"
    if is_eu_plus(facts.nationality) or permit.eu_citizen:
        return "eu_plus_citizen"
    if permit.eu_family:
        return "eu_family_member"
    if not permit.long_stay:
        return "no_long_stay_permit"
    stay_start = facts.arrival_date or facts.permit_order_date
    if add_months(stay_start, 12 * years) <= today:
        return "resident_3_years_or_more"
    return None


def _grounds(facts: EligibilityFacts, age: int, min_age: int, max_age: int) -> tuple:
    derived = []
    if not min_age <= age < max_age:
        derived.append(DispenseGround("age", derived=True))
    declared = {g.code for g in facts.dispense_grounds}
    if has_standstill_clause(facts.nationality) and "standstill_nationality" not in declared:
        derived.append(DispenseGround("standstill_nationality", derived=True))
    return tuple(derived) + tuple(facts.dispense_grounds)


def assess(facts: EligibilityFacts, today: date) -> EligibilityDecision:
    """Decide the status on `today`; ValidationFailed on inconsistent facts."""
    normalise_nationality(facts.nationality)
    permit = permit_type(facts.permit_type)
    _check_dates(facts, today, permit.long_stay)
    for ground in facts.dispense_grounds:
        declared_ground(ground.code, ground.evidence_ref)   # same checks as when recorded
    centre = competent_centre(facts.commune_nis)
    rules = rules_for(facts.permit_order_date if permit.long_stay and facts.permit_order_date
                      else facts.registration_date or today)
    fmt = {"version": rules.version, "commune": commune_name(facts.commune_nis)}
    codes: list[str] = []
    grounds: tuple[DispenseGround, ...] = ()
    code = _not_primo_code(facts, today, rules.primo_arrivant_years)
    fits_obligation = code is None
    codes.append(code or "primo_arrivant")
    if fits_obligation and centre is None:
        codes.append("outside_territory")
        fits_obligation = False
    if fits_obligation and permit.asylum_seeker and not rules.asylum_seekers_obligated:
        codes.append("asylum_seeker_excluded")
        fits_obligation = False
    if fits_obligation:
        grounds = _grounds(facts, age_on(facts.birth_date, today), rules.min_age, rules.max_age)
        if not grounds:
            deadline = rules.deadline(facts.permit_order_date)
            codes.append("obligated")
            return _decision("obligated", codes, fmt | {"deadline": deadline.isoformat()},
                             rules.version, (), deadline)
        codes.extend(f"dispense:{g.code}" for g in grounds)
    status = "dispensed" if grounds else "out_of_scope"
    if facts.wants_voluntary:
        codes.append("voluntary_request")
        status = "voluntary"
    elif not grounds:
        codes.append("no_request")
    return _decision(status, codes, fmt, rules.version, grounds, None)


def _decision(status, codes, fmt, version, grounds, deadline) -> EligibilityDecision:
    reasons = []
    for code in codes:
        key, _, ground = code.partition(":")
        label = DISPENSE_GROUNDS[ground] if ground else ""
        reasons.append(_REASONS[key].format(**fmt, label=label))
    return EligibilityDecision(status, reasons, codes, version, grounds, deadline)
