"""Privacy helpers (« protection des données »): coarse attributes, name search over a
blind index, and the regional pseudonym.

Events leaving intake carry only coarse attributes (age band…) and the pseudonym; names
are searched through HMAC'd tokens so the store never holds a searchable cleartext
name. Keys are passed in by the caller: nothing here reads configuration.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from datetime import date

from .identifiers import normalise_national_number

AGE_BANDS = ("<18", "18-25", "26-35", "36-45", "46-55", "56-65", "65+")
BLIND_INDEX_HEX = 16    # 64 bits: no collision in practice at 10^7 tokens, short to store
PSEUDONYM_HEX = 32      # 128 bits
MIN_QUERY = 2           # one letter would select a sixth of everybody: refused

# Letters NFKD does not decompose but names carry (Ø, Ł, Æ…).
_FOLD = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ı": "i", "æ": "ae", "œ": "oe",
                       "ð": "d", "þ": "th"})
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_.,]+")
_DROPPED = re.compile(r"['’`ʼ]")   # N'Diaye is searched as "ndiaye"


def age_on(birth_date: date, on: date) -> int:
    """Completed years on `on` (a person born 29 Feb turns a year older on 1 Mar)."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def age_band(birth_date: date, on: date) -> str:
    """Statistics band; "56-65" stops at 64 because the obligation ends at 65."""
    age = age_on(birth_date, on)
    if age < 18:
        return "<18"
    if age >= 65:
        return "65+"
    for band in AGE_BANDS[1:-1]:
        low, high = (int(x) for x in band.split("-"))
        if low <= age <= high:
            return band
    raise AssertionError(age)  # pragma: no cover - the bands cover 18..64


def normalise_name(name: str) -> str:
    """Casefold, strip accents, collapse spaces and hyphens: "  Ngoné-DIOP " -> "ngone diop"."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c)).translate(_FOLD)
    folded = _DROPPED.sub("", folded)
    return " ".join(part for part in _SEPARATORS.split(folded) if part)


def _trigrams(word: str) -> set[str]:
    return {word[i:i + 3] for i in range(len(word) - 2)}


def search_tokens(name: str) -> set[str]:
    """Tokens to index a name: trigrams of each word and of the joined name ("t:"),
    two-letter word prefixes ("p:"), whole words ("w:")."""
    words = normalise_name(name).split()
    tokens = {f"t:{t}" for t in _trigrams("".join(words))}
    for word in words:
        tokens |= {f"t:{t}" for t in _trigrams(word)}
        tokens.add(f"w:{word}")
        if len(word) >= MIN_QUERY:
            tokens.add(f"p:{word[:MIN_QUERY]}")
    return tokens


def query_tokens(query: str) -> set[str]:
    """Tokens a search must all find among a name's `search_tokens` (empty: too short).

    Trigrams make any substring of 3+ letters match; shorter words match as prefixes.
    Trigram sets over-approximate, so callers re-check decrypted candidates.
    """
    tokens: set[str] = set()
    for word in normalise_name(query).split():
        if len(word) >= 3:
            tokens |= {f"t:{t}" for t in _trigrams(word)}
        elif len(word) == MIN_QUERY:
            tokens.add(f"p:{word}")
    return tokens


def name_matches(query: str, name: str) -> bool:
    """In-memory equivalent of a blind-index search (before the re-check)."""
    wanted = query_tokens(query)
    return bool(wanted) and wanted <= search_tokens(name)


def blind_index(token: str, key: bytes) -> str:
    """HMAC-SHA256 of a search token, truncated to 64 bits of hex."""
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()[:BLIND_INDEX_HEX]


def pseudonym(national_number: str | None,
              fallback: tuple[str, date, str] | None = None,
              *, regional_secret: bytes) -> tuple[str, str]:
    """Regional pseudonym and its strength ("strong" | "weak").

    Strong: HMAC over the compact NISS/BIS, the same in every centre. Weak (no number
    yet): HMAC over the sorted normalised name words, birth date and nationality, so
    "NGONE Awa" and "Awa Ngoné" agree; a typo breaks it, hence "weak".
    """
    if national_number:
        material = "nn:" + normalise_national_number(national_number)
        strength = "strong"
    elif fallback is not None:
        names, birth_date, nationality = fallback
        words = " ".join(sorted(normalise_name(names).split()))
        material = f"weak:{words}|{birth_date.isoformat()}|{nationality.strip().upper()}"
        strength = "weak"
    else:
        raise ValueError("a pseudonym needs a national number or the fallback facts")
    digest = hmac.new(regional_secret, material.encode(), hashlib.sha256).hexdigest()
    return digest[:PSEUDONYM_HEX], strength
