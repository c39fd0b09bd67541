"""How transfer events fold into the person's state (see `transfers` for decisions;
`evolve` routes them with the file's own events)."""
from __future__ import annotations

from dataclasses import replace

from .person_state import PersonState


def _handed_over(s: PersonState, d: dict, p: dict) -> PersonState:
    return s


def _out(s: PersonState, d: dict, p: dict) -> PersonState:
    return replace(s, transferred_to=d["to_centre"], transfers=s.transfers + (d["transfer_id"],))


def _in(s: PersonState, d: dict, p: dict) -> PersonState:
    """A fresh file: whatever this centre held before (an old transfer out) is replaced."""
    justifications = p.get("justifications") or []
    history = []
    for i, entry in enumerate(d["eligibility_history"]):
        if entry.get("kind") == "override":
            entry = {**entry, "justification": justifications[i] if i < len(justifications)
                     else None}
        history.append(entry)
    evidence = p.get("dispense_evidence") or {}
    return PersonState(
        person_id=d["person_id"], centre=d["centre"], pseudonym=d["pseudonym"],
        pseudonym_strength=d["pseudonym_strength"], sex=d["sex"], nationality=d["nationality"],
        commune_nis=d["commune_nis"], registered_on=d["registered_on"],
        personal=dict(p.get("identity") or {}), eligibility=d["eligibility"],
        final_status=d["final_status"], eligibility_history=tuple(history),
        wants_voluntary=d["wants_voluntary"],
        dispenses={code: evidence.get(code) for code in d["dispense_grounds"]},
        consents={k: frozenset(v) for k, v in d["consents"].items()},
        bilan_social=p.get("bilan_social"), needs_osp=d["needs_osp"],
        french_level=d["french_level"], received_from=d["from_centre"],
        transfers=s.transfers + (d["transfer_id"],), version=s.version)


HANDLERS = {
    "intake.PersonFileHandedOver": _handed_over,
    "intake.PersonTransferredOut": _out,
    "intake.PersonTransferredIn": _in,
}
