"""What a screen shows of a person's file (« dossier »), from its state.

French labels sit next to codes so the screens need no second lookup.
"""
from __future__ import annotations

from typing import Any

from services.intake.domain.commands import BILAN_THEMES, CONSENT_PURPOSES
from services.intake.domain.dispenses import DISPENSE_GROUNDS
from services.intake.domain.identifiers import format_national_number
from services.intake.domain.nationalities import nationality_name
from services.intake.domain.permits import PERMIT_TYPES
from services.intake.domain.person_state import PersonState
from services.intake.domain.territory import commune_name

STATUS_LABELS = {"obligated": "Public obligé", "voluntary": "Public volontaire",
                 "dispensed": "Dispensé", "out_of_scope": "Hors champ"}


def _safe(fn, value) -> str | None:
    try:
        return fn(value) if value else None
    except Exception:  # noqa: BLE001 - a label must never break a read
        return None


def file_view(state: PersonState, version: int) -> dict[str, Any]:
    p = state.personal
    address = p.get("address") or None
    permit = PERMIT_TYPES.get(p.get("permit_type") or "")
    return {
        "person_id": state.person_id, "centre": state.centre, "version": version,
        "registered_on": state.registered_on, "received_from": state.received_from,
        "pseudonym_strength": state.pseudonym_strength,
        "identity": {
            "last_name": p.get("last_name"), "first_names": p.get("first_names"),
            "birth_date": p.get("birth_date"), "sex": state.sex,
            "nationality": state.nationality,
            "nationality_name": _safe(nationality_name, state.nationality),
            "national_number": _safe(format_national_number, p.get("national_number")),
            "national_number_kind": p.get("national_number_kind"),
            "languages": p.get("languages") or [],
            "interpreter_needed": bool(p.get("interpreter_needed"))},
        "contact": {"phone": p.get("phone"), "email": p.get("email")},
        "address": {**(address or {}), "commune_nis": state.commune_nis,
                    "commune_name": _safe(commune_name, state.commune_nis)},
        "residence": {"permit_type": p.get("permit_type"),
                      "permit_type_label": permit.label_fr if permit else None,
                      "permit_order_date": p.get("permit_order_date"),
                      "arrival_date": p.get("arrival_date")},
        "notes": p.get("notes"),
        "eligibility": eligibility_view(state),
        "dispenses": [{"ground": code, "label": DISPENSE_GROUNDS.get(code),
                       "evidence_ref": ref} for code, ref in sorted(state.dispenses.items())],
        "bilan_social": bilan_view(state),
        "french_level": state.french_level,
        "consents": [{"purpose": k, "label": CONSENT_PURPOSES.get(k), "recipients": sorted(v)}
                     for k, v in sorted(state.consents.items()) if v],
    }


def eligibility_view(state: PersonState) -> dict[str, Any] | None:
    if state.eligibility is None and state.final_status is None:
        return None
    computed = state.eligibility or {}
    last = state.eligibility_history[-1] if state.eligibility_history else computed
    return {"status": state.final_status, "status_label": STATUS_LABELS.get(state.final_status),
            "computed_status": computed.get("status"),
            "overridden": last.get("kind") == "override",
            "rule_version": computed.get("rule_version"),
            "deadline": last.get("deadline", computed.get("deadline")),
            "reasons": computed.get("reasons", []),
            "reason_codes": computed.get("reason_codes", []),
            "dispense_grounds": computed.get("dispense_grounds", []),
            "wants_voluntary": state.wants_voluntary,
            "history": list(state.eligibility_history)}


def bilan_view(state: PersonState) -> dict[str, Any] | None:
    if not state.bilan_social:
        return None
    needs = state.bilan_social.get("needs", {})
    return {"needs": {k: {**v, "label": BILAN_THEMES.get(k)} for k, v in needs.items()},
            "notes": state.bilan_social.get("notes", ""), "needs_osp": state.needs_osp}
