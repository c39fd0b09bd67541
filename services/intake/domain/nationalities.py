"""Nationalities (« nationalité »): ISO 3166-1 alpha-2 codes, French names, and the
groups the eligibility rules care about.

- "UE+": the 27 EU member states, the other EEA states (Iceland, Liechtenstein,
  Norway) and Switzerland. Their citizens and family members are not primo-arrivants.
- Standstill clause (« clause de standstill »): Turkish nationals are dispensed because
  the EU–Turkey association agreement (Ankara Agreement, Additional Protocol art. 41,
  Decision 1/80 art. 13) forbids new integration requirements. Other states whose EU
  association agreement may carry a standstill clause are "to confirm" with the
  regional administration (candidates raised so far: none settled by a public source),
  so only "TR" is listed; a coordinator can still record the dispense with evidence.

Two user-assigned codes (ISO 3166 reserves X* for this) are accepted because the
reception offices meet them daily: "XK" Kosovo (as used by the EU) and "XX"
stateless or undetermined nationality.
"""
from __future__ import annotations

import gettext

import pycountry

from shared.errors import ValidationFailed

BELGIUM = "BE"

EU_27: frozenset[str] = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
})
EEA_NON_EU: frozenset[str] = frozenset({"IS", "LI", "NO"})
EU_PLUS: frozenset[str] = EU_27 | EEA_NON_EU | {"CH"}

STANDSTILL_NATIONALITIES: frozenset[str] = frozenset({"TR"})

_USER_ASSIGNED = {"XK": "Kosovo", "XX": "Apatride ou nationalité indéterminée"}
# pycountry's French names are sometimes inverted ("Russie, Fédération de"): the
# names below are the ones a reception agent expects on screen.
_FRENCH_OVERRIDES = {"RU": "Russie", "PS": "Palestine", "TR": "Turquie"}

_fr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])


def _invalid(code: object) -> ValidationFailed:
    message = f"Code de nationalité inconnu : {code!r} (ISO 3166-1 alpha-2 attendu)."
    return ValidationFailed(message, message_en=f"Unknown nationality code: {code!r}.",
                            fields={"nationality": [message]})


def normalise_nationality(code: str) -> str:
    """Upper-case alpha-2 code, validated; ValidationFailed on "nationality"."""
    if not isinstance(code, str) or len(code.strip()) != 2:
        raise _invalid(code)
    code = code.strip().upper()
    if code in _USER_ASSIGNED or pycountry.countries.get(alpha_2=code) is not None:
        return code
    raise _invalid(code)


def nationality_name(code: str) -> str:
    """French name of the country, e.g. "SY" -> "Syrie"."""
    code = normalise_nationality(code)
    if code in _USER_ASSIGNED:
        return _USER_ASSIGNED[code]
    if code in _FRENCH_OVERRIDES:
        return _FRENCH_OVERRIDES[code]
    country = pycountry.countries.get(alpha_2=code)
    return _fr.gettext(getattr(country, "common_name", None) or country.name)


def is_belgian(code: str) -> bool:
    return normalise_nationality(code) == BELGIUM


def is_eu_plus(code: str) -> bool:
    """EU 27, EEA (Iceland, Liechtenstein, Norway) or Switzerland; Belgium included."""
    return normalise_nationality(code) in EU_PLUS


def has_standstill_clause(code: str) -> bool:
    return normalise_nationality(code) in STANDSTILL_NATIONALITIES
