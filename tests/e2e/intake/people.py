"""Generated newcomers for the intake end-to-end tests: valid NISS numbers, distinctive
names (so a privacy scan cannot match by accident), addresses in each centre."""
from __future__ import annotations

import random
import string
import threading
from datetime import date, timedelta

from stdnum.be import nn

from services.demo_people import synthetic_niss
from shared import clock

COMMUNES = {"cripel": ("62063", "4000", "Liège"), "cai": ("92094", "5000", "Namur")}
OLD_RULES = date(2024, 12, 1)      # permit ordered before 1 Jan 2025: rules 2016-v1
NEW_RULES = date(2025, 3, 1)       # from 1 Jan 2025: rules 2025-v1

_used: set[str] = set()
_lock = threading.Lock()
_rng = random.Random()
_SYLLABLES = ["ka", "zo", "vi", "ru", "mé", "tã", "lo", "qui", "xa", "bé", "no", "ży", "fa",
              "dri", "go", "ul", "sé", "pa", "wen", "tch", "ou", "ri", "mba", "kwé"]


def years_ago(years: int, extra_days: int = 0) -> date:
    today = clock.today()
    try:
        born = today.replace(year=today.year - years)
    except ValueError:                     # 29 February
        born = today.replace(year=today.year - years, day=28)
    return born - timedelta(days=extra_days)


def national_number(birth: date, male: bool) -> str:
    """A fresh valid NISS for that birth date (never handed out twice in a session)."""
    with _lock:
        while True:
            serial = _rng.randrange(1, 998)
            if (serial % 2 == 1) != male:
                serial = serial + 1 if serial < 997 else serial - 1
            number = synthetic_niss(birth, serial)
            if number not in _used:
                nn.validate(number)
                _used.add(number)
                return number


def word(syllables: int = 3) -> str:
    return "".join(_rng.choice(_SYLLABLES) for _ in range(syllables)) + \
        "".join(_rng.choice(string.ascii_lowercase) for _ in range(3))


def body(centre: str = "cripel", *, with_number: bool = True, **overrides) -> dict:
    """A valid registration for `centre` (overrides replace or, with None, remove keys)."""
    nis, postal, _ = COMMUNES[centre]
    birth = overrides.pop("birth", None) or date(_rng.randrange(1962, 2000),
                                                 _rng.randrange(1, 13), _rng.randrange(1, 29))
    male = _rng.random() < 0.5
    out = {
        "last_name": word().capitalize(), "first_names": f"{word(2).capitalize()} "
                                                          f"{word(2).capitalize()}",
        "birth_date": birth.isoformat(), "sex": "M" if male else "F", "nationality": "SY",
        "commune_nis": nis,
        "address": {"street": f"Rue {word(2).capitalize()}",
                    "house_number": str(_rng.randrange(1, 300)), "postal_code": postal},
        "permit_type": "A", "permit_order_date": NEW_RULES.isoformat(),
        "phone": f"+32 4{_rng.randrange(60, 99)} {_rng.randrange(10, 99)} "
                 f"{_rng.randrange(10, 99)} {_rng.randrange(10, 99)}",
        "email": f"{word(2)}.{word(2)}@example.org",
        "languages": ["ar"], "interpreter_needed": _rng.random() < 0.3,
    }
    if with_number:
        out["national_number"] = nn.format(national_number(birth, male))
    for key, value in overrides.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def needles(person: dict) -> list[str]:
    """Every personal value of a registration, in the forms a leak could take."""
    b = date.fromisoformat(person["birth_date"])
    out = [person["last_name"], person["email"], person["address"]["street"],
           person["phone"], person["phone"].replace(" ", ""), person["birth_date"],
           f"{b:%d/%m/%Y}", f"{b:%Y%m%d}"]
    out += person["first_names"].split()
    out += person["address"]["street"].split()[1:]
    if person.get("national_number"):
        out += [person["national_number"], nn.compact(person["national_number"])]
    return out
