"""The periods a publication covers (« période ») : one calendar month, "YYYY-MM". Pure.

A publication of period 2026-11 freezes the tables of the year 2026 as they stand when
it is taken (the year to date: figures are only ever computed per year), published at
the start of the following month. A period may be published once it has ended.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")
_SHAPE = re.compile(r"^(20\d\d)-(0[1-9]|1[0-2])$")


@dataclass(frozen=True, order=True)
class Period:
    year: int
    month: int

    @staticmethod
    def parse(text: str) -> "Period":
        m = _SHAPE.match(text or "")
        if not m:
            raise ValueError(f"période invalide : {text!r} (attendu AAAA-MM, par ex. 2026-11)")
        return Period(int(m.group(1)), int(m.group(2)))

    @staticmethod
    def before(day: date) -> "Period":
        """The last month that has ended on `day`: the one a scheduled run publishes."""
        return Period(day.year - 1, 12) if day.month == 1 else Period(day.year, day.month - 1)

    def ended(self, day: date) -> bool:
        return self < Period(day.year, day.month)

    @property
    def id(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        """« novembre 2026 »."""
        return f"{MONTHS[self.month - 1]} {self.year}"
