"""NISS / BIS validation: check digits computed here, independently of stdnum."""
from datetime import date

import pytest

from services.intake.domain.identifiers import (birth_date_matches, format_national_number,
                                                national_number_kind, normalise_national_number,
                                                parse_national_number)
from shared.errors import ValidationFailed

MESSAGE = "Numéro de registre national invalide (chiffres de contrôle)."


def with_check(first9: str, born_2000s: bool) -> str:
    """Modulo-97 check digits; people born from 2000 get a "2" prefixed before the modulo."""
    n = int(("2" if born_2000s else "") + first9)
    return f"{first9}{97 - n % 97:02d}"


@pytest.mark.parametrize("raw, kind", [
    (with_check("850730033", False), "niss"),            # male, 1985
    (with_check("900517002", False), "niss"),            # female, 1990
    (with_check("050301154", True), "niss"),             # born 2005: "2" prefix rule
    (with_check("050301154", False), "niss"),            # same digits read as born 1905
    (with_check("852730033", False), "bis"),             # month + 20: sex unknown
    (with_check("854730034", False), "bis"),             # month + 40: sex known
    (with_check("064101151", True), "bis"),              # born 2006, month + 40
])
def test_valid_numbers_are_recognised_with_their_kind(raw, kind):
    assert parse_national_number(raw) == (raw, kind)
    assert national_number_kind(raw) == kind


@pytest.mark.parametrize("formatted", ["85.07.30-033.28", "85 07 30 033 28", " 85073003328 ",
                                       "850730-03328"])
def test_formatting_is_stripped_to_the_compact_form(formatted):
    assert normalise_national_number(formatted) == "85073003328"


@pytest.mark.parametrize("raw", [
    "85073003327",                                     # check digits off by one
    with_check("851330033", False),                    # month 13: neither NISS nor BIS
    with_check("856730033", False),                    # month 67: no BIS range either
    "8507300332", "850730033288", "85O73003328", "", "00000000000",
])
def test_invalid_numbers_raise_the_french_field_message(raw):
    with pytest.raises(ValidationFailed) as err:
        parse_national_number(raw)
    assert err.value.fields == {"national_number": [MESSAGE]}
    assert err.value.message == MESSAGE and err.value.message_en != MESSAGE


def test_non_string_is_invalid_not_a_crash():
    with pytest.raises(ValidationFailed):
        parse_national_number(None)


def test_format_is_the_display_form():
    assert format_national_number("85073003328") == "85.07.30-033.28"


@pytest.mark.parametrize("raw, birth, expected", [
    ("85073003328", date(1985, 7, 30), True),
    ("85073003328", date(1985, 7, 31), False),
    (with_check("854730034", False), date(1985, 7, 30), True),   # BIS encodes the date too
    (with_check("850000123", False), date(1985, 3, 4), True),   # month 00: date not encoded
])
def test_birth_date_consistency(raw, birth, expected):
    assert birth_date_matches(raw, birth) is expected
