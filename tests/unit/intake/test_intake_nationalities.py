"""ISO 3166-1 nationalities and the EU+ / standstill groups."""
import pytest

from services.intake.domain.nationalities import (EU_27, EU_PLUS, has_standstill_clause,
                                                  is_belgian, is_eu_plus, nationality_name,
                                                  normalise_nationality)
from shared.errors import ValidationFailed


def test_groups_have_the_expected_sizes():
    assert len(EU_27) == 27
    assert len(EU_PLUS) == 31          # + Iceland, Liechtenstein, Norway, Switzerland


@pytest.mark.parametrize("code, expected", [
    ("FR", True), ("ro", True), ("HR", True), ("IS", True), ("LI", True), ("NO", True),
    ("CH", True), ("BE", True),
    ("GB", False), ("TR", False), ("MA", False), ("SY", False), ("UA", False), ("XK", False),
])
def test_eu_plus_membership(code, expected):
    assert is_eu_plus(code) is expected


def test_belgium_and_standstill():
    assert is_belgian("be") and not is_belgian("FR")
    assert has_standstill_clause("TR") and not has_standstill_clause("MA")


@pytest.mark.parametrize("code, name", [
    ("DE", "Allemagne"), ("SY", "Syrie"), ("RU", "Russie"), ("TR", "Turquie"),
    ("CD", "République démocratique du Congo"), ("XK", "Kosovo"), ("ma", "Maroc"),
])
def test_french_names(code, name):
    assert nationality_name(code) == name


@pytest.mark.parametrize("code", [" sy ", "sy", "SY"])
def test_normalisation(code):
    assert normalise_nationality(code) == "SY"


@pytest.mark.parametrize("code", ["ZZ", "SYR", "", "S", None, "12"])
def test_unknown_codes_are_field_errors(code):
    with pytest.raises(ValidationFailed) as err:
        normalise_nationality(code)
    assert list(err.value.fields) == ["nationality"]
