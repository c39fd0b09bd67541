"""Special-category data (GDPR art. 9) and staff ids: never on a shared topic.

A dispense ground that reveals health (`medical`) travels as a coarse category
(`motif_protege`) in the public part of an event; the precise code sits under
`personal` (encrypted with the person's key, dropped from every published message).
Staff ids (who overrode, who read a file) sit under `personal` as well; the commit's
`meta.by` keeps who wrote each commit, in the centre's store only.
"""
from __future__ import annotations

from typing import Iterable

CATEGORY = "motif_protege"
PROTECTED_GROUNDS = frozenset({"medical"})
PROTECTED_LABEL = "motif protégé (catégorie particulière de données, art. 9 RGPD)"
_DISPENSE = "dispense:"


def public_ground(code: str) -> str:
    return CATEGORY if code in PROTECTED_GROUNDS else code


def public_grounds(codes: Iterable[str]) -> list[str]:
    return [public_ground(c) for c in codes]


def public_reason_codes(codes: Iterable[str]) -> list[str]:
    return [_DISPENSE + public_ground(c[len(_DISPENSE):]) if c.startswith(_DISPENSE) else c
            for c in codes]


def public_reasons(codes: list[str], reasons: list[str]) -> list[str]:
    """The French reasons, each protected dispense's label replaced by the category's."""
    return [f"Dispense : {PROTECTED_LABEL}." if code.startswith(_DISPENSE)
            and code[len(_DISPENSE):] in PROTECTED_GROUNDS else text
            for code, text in zip(codes, reasons)]


def decided_v2(d: dict) -> dict:
    """EligibilityDecided v1 -> v2: coarse in public, precise under `personal` (kept only
    where `personal` still exists: not for a published message, nor after erasure)."""
    codes, reasons = list(d["reason_codes"]), list(d["reasons"])
    personal = d.get("personal")
    if isinstance(personal, dict):
        personal = {**personal, "dispense_grounds": list(d["dispense_grounds"]),
                    "reason_codes": codes, "reasons": reasons}
    return {**d, "dispense_grounds": public_grounds(d["dispense_grounds"]),
            "reason_codes": public_reason_codes(codes),
            "reasons": public_reasons(codes, reasons), "personal": personal}


def dispense_v2(d: dict) -> dict:
    personal = d.get("personal")
    if isinstance(personal, dict):
        personal = {**personal, "ground": d["ground"]}
    return {**d, "ground": public_ground(d["ground"]), "personal": personal}


def staff_under_personal(field: str):
    """v1 -> v2 for an event whose staff id moves from the public part to `personal`."""
    def upcast(d: dict) -> dict:
        rest = {k: v for k, v in d.items() if k != field}
        return {**rest, "personal": {**(d.get("personal") or {}), field: d.get(field)}}
    return upcast


def without(field: str):
    """v1 -> v2 for an event that no longer carries `field` (kept in the commit's meta)."""
    return lambda d: {k: v for k, v in d.items() if k != field}
