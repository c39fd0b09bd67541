"""Response schemas of intake's API (documentation and the exact shape returned)."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields as f


class IdentityOut(ma.Schema):
    last_name = f.String()
    first_names = f.String()
    birth_date = f.String()
    sex = f.String()
    nationality = f.String()
    nationality_name = f.String(allow_none=True)
    national_number = f.String(allow_none=True)
    national_number_kind = f.String(allow_none=True)
    languages = f.List(f.String())
    interpreter_needed = f.Boolean()


class EligibilityOut(ma.Schema):
    status = f.String(allow_none=True)
    status_label = f.String(allow_none=True)
    computed_status = f.String(allow_none=True)
    overridden = f.Boolean()
    rule_version = f.String(allow_none=True)
    deadline = f.String(allow_none=True)
    reasons = f.List(f.String())
    reason_codes = f.List(f.String())
    dispense_grounds = f.List(f.String())
    wants_voluntary = f.Boolean()
    history = f.List(f.Dict())


class PersonFileOut(ma.Schema):
    person_id = f.String()
    centre = f.String()
    version = f.Integer()
    registered_on = f.String(allow_none=True)
    received_from = f.String(allow_none=True)
    pseudonym_strength = f.String()
    identity = f.Nested(IdentityOut)
    contact = f.Dict()
    address = f.Dict()
    residence = f.Dict()
    notes = f.String(allow_none=True)
    eligibility = f.Nested(EligibilityOut, allow_none=True)
    dispenses = f.List(f.Dict())
    bilan_social = f.Dict(allow_none=True)
    french_level = f.String(allow_none=True)
    consents = f.List(f.Dict())


class RegisteredOut(PersonFileOut):
    also_followed_in = f.List(f.String(), metadata={
        "description": "Autres centres qui suivent déjà cette personne (jamais leurs données)"})


class MovedOut(PersonFileOut):
    moved_to_centre = f.String(allow_none=True)
    left_territory = f.Boolean()


class ListItemOut(ma.Schema):
    person_id = f.String()
    last_name = f.String()
    first_names = f.String()
    birth_date = f.String()
    sex = f.String()
    nationality = f.String()
    status = f.String(allow_none=True)
    commune_nis = f.String()
    registered_on = f.String()
    version = f.Integer()


class PageOut(ma.Schema):
    items = f.List(f.Nested(ListItemOut))
    total = f.Integer()
    page = f.Integer()
    page_size = f.Integer()


class DuplicateOut(ma.Schema):
    pseudonym_strength = f.String()
    followed_in = f.List(f.String())
    in_this_centre = f.List(f.String())


class AccessEntryOut(ma.Schema):
    read_by = f.String()
    roles = f.List(f.String())
    purpose = f.String()
    what = f.String()
    read_at = f.String()


class AccessLogOut(ma.Schema):
    person_id = f.String()
    items = f.List(f.Nested(AccessEntryOut))


class ErasedOut(ma.Schema):
    person_id = f.String()
    erased = f.Boolean()
    version = f.Integer()
