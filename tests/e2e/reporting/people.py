"""Newcomers for reporting's end-to-end test, registered through intake's API in
communes no other test uses, so the commune figures are exactly ours.

cripel: 6 in Huy (61031), 2 in Waremme (64074), 2 in Seraing (62096);
cai: 3 in Dinant (91034), 2 in Philippeville (93056).
Each centre's column holds at least two small cells, so Huy's 6 needs no
complementary suppression whatever the other tests register elsewhere.
"""
from __future__ import annotations

import random
import string
from datetime import date

from stdnum.be import nn

from services.demo_people import synthetic_niss

PLAN = [("cripel", "61031", "4500", 6), ("cripel", "64074", "4300", 2),
        ("cripel", "62096", "4100", 2), ("cai", "91034", "5500", 3),
        ("cai", "93056", "5600", 2)]

_rng = random.Random()
_used: set[str] = set()


def _niss(birth: date, male: bool) -> str:
    while True:
        serial = _rng.randrange(1, 997)
        if (serial % 2 == 1) != male:
            serial += 1
        number = synthetic_niss(birth, serial)
        if number not in _used:
            nn.validate(number)
            _used.add(number)
            return number


def _name() -> str:
    return "Rpt" + "".join(_rng.choice(string.ascii_lowercase) for _ in range(9))


def registration(commune: str, postal: str, n: int) -> dict:
    birth = date(_rng.randrange(1970, 1999), _rng.randrange(1, 13), _rng.randrange(1, 29))
    male = n % 2 == 1
    return {"last_name": _name().capitalize(), "first_names": _name().capitalize(),
            "birth_date": birth.isoformat(), "sex": "M" if male else "F",
            "nationality": "AF", "national_number": nn.format(_niss(birth, male)),
            "commune_nis": commune, "permit_type": "A", "permit_order_date": "2025-03-01",
            "address": {"street": f"Rue {_name()}", "house_number": str(n + 1),
                        "postal_code": postal}}
