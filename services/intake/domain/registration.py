"""Checks on a registration at the reception office (« inscription au bureau d'accueil »):
identity, national number consistent with the birth date, permit dates, and the
commune inside this centre's territory with a postal code that serves it.
"""
from __future__ import annotations

import uuid
from datetime import date
from typing import Callable

from .checks import fail, gather, require_text
from .commands import SEXES, RegisterPerson
from .identifiers import birth_date_matches
from .nationalities import normalise_nationality
from .permits import permit_type
from .territory import check_in_territory, check_postal_code


def check_registration(cmd: RegisterPerson, today: date) -> None:
    """Raise one ValidationFailed listing every field problem, or return None."""

    def required(name: str) -> Callable[[], str]:
        return lambda: require_text(name, getattr(cmd, name))

    def ids() -> None:
        try:
            uuid.UUID(cmd.person_id)
        except (ValueError, TypeError, AttributeError):
            raise fail("person_id", "Identifiant invalide (UUID).", "Invalid UUID.") from None
        if cmd.sex not in SEXES:
            raise fail("sex", "Sexe : F, M ou X.", "Sex must be F, M or X.")
        if cmd.birth_date > today:
            raise fail("birth_date", "Date de naissance dans le futur.", "Birth date in the future.")

    def number() -> None:
        if cmd.national_number and not birth_date_matches(cmd.national_number, cmd.birth_date):
            raise fail("national_number", "Le numéro ne correspond pas à la date de naissance.",
                    "The number does not match the birth date.")

    def permit() -> None:
        if permit_type(cmd.permit_type).long_stay and cmd.permit_order_date is None:
            raise fail("permit_order_date", "Date d'ordre de délivrance du titre requise.",
                    "The permit order date is required for this permit type.")
        for name in ("permit_order_date", "arrival_date"):
            if getattr(cmd, name) and getattr(cmd, name) > today:
                raise fail(name, "Date dans le futur.", "Date in the future.")

    def email() -> None:
        if cmd.email and ("@" not in cmd.email or " " in cmd.email.strip()):
            raise fail("email", "Adresse e-mail invalide.", "Invalid e-mail address.")

    gather(required("last_name"), required("first_names"), ids, number, email,
           lambda: normalise_nationality(cmd.nationality), permit,
           lambda: check_in_territory(cmd.commune_nis, cmd.centre),
           lambda: cmd.address and check_postal_code(cmd.address.postal_code, cmd.commune_nis))
