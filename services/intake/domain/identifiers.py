"""Belgian personal identifiers: national register number (NISS, « numéro de registre
national ») and BIS number (« numéro BIS »).

Both are 11 digits with check digits; the BIS number differs by a month shifted by 20
(sex unknown) or 40 (sex known). We store and hash the compact form only, so the same
number typed as "85.07.30-033.28" or "85073003328" is the same person.
"""
from __future__ import annotations

from datetime import date
from typing import Literal

from stdnum.be import bis, nn
from stdnum.exceptions import ValidationError as StdnumError

from shared.errors import ValidationFailed

NumberKind = Literal["niss", "bis"]

_INVALID_FR = "Numéro de registre national invalide (chiffres de contrôle)."
_INVALID_EN = "Invalid national register number (check digits)."


def _invalid() -> ValidationFailed:
    return ValidationFailed(_INVALID_FR, message_en=_INVALID_EN,
                            fields={"national_number": [_INVALID_FR]})


def parse_national_number(raw: str) -> tuple[str, NumberKind]:
    """Return (compact 11-digit number, "niss" | "bis") or raise ValidationFailed."""
    if not isinstance(raw, str):
        raise _invalid()
    try:
        return nn.validate(raw), "niss"
    except StdnumError:
        pass
    try:
        return bis.validate(raw), "bis"
    except StdnumError:
        raise _invalid() from None


def normalise_national_number(raw: str) -> str:
    """The compact form, validated (NISS or BIS)."""
    return parse_national_number(raw)[0]


def national_number_kind(raw: str) -> NumberKind:
    """"niss" or "bis"; raises ValidationFailed when neither checks out."""
    return parse_national_number(raw)[1]


def format_national_number(raw: str) -> str:
    """Display form "YY.MM.DD-NNN.CC" (same layout for NISS and BIS)."""
    return nn.format(normalise_national_number(raw))


def birth_date_matches(raw: str, birth_date: date) -> bool:
    """False only when the number encodes a full birth date different from `birth_date`.

    Numbers with an unknown or exhausted day counter encode no reliable date (month or
    day zero), so they cannot contradict the declared birth date.
    """
    encoded = nn.get_birth_date(normalise_national_number(raw))
    return encoded is None or encoded == birth_date
