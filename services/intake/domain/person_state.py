"""State of the person's file (« dossier de la personne ») and how the file's own
events fold into it (`HANDLERS`; transfers fold in `transfer_state`, `evolve` routes).

Handlers read events as stored (JSON types, ISO dates) and tolerate `personal` being
None: after crypto-shredding the infrastructure can no longer decrypt it, and replay
must still work for the audit trail.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from shared.errors import Gone, NotFound

from .privacy import age_band


@dataclass(frozen=True)
class PersonState:
    person_id: str | None = None
    centre: str | None = None
    pseudonym: str | None = None
    pseudonym_strength: str | None = None
    sex: str | None = None
    nationality: str | None = None
    commune_nis: str | None = None
    registered_on: str | None = None
    personal: dict[str, Any] = field(default_factory=dict)
    eligibility: dict[str, Any] | None = None         # last computed decision
    final_status: str | None = None                   # computed, or overridden
    eligibility_history: tuple[dict[str, Any], ...] = ()
    wants_voluntary: bool = False
    dispenses: dict[str, str | None] = field(default_factory=dict)  # code -> evidence
    consents: dict[str, frozenset[str]] = field(default_factory=dict)
    bilan_social: dict[str, Any] | None = None
    needs_osp: bool | None = None
    french_level: str | None = None
    erased: bool = False
    transferred_to: str | None = None                 # forwarding record (« transféré vers »)
    received_from: str | None = None
    transfers: tuple[str, ...] = ()                   # transfer ids handled, in or out
    version: int = 0

    @property
    def birth_date(self) -> date | None:
        raw = self.personal.get("birth_date")
        return date.fromisoformat(raw) if raw else None


def require_active(state: PersonState) -> PersonState:
    """The state if commands may apply: NotFound before registration, Gone after erasure."""
    if state.erased:
        raise Gone("Les données de cette personne ont été effacées.",
                   message_en="This person's data was erased.")
    if state.person_id is None:
        raise NotFound("Personne inconnue.", message_en="Unknown person.")
    if state.transferred_to:
        raise Transferred(state.transferred_to)
    return state


class Transferred(Gone):
    """The file left for another centre: only a forwarding record stays here."""

    slug = "transferred"
    title = "Dossier transféré"

    def __init__(self, centre: str):
        super().__init__(f"Dossier transféré vers {centre.upper()} : ce centre n'y a plus accès.",
                         message_en=f"File transferred to {centre.upper()}: no access any more.",
                         extra={"transferred_to": centre})


def header(state: PersonState, on: date) -> dict[str, Any]:
    """Public, coarse fields every intake event carries at top level."""
    return {"person_id": state.person_id, "pseudonym": state.pseudonym,
            "pseudonym_strength": state.pseudonym_strength, "centre": state.centre,
            "age_band": age_band(state.birth_date, on), "sex": state.sex,
            "nationality": state.nationality, "commune_nis": state.commune_nis}


def _registered(s: PersonState, d: dict, p: dict) -> PersonState:
    return replace(s, person_id=d["person_id"], centre=d["centre"], pseudonym=d["pseudonym"],
                   pseudonym_strength=d["pseudonym_strength"], sex=d["sex"],
                   nationality=d["nationality"], commune_nis=d["commune_nis"],
                   registered_on=d["registered_on"], personal=dict(p))


_HEADER_KEYS = frozenset({"person_id", "pseudonym", "pseudonym_strength", "centre", "age_band",
                          "sex", "nationality", "commune_nis", "personal"})


PRECISE = ("dispense_grounds", "reason_codes", "reasons")


def _entry(kind: str, d: dict) -> dict[str, Any]:
    return {"kind": kind, **{k: v for k, v in d.items() if k not in _HEADER_KEYS}}


def _decided(s: PersonState, d: dict, p: dict) -> PersonState:
    # v2: the precise grounds and reasons (art. 9 codes) come from `personal`
    entry = {**_entry("computed", d), **{k: p[k] for k in PRECISE if p.get(k)}}
    return replace(s, eligibility=entry, final_status=d["status"],
                   wants_voluntary=d["wants_voluntary"],
                   eligibility_history=s.eligibility_history + (entry,))


def _overridden(s: PersonState, d: dict, p: dict) -> PersonState:
    entry = {**_entry("override", d), "justification": p.get("justification"),
             "overridden_by": p.get("overridden_by", d.get("overridden_by"))}
    return replace(s, final_status=d["status"], eligibility_history=s.eligibility_history + (entry,))


def _dispense(s: PersonState, d: dict, p: dict) -> PersonState:
    return replace(s, dispenses={**s.dispenses, p.get("ground") or d["ground"]:
                                 p.get("evidence_ref")})


def _bilan(s: PersonState, d: dict, p: dict) -> PersonState:
    return replace(s, bilan_social=dict(p) or None, needs_osp=d["needs_osp"])


def _french(s: PersonState, d: dict, p: dict) -> PersonState:
    return replace(s, french_level=d["level"])


def _consent(s: PersonState, d: dict, p: dict) -> PersonState:
    current = s.consents.get(d["purpose"], frozenset())
    changed = current | set(d["recipients"]) if d["given"] else current - set(d["recipients"])
    return replace(s, consents={**s.consents, d["purpose"]: frozenset(changed)})


def _moved(s: PersonState, d: dict, p: dict) -> PersonState:
    return replace(s, commune_nis=d["commune_nis"],
                   personal={**s.personal, "address": p.get("address")} if s.personal else {})


def _erased(s: PersonState, d: dict, p: dict) -> PersonState:
    # Keep the public skeleton (ids, statuses) for the audit trail; drop the rest.
    history = tuple({**e, "justification": None, "overridden_by": None}
                    if "justification" in e else e for e in s.eligibility_history)
    return replace(s, erased=True, personal={}, bilan_social=None, eligibility_history=history,
                   dispenses={code: None for code in s.dispenses})


HANDLERS = {
    "intake.PersonRegistered": _registered,
    "intake.EligibilityDecided": _decided,
    "intake.EligibilityOverridden": _overridden,
    "intake.DispenseRecorded": _dispense,
    "intake.BilanSocialRecorded": _bilan,
    "intake.FrenchTestRecorded": _french,
    "intake.ConsentRecorded": _consent,
    "intake.AddressChanged": _moved,
    "intake.PersonErased": _erased,
}
