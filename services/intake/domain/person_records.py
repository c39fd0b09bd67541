"""Recording decisions on an existing file (« dossier »): bilan social, French level
test, consent, address change and erasure. Same conventions as `person.py`: public
coarse fields at top level, personal data under "personal".
"""
from __future__ import annotations

from datetime import date
from typing import Any

from shared.errors import DomainRuleViolation
from shared.messages import DomainEvent

from .checks import fail, gather, require_text
from .commands import (BILAN_THEMES, CEFR_LEVELS, CONSENT_PURPOSES, CONSENT_RECIPIENTS,
                       ERASURE_REASONS, LEVELS_NEEDING_FLE, OSP_THEMES, BilanTheme, ChangeAddress,
                       ErasePerson, RecordBilanSocial, RecordConsent, RecordFrenchTest)
from .person_state import PersonState, header, require_active
from .events import latest
from .territory import check_postal_code, competent_centre


def _theme(name: str, value: BilanTheme | dict) -> dict[str, Any]:
    if name not in BILAN_THEMES:
        raise fail(f"needs.{name}", f"Thème inconnu : {name!r}.", f"Unknown theme: {name!r}.")
    if isinstance(value, dict):
        try:
            value = BilanTheme(**value)
        except TypeError:
            raise fail(f"needs.{name}", "Attendu : need (vrai/faux) et notes.",
                       "Expected: need (boolean) and notes.") from None
    if not isinstance(value.need, bool):
        raise fail(f"needs.{name}", "« need » doit être vrai ou faux.", "need must be a boolean.")
    return {"need": value.need, "notes": value.notes or ""}


def decide_record_bilan_social(state: PersonState, cmd: RecordBilanSocial,
                               today: date) -> list[DomainEvent]:
    """-> intake.BilanSocialRecorded; `needs_osp` is public, the needs themselves are not
    (health or family needs are sensitive data)."""
    require_active(state)
    needs = {name: {"need": False, "notes": ""} for name in BILAN_THEMES}
    checks = []
    for name, value in cmd.needs.items():
        def check(name: str = name, value: BilanTheme | dict = value) -> None:
            needs[name] = _theme(name, value)
        checks.append(check)
    gather(*checks)
    needs_osp = any(needs[t]["need"] for t in OSP_THEMES)
    return [DomainEvent("intake.BilanSocialRecorded", {
        **header(state, today), "needs_osp": needs_osp, "recorded_on": today.isoformat(),
        "personal": {"needs": needs, "notes": cmd.notes or ""}})]


def decide_record_french_test(state: PersonState, cmd: RecordFrenchTest,
                              today: date) -> list[DomainEvent]:
    """-> intake.FrenchTestRecorded (CEFR level; FLE needed below A2)."""
    require_active(state)

    def level() -> None:
        if cmd.level not in CEFR_LEVELS:
            raise fail("level", f"Niveau inconnu : {cmd.level!r} ({', '.join(CEFR_LEVELS)}).",
                       f"Unknown CEFR level: {cmd.level!r}.")

    def when() -> None:
        if cmd.test_date > today:
            raise fail("test_date", "Date du test dans le futur.", "Test date in the future.")

    gather(level, when, lambda: require_text("tester", cmd.tester))
    return [DomainEvent("intake.FrenchTestRecorded", {
        **header(state, today), "level": cmd.level, "test_date": cmd.test_date.isoformat(),
        "needs_fle": cmd.level in LEVELS_NEEDING_FLE,
        "personal": {"tester": cmd.tester.strip(), "notes": cmd.notes or ""}})]


def decide_record_consent(state: PersonState, cmd: RecordConsent,
                          today: date) -> list[DomainEvent]:
    """-> intake.ConsentRecorded; a withdrawal must concern recipients consented to."""
    require_active(state)
    recipients = sorted(set(cmd.recipients))

    def purpose() -> None:
        if cmd.purpose not in CONSENT_PURPOSES:
            raise fail("purpose", f"Finalité inconnue : {cmd.purpose!r}.",
                       f"Unknown purpose: {cmd.purpose!r}.")

    def who() -> None:
        unknown = set(recipients) - CONSENT_RECIPIENTS
        if not recipients or unknown:
            raise fail("recipients", "Destinataires : forem, cpas, commune, operators.",
                       f"Invalid recipients: {sorted(unknown) or 'none'}.")

    gather(purpose, who)
    if not cmd.given and not set(recipients) <= state.consents.get(cmd.purpose, frozenset()):
        raise DomainRuleViolation("Impossible de retirer un consentement qui n'a pas été donné.",
                                  message_en="Cannot withdraw a consent that was not given.")
    return [DomainEvent("intake.ConsentRecorded", {
        **header(state, today), "purpose": cmd.purpose, "recipients": recipients,
        "given": cmd.given, "recorded_on": today.isoformat(),
        "personal": {"evidence_ref": cmd.evidence_ref}})]


def decide_change_address(state: PersonState, cmd: ChangeAddress,
                          today: date) -> list[DomainEvent]:
    """-> intake.AddressChanged. When the new commune belongs to another centre the event
    carries `moved_to_centre`, so the pathway service can propose a transfer; outside
    every CRI territory it carries `left_territory`. The file stays with its centre."""
    require_active(state)
    competent = competent_centre(cmd.commune_nis)   # also rejects an unknown commune
    if cmd.address:
        check_postal_code(cmd.address.postal_code, cmd.commune_nis)
    address = cmd.address and cmd.address.as_data()
    if cmd.commune_nis == state.commune_nis and address == state.personal.get("address"):
        raise DomainRuleViolation("L'adresse n'a pas changé.", message_en="Address unchanged.")
    return [DomainEvent("intake.AddressChanged", {
        **header(state, today), "commune_nis": cmd.commune_nis, "previous_commune_nis": state.commune_nis,
        "moved_to_centre": competent if competent not in (None, state.centre) else None,
        "left_territory": competent is None, "changed_on": today.isoformat(),
        "personal": {"address": address}})]


def decide_erase(state: PersonState, cmd: ErasePerson, today: date) -> list[DomainEvent]:
    """-> intake.PersonErased; the infrastructure then destroys the person's data key.
    The reason is a code, never free text, because this event outlives the key."""
    require_active(state)

    def reason() -> None:
        if cmd.reason not in ERASURE_REASONS:
            raise fail("reason", f"Motif d'effacement inconnu : {cmd.reason!r}.",
                       f"Unknown erasure reason: {cmd.reason!r}.")

    gather(reason, lambda: require_text("dpo", cmd.dpo))
    return [DomainEvent("intake.PersonErased", {
        "person_id": state.person_id, "pseudonym": state.pseudonym,
        "pseudonym_strength": state.pseudonym_strength, "centre": state.centre,
        "reason": cmd.reason, "erased_on": today.isoformat(),
        "personal": None}, latest("intake.PersonErased"))]
