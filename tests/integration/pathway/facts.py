"""Public payloads of intake's and partners' events, shaped by their real schemas."""
from __future__ import annotations

import uuid


def header(person_id: str, centre: str = "cripel") -> dict:
    return {"person_id": person_id, "pseudonym": uuid.uuid5(uuid.NAMESPACE_URL, person_id).hex,
            "pseudonym_strength": "strong", "centre": centre, "age_band": "26-35",
            "sex": "F", "nationality": "MA", "commune_nis": "62063", "personal": None}


def decided(person_id: str, status: str = "obligated", deadline: str | None = "2028-06-01",
            rule_version: str = "2025-v1", assessed_on: str = "2025-09-01") -> dict:
    return {**header(person_id), "status": status, "rule_version": rule_version,
            "reason_codes": [], "reasons": [], "dispense_grounds": [], "deadline": deadline,
            "wants_voluntary": status == "voluntary", "assessed_on": assessed_on}


def bilan(person_id: str, needs_osp: bool = False, on: str = "2025-09-10") -> dict:
    return {**header(person_id), "needs_osp": needs_osp, "recorded_on": on}


def french_test(person_id: str, level: str = "A1", on: str = "2025-09-11") -> dict:
    return {**header(person_id), "level": level, "test_date": on,
            "needs_fle": level in ("pre-A1", "A1")}


def moved(person_id: str, to_centre: str | None, on: str = "2026-01-15") -> dict:
    return {**header(person_id), "commune_nis": "92094", "previous_commune_nis": "62063",
            "moved_to_centre": to_centre, "left_territory": False, "changed_on": on}


def attendance(person_id: str, attendance_id: str, training: str = "citizenship",
               hours: float = 20.0, on: str = "2025-10-01", centre: str = "cripel") -> dict:
    return {"attendance_id": attendance_id, "person_id": person_id, "centre": centre,
            "training": training, "hours": hours, "session_date": on, "operator_id": None,
            "recorded_on": on}
