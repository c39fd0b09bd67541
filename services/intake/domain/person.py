"""The Person aggregate (« dossier de la personne »): registration and eligibility.

Pure functions: `decide_*(state, command, today, ...)` return the events to append or
raise a `shared.errors` exception; `evolve` folds them back.
Every event's `data` holds public coarse fields at top level and all personal data
under "personal", which the infrastructure encrypts per person and never publishes.
Recording decisions (bilan, test, consent, address, erasure) live in `person_records`.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from shared.errors import DomainRuleViolation
from shared.messages import DomainEvent

from .checks import fail, gather, require_text
from .commands import AssessEligibility, CoordinatorOverride, RecordDispense, RegisterPerson
from .dispenses import DispenseGround, declared_ground
from .eligibility import STATUSES, EligibilityFacts, assess
from .identifiers import parse_national_number
from .nationalities import normalise_nationality
from .person_records import (decide_change_address, decide_erase, decide_record_bilan_social,
                             decide_record_consent, decide_record_french_test)
from .evolve import evolve, replay
from . import protected
from .events import latest
from .person_state import PersonState, header, require_active
from .privacy import pseudonym
from .registration import check_registration
from .rules import rules_by_version

__all__ = ["PersonState", "evolve", "replay", "decide_register", "decide_assess_eligibility",
           "decide_override", "decide_record_dispense", "decide_record_bilan_social",
           "decide_record_french_test", "decide_record_consent", "decide_change_address",
           "decide_erase"]


def _iso(day: date | None) -> str | None:
    """Events carry JSON types only, so stored and freshly decided events evolve alike."""
    return day.isoformat() if day else None


def decide_register(state: PersonState, cmd: RegisterPerson, today: date, *,
                    regional_secret: bytes) -> list[DomainEvent]:
    """RegisterPerson -> intake.PersonRegistered (« inscription au bureau d'accueil »)."""
    if state.person_id is not None:
        raise DomainRuleViolation("Cette personne est déjà enregistrée.",
                                  message_en="This person is already registered.")
    check_registration(cmd, today)
    number, kind = parse_national_number(cmd.national_number) if cmd.national_number else (None, None)
    nationality = normalise_nationality(cmd.nationality)
    value, strength = pseudonym(number, (f"{cmd.last_name} {cmd.first_names}", cmd.birth_date,
                                         nationality), regional_secret=regional_secret)
    personal = {"last_name": cmd.last_name.strip(), "first_names": cmd.first_names.strip(),
                "birth_date": cmd.birth_date.isoformat(), "national_number": number,
                "national_number_kind": kind, "address": cmd.address and cmd.address.as_data(),
                "phone": cmd.phone, "email": cmd.email, "notes": cmd.notes,
                "permit_type": cmd.permit_type, "permit_order_date": _iso(cmd.permit_order_date),
                "arrival_date": _iso(cmd.arrival_date), "languages": list(cmd.languages),
                "interpreter_needed": bool(cmd.interpreter_needed)}
    state = PersonState(person_id=cmd.person_id, centre=cmd.centre, pseudonym=value,
                        pseudonym_strength=strength, sex=cmd.sex, nationality=nationality,
                        commune_nis=cmd.commune_nis, personal=personal)
    return [DomainEvent("intake.PersonRegistered", {**header(state, today),
                        "registered_on": today.isoformat(), "personal": personal})]


def weak_pseudonym(state: PersonState, regional_secret: bytes) -> str:
    """The weak pseudonym of a registered file, whether or not it has a national number
    (a file first registered without one must still be found by its names)."""
    p = state.personal
    value, _ = pseudonym(None, (f"{p.get('last_name', '')} {p.get('first_names', '')}",
                                state.birth_date,
                                state.nationality), regional_secret=regional_secret)
    return value


def with_homonyms(registered: DomainEvent, homonyms: list[str], justification: str
                  ) -> DomainEvent:
    """The registration, recording that the agent confirmed a different person from the
    files `homonyms` (under `personal`: encrypted, never on the bus)."""
    data = registered.data
    return replace(registered, data={**data, "personal": {
        **data["personal"], "homonym": {"of": list(homonyms), "justification": justification}}})


def _facts(state: PersonState, wants_voluntary: bool) -> EligibilityFacts:
    def day(value: str | None) -> date | None:
        return date.fromisoformat(value) if value else None

    p = state.personal
    grounds = tuple(DispenseGround(code, ref) for code, ref in state.dispenses.items())
    return EligibilityFacts(state.birth_date, state.nationality, p["permit_type"],
                            state.commune_nis, day(p.get("permit_order_date")),
                            day(p.get("arrival_date")), grounds, wants_voluntary,
                            day(state.registered_on))


def decide_assess_eligibility(state: PersonState, cmd: AssessEligibility,
                              today: date) -> list[DomainEvent]:
    """Compute the decision from the file's facts -> intake.EligibilityDecided."""
    require_active(state)
    decision = assess(_facts(state, cmd.wants_voluntary), today)
    evidence = [{"code": g.code, "evidence_ref": g.evidence_ref}
                for g in decision.dispense_grounds if not g.derived]
    grounds = [g.code for g in decision.dispense_grounds]
    return [DomainEvent("intake.EligibilityDecided", {
        **header(state, today), "status": decision.status, "rule_version": decision.rule_version,
        "reason_codes": protected.public_reason_codes(decision.reason_codes),
        "reasons": protected.public_reasons(decision.reason_codes, decision.reasons),
        "dispense_grounds": protected.public_grounds(grounds),
        "deadline": decision.deadline.isoformat() if decision.deadline else None,
        "wants_voluntary": cmd.wants_voluntary, "assessed_on": today.isoformat(),
        "personal": {"dispense_evidence": evidence, "dispense_grounds": grounds,
                     "reason_codes": decision.reason_codes, "reasons": decision.reasons}},
        latest("intake.EligibilityDecided"))]


def decide_override(state: PersonState, cmd: CoordinatorOverride,
                    today: date) -> list[DomainEvent]:
    """A coordinator replaces the computed status -> intake.EligibilityOverridden.

    Both decisions stay in the history; a later computed decision supersedes the override.
    """
    computed = require_active(state).eligibility
    if computed is None:
        raise DomainRuleViolation("Aucune décision calculée à corriger.",
                                  message_en="No computed decision to override.")
    _check_override(state, cmd)
    deadline = None
    if cmd.final_status == "obligated":
        order = state.personal.get("permit_order_date")
        deadline = computed["deadline"] or (order and rules_by_version(
            computed["rule_version"]).deadline(date.fromisoformat(order)).isoformat())
    return [DomainEvent("intake.EligibilityOverridden", {
        **header(state, today), "status": cmd.final_status,
        "computed_status": computed["status"], "rule_version": computed["rule_version"],
        "deadline": deadline, "overridden_on": today.isoformat(),
        "personal": {"justification": cmd.justification.strip(),
                     "overridden_by": cmd.coordinator.strip()}},
        latest("intake.EligibilityOverridden"))]


def _check_override(state: PersonState, cmd: CoordinatorOverride) -> None:
    def status() -> None:
        if cmd.final_status not in STATUSES:
            raise fail("final_status", f"Statut inconnu : {cmd.final_status!r}.",
                       f"Unknown status: {cmd.final_status!r}.")
        if cmd.final_status == state.final_status:
            raise fail("final_status", "Le statut final est déjà celui-là.",
                       "The final status is already this one.")

    gather(status, lambda: require_text("justification", cmd.justification,
                                        "Justification écrite obligatoire."),
           lambda: require_text("coordinator", cmd.coordinator))


def decide_record_dispense(state: PersonState, cmd: RecordDispense,
                           today: date) -> list[DomainEvent]:
    """-> intake.DispenseRecorded, then a fresh EligibilityDecided if one was made before."""
    require_active(state)
    ground = declared_ground(cmd.ground, cmd.evidence_ref)
    if ground.code in state.dispenses:
        raise DomainRuleViolation("Ce motif de dispense est déjà enregistré.",
                                  message_en="This dispense ground is already recorded.")
    events = [DomainEvent("intake.DispenseRecorded", {
        **header(state, today), "ground": protected.public_ground(ground.code),
        "recorded_on": today.isoformat(),
        "personal": {"evidence_ref": ground.evidence_ref, "ground": ground.code}},
        latest("intake.DispenseRecorded"))]
    if state.eligibility is not None:
        after = evolve(state, events[0])
        events += decide_assess_eligibility(after, AssessEligibility(state.wants_voluntary), today)
    return events
