"""Marshmallow schemas of intake's HTTP API (the OpenAPI document falls out of them).

Messages are marshmallow's defaults (translated to French by the shared problem
handler) or French where we write our own. Business rules (check digits, territory,
dates) are the domain's, and answer with the same problem+json shape.
"""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields as f, validate as v

from services.intake.domain.access import PURPOSES
from services.intake.domain.commands import CEFR_LEVELS, SEXES
from services.intake.domain.eligibility import STATUSES
from shared.web.paging import page_field
from shared.web.schema import (RequestSchema, birth_date as birth_date_field, name, past_date,
                               visible)

HOMONYM_MESSAGE = ("A justification is required to confirm a homonym (how the agent knows "
                   "this is another person).")
_TEXT = v.Length(min=1, max=200)
_PHONE = v.Regexp(r"^\+?[0-9][0-9 ./()-]{5,24}$", error="Numéro de téléphone invalide.")
_NIS = v.Regexp(r"^\d{5}$", error="Code INS de commune à 5 chiffres attendu.")


def text(required: bool = False, **kw) -> f.String:
    if required:
        return f.String(required=True, validate=_TEXT, **kw)
    return f.String(load_default=None, allow_none=True, validate=v.Length(max=2000), **kw)


class AddressIn(RequestSchema):
    street = text(True, metadata={"description": "Rue"})
    house_number = f.String(required=True, validate=v.Length(min=1, max=20))
    box = f.String(load_default=None, allow_none=True, validate=v.Length(max=20))
    postal_code = f.String(required=True, validate=v.Regexp(r"^\d{4}$",
                                                            error="Code postal à 4 chiffres."))


class DispenseIn(RequestSchema):
    ground = f.String(required=True, metadata={"description": "Motif (voir /reference)"})
    evidence_ref = text(True, metadata={"description": "Référence de la pièce justificative"})


class RegisterIn(RequestSchema):
    last_name = name(metadata={"description": "Nom"})
    first_names = name(metadata={"description": "Prénoms"})
    birth_date = birth_date_field(required=True,
                                  metadata={"description": "de 1900 à aujourd'hui"})
    sex = f.String(required=True, validate=v.OneOf(SEXES))
    nationality = f.String(required=True, validate=v.Length(max=3),
                           metadata={"description": "ISO 3166-1 alpha-2"})
    national_number = f.String(load_default=None, allow_none=True,
                               validate=[v.Length(max=20), visible],
                               metadata={"description": "NISS ou numéro BIS"})
    languages = f.List(f.String(validate=v.Length(min=1, max=50)), load_default=list,
                       validate=v.Length(max=10))
    interpreter_needed = f.Boolean(load_default=False)
    commune_nis = f.String(required=True, validate=_NIS)
    address = f.Nested(AddressIn, load_default=None, allow_none=True)
    permit_type = f.String(required=True, validate=v.Length(max=50))
    permit_order_date = past_date(load_default=None, allow_none=True)
    arrival_date = past_date(load_default=None, allow_none=True)
    phone = f.String(load_default=None, allow_none=True, validate=_PHONE)
    email = f.Email(load_default=None, allow_none=True)
    notes = text()
    wants_voluntary = f.Boolean(load_default=False)
    dispenses = f.List(f.Nested(DispenseIn), load_default=list, validate=v.Length(max=10))
    homonym_confirmed = f.Boolean(load_default=False, metadata={"description": (
        "vrai si l'agent a vérifié qu'il s'agit d'une autre personne que le dossier "
        "existant de même nom, date de naissance et nationalité (409 sinon)")})
    homonym_justification = f.String(load_default=None, allow_none=True,
                                     validate=v.Length(min=10, max=1000),
                                     metadata={"description": "requise avec homonym_confirmed"})

    @ma.validates_schema
    def _homonym(self, data, **kwargs):
        if data.get("homonym_confirmed") and not data.get("homonym_justification"):
            raise ma.ValidationError(HOMONYM_MESSAGE, "homonym_justification")


class AssessIn(RequestSchema):
    wants_voluntary = f.Boolean(required=True)


class OverrideIn(RequestSchema):
    final_status = f.String(required=True, validate=v.OneOf(STATUSES))
    justification = f.String(required=True, validate=v.Length(min=1, max=4000))


class ThemeIn(RequestSchema):
    need = f.Boolean(required=True)
    notes = f.String(load_default="", validate=v.Length(max=4000))


class BilanIn(RequestSchema):
    needs = f.Dict(keys=f.String(), values=f.Nested(ThemeIn), required=True)
    notes = f.String(load_default="", validate=v.Length(max=8000))


class FrenchTestIn(RequestSchema):
    level = f.String(required=True, validate=v.OneOf(CEFR_LEVELS))
    test_date = past_date(required=True)
    tester = name()
    notes = f.String(load_default="", validate=v.Length(max=4000))


class ConsentIn(RequestSchema):
    purpose = f.String(required=True)
    recipients = f.List(f.String(), required=True, validate=v.Length(min=1))
    given = f.Boolean(required=True)
    evidence_ref = text()


class MoveIn(RequestSchema):
    commune_nis = f.String(required=True, validate=_NIS)
    address = f.Nested(AddressIn, load_default=None, allow_none=True)


class ErasureIn(RequestSchema):
    reason = f.String(required=True)


class PurposeArgs(RequestSchema):
    purpose = f.String(load_default=None, validate=v.OneOf(sorted(PURPOSES)),
                       metadata={"description": "Finalité de la consultation (journalisée)"})


_NOT_IN_URL = "Jamais de nom dans l'URL : rechercher par POST /api/v1/persons/search."


def _refused(_value) -> None:
    raise ma.ValidationError(_NOT_IN_URL)


class ListArgs(PurposeArgs):
    """The list's query string: filters without personal data (a name never in a URL)."""
    q = f.Raw(load_default=None, load_only=True, validate=_refused,
              metadata={"description": "Refusé (422) : la recherche par nom est un POST"})
    status = f.String(load_default=None, validate=v.OneOf(STATUSES))
    commune = f.String(load_default=None, validate=_NIS)
    page = page_field()
    page_size = f.Integer(load_default=20, validate=v.Range(min=1, max=100))


class SearchIn(ListArgs):
    """POST /persons/search body: the name part travels in the body, never in a URL."""
    q = f.String(load_default=None, validate=[v.Length(min=2, max=100), visible],
                 metadata={"description": "Partie du nom (sans accents ni casse)"})


class DuplicateIn(RequestSchema):
    """POST /duplicates/lookup body (a national number never in a URL)."""
    national_number = f.String(load_default=None, validate=[v.Length(max=20), visible])
    last_name = name(required=False)
    first_names = name(required=False)
    birth_date = birth_date_field(load_default=None)
    nationality = f.String(load_default=None, validate=v.Length(max=3))


class RefArgs(RequestSchema):
    q = f.String(load_default=None, validate=v.Length(max=100))
