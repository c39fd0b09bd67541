"""Transfer of a person's file between centres (« transfert du dossier »): pure decisions.

The sender builds the full file (`file_from_state`), seals it for the receiver (I/O,
outside the domain), then `decide_hand_over` emits the sealed bundle and the forwarding
record in one commit. The receiver opens the bundle and `decide_receive` registers the
person under the same person id. Both are idempotent on the transfer id.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Callable

from shared.errors import DomainRuleViolation
from shared.messages import DomainEvent

from .person_state import PersonState, header, require_active

FILE_FORMAT = "cri.intake.person-file/1"
BUNDLE_SIGNATURE = "cri.intake.bundle-signature/1"   # domain tag of the sender's signature
SIGNED_FIELDS = ("transfer_id", "person_id", "from_centre", "to_centre", "sealed")


def signed_part(data: dict[str, Any]) -> dict[str, Any]:
    """What the sending centre signs: the whole hand-over but the signature."""
    return {k: data[k] for k in SIGNED_FIELDS}


def _public_history(state: PersonState) -> tuple[list[dict], list[str | None]]:
    """History entries without the override justifications (free text, personal)."""
    public, justifications = [], []
    for entry in state.eligibility_history:
        justifications.append(entry.get("justification"))
        public.append({k: v for k, v in entry.items() if k != "justification"})
    return public, justifications


def file_from_state(state: PersonState, history: list[dict[str, Any]], transfer_id: str,
                    to_centre: str, today: date) -> dict[str, Any]:
    """Everything the receiving centre needs to carry on, as JSON types."""
    require_active(state)
    public_history, justifications = _public_history(state)
    return {
        "format": FILE_FORMAT, "transfer_id": transfer_id, "person_id": state.person_id,
        "from_centre": state.centre, "to_centre": to_centre, "sealed_on": today.isoformat(),
        "public": {
            "pseudonym": state.pseudonym, "pseudonym_strength": state.pseudonym_strength,
            "sex": state.sex, "nationality": state.nationality,
            "commune_nis": state.commune_nis, "registered_on": state.registered_on,
            "final_status": state.final_status, "wants_voluntary": state.wants_voluntary,
            "needs_osp": state.needs_osp, "french_level": state.french_level,
            "dispense_grounds": sorted(state.dispenses),
            "consents": {k: sorted(v) for k, v in state.consents.items()},
            "eligibility": state.eligibility, "eligibility_history": public_history},
        "personal": {
            "identity": dict(state.personal), "bilan_social": state.bilan_social,
            "dispense_evidence": dict(state.dispenses), "justifications": justifications,
            "history": history},
    }


def decide_hand_over(state: PersonState, transfer_id: str, to_centre: str, sealed: str,
                     today: date, sign: Callable[[dict[str, Any]], str]) -> list[DomainEvent]:
    """-> intake.PersonFileHandedOver (to the region topic, signed with `sign`) +
    intake.PersonTransferredOut."""
    if transfer_id in state.transfers:
        return []                                        # already handed over: idempotent
    require_active(state)
    if to_centre == state.centre:
        raise DomainRuleViolation("Transfert vers le centre lui-même.",
                                  message_en="Transfer to the same centre.")
    ids = {"person_id": state.person_id, "transfer_id": transfer_id}
    bundle = {**ids, "from_centre": state.centre, "to_centre": to_centre, "sealed": sealed}
    return [
        DomainEvent("intake.PersonFileHandedOver", {**bundle, "signature": sign(bundle)}),
        DomainEvent("intake.PersonTransferredOut", {
            **ids, "pseudonym": state.pseudonym, "pseudonym_strength": state.pseudonym_strength,
            "centre": state.centre, "to_centre": to_centre, "transferred_on": today.isoformat(),
            "personal": None}),
    ]


def decide_receive(state: PersonState, bundle: dict[str, Any], centre: str,
                   today: date) -> list[DomainEvent]:
    """An opened bundle -> intake.PersonTransferredIn in this centre (same person id)."""
    if bundle.get("format") != FILE_FORMAT or bundle.get("to_centre") != centre:
        raise DomainRuleViolation("Dossier reçu illisible ou destiné à un autre centre.",
                                  message_en="Bundle unreadable or meant for another centre.")
    if bundle["transfer_id"] in state.transfers:
        return []
    if state.person_id is not None and not state.transferred_to and not state.erased:
        raise DomainRuleViolation("Cette personne est déjà suivie ici.",
                                  message_en="This person is already followed here.")
    pub = bundle["public"]
    receiving = PersonState(person_id=bundle["person_id"], centre=centre,
                            pseudonym=pub["pseudonym"],
                            pseudonym_strength=pub["pseudonym_strength"], sex=pub["sex"],
                            nationality=pub["nationality"], commune_nis=pub["commune_nis"],
                            personal=bundle["personal"]["identity"])
    data = {**header(receiving, today), "transfer_id": bundle["transfer_id"],
            "from_centre": bundle["from_centre"], "received_on": today.isoformat(),
            **{k: pub[k] for k in ("registered_on", "final_status", "wants_voluntary",
                                   "needs_osp", "french_level", "dispense_grounds", "consents",
                                   "eligibility", "eligibility_history")},
            "personal": bundle["personal"]}
    return [DomainEvent("intake.PersonTransferredIn", data)]
