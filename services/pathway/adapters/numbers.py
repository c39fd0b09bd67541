"""Attestation numbers ("numéro d'attestation"): "<CENTRE>-<year>-<6 digits>-<check>".

The sequence part is unique per centre and year; the check part (4 characters drawn with
`secrets`) makes a number impossible to guess from its neighbours, so the public
verification page cannot enumerate the register (and is rate-limited besides).

FerretDB has no atomic compare-and-set through update filters, so a number is taken by
inserting its own document (`_id` = its sequence part): the unique `_id` decides who gets it;
a duplicate key means "taken", try the next (the full number is stored beside it). The
counter document is only a hint of where to start. A number reserved and not used (crash, refused append) stays visible as
"reserved": a gap with its explanation.
"""
from __future__ import annotations

import re
import secrets
from datetime import datetime, timezone

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError
from shared.store.documents import put

from services.pathway.domain.vocab import CHECK_ALPHABET, CHECK_LENGTH


def centre_code(centre: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", centre.upper())


def check_part() -> str:
    return "".join(secrets.choice(CHECK_ALPHABET) for _ in range(CHECK_LENGTH))


def sequence_of(number: str) -> str:
    """"CRIPEL-2026-000006-K7Q2" -> "CRIPEL-2026-000006" (the reservation's `_id`)."""
    parts = number.split("-")
    return "-".join(parts[:3]) if len(parts) == 4 else number


class AttestationNumbers:
    def __init__(self, db: Database):
        self.numbers = db["attestation_numbers"]
        self.counters = db["attestation_counters"]

    def ensure_indexes(self) -> None:
        self.numbers.create_index("prefix")
        self.numbers.create_index("person_id")

    def forget(self, person_id: str) -> None:
        """`intake.PersonErased`: the numbers stay allocated, without the person."""
        for doc in list(self.numbers.find({"person_id": person_id}, {"_id": 1})):
            self.numbers.update_one({"_id": doc["_id"]}, {"$set": {"person_id": None}})

    def allocate(self, centre: str, year: int, person_id: str, max_tries: int = 1000) -> str:
        prefix = f"{centre_code(centre)}-{year}"
        hint = (self.counters.find_one({"_id": prefix}) or {}).get("last", 0)
        candidate = hint + 1
        for attempt in range(max_tries):
            sequence = f"{prefix}-{candidate:06d}"
            number = f"{sequence}-{check_part()}"
            try:
                self.numbers.insert_one({
                    "_id": sequence, "number": number, "prefix": prefix, "person_id": person_id,
                    "status": "reserved",
                    "reserved_at": datetime.now(timezone.utc).isoformat()})
            except DuplicateKeyError:
                # The hint was stale: jump past the highest taken, once; then walk.
                candidate = (self._highest(prefix) if attempt == 0 else candidate) + 1
                continue
            self._raise_hint(prefix, candidate)
            return number
        raise RuntimeError(f"no free attestation number for {prefix}")

    def mark_issued(self, number: str) -> None:
        self.numbers.update_one({"_id": sequence_of(number)}, {"$set": {"status": "issued"}})

    def _highest(self, prefix: str) -> int:
        ids = [d["_id"] for d in self.numbers.find({"prefix": prefix}, {"_id": 1})]
        return max((int(i.rsplit("-", 1)[1]) for i in ids), default=0)

    def _raise_hint(self, prefix: str, value: int) -> None:
        current = (self.counters.find_one({"_id": prefix}) or {}).get("last", 0)
        if value > current:  # not atomic, and need not be: it is only a hint
            put(self.counters, {"_id": prefix, "last": value})
