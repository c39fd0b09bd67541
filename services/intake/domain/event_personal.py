"""Schemas of the "personal" part of intake events (« données personnelles »).

This part holds everything that identifies or describes the person in detail: names,
birth date, national number, address, contact, free-text notes, bilan details,
evidence references, tester name. The infrastructure encrypts it with the person's
data key and never publishes it; after erasure it cannot be decrypted any more.
"""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from .commands import BILAN_THEMES
from .dispenses import DISPENSE_GROUNDS
from .permits import PERMIT_TYPES


def optional_text(**kw) -> fields.String:
    return fields.String(allow_none=True, load_default=None, **kw)


class AddressSchema(ma.Schema):
    street = fields.String(required=True)
    house_number = fields.String(required=True)
    box = optional_text()
    postal_code = fields.String(required=True, validate=validate.Regexp(r"^\d{4}$"))


class HomonymSchema(ma.Schema):
    """The agent confirmed a different person from these files of the centre."""
    of = fields.List(fields.String(), required=True)
    justification = fields.String(required=True)


class RegisteredPersonal(ma.Schema):
    last_name = fields.String(required=True)
    first_names = fields.String(required=True)
    birth_date = fields.Date(required=True)
    national_number = optional_text(validate=validate.Regexp(r"^\d{11}$"))
    national_number_kind = optional_text(validate=validate.OneOf(["niss", "bis"]))
    address = fields.Nested(AddressSchema, allow_none=True, load_default=None)
    phone = optional_text()
    email = optional_text()
    notes = optional_text()
    permit_type = fields.String(required=True, validate=validate.OneOf(sorted(PERMIT_TYPES)))
    permit_order_date = fields.Date(allow_none=True, load_default=None)
    arrival_date = fields.Date(allow_none=True, load_default=None)
    languages = fields.List(fields.String(), load_default=list)
    interpreter_needed = fields.Boolean(load_default=False)
    homonym = fields.Nested(HomonymSchema, allow_none=True, load_default=None)


class EvidenceSchema(ma.Schema):
    code = fields.String(required=True, validate=validate.OneOf(sorted(DISPENSE_GROUNDS)))
    evidence_ref = fields.String(required=True)


class DecidedPersonal(ma.Schema):
    dispense_evidence = fields.List(fields.Nested(EvidenceSchema), load_default=list)


class DecidedPersonalV2(DecidedPersonal):
    """v2: the precise grounds and reasons (art. 9 codes included) live here only."""
    dispense_grounds = fields.List(fields.String(), load_default=list)
    reason_codes = fields.List(fields.String(), load_default=list)
    reasons = fields.List(fields.String(), load_default=list)


class OverriddenPersonal(ma.Schema):
    justification = fields.String(required=True, validate=validate.Length(min=1))


class OverriddenPersonalV2(OverriddenPersonal):
    overridden_by = fields.String(load_default=None, allow_none=True)   # a staff id


class DispensePersonal(ma.Schema):
    evidence_ref = fields.String(required=True, validate=validate.Length(min=1))


class DispensePersonalV2(DispensePersonal):
    ground = fields.String(load_default=None, allow_none=True)   # the precise code


class StaffPersonal(ma.Schema):
    read_by = fields.String(load_default=None, allow_none=True)   # a staff id


class ThemeSchema(ma.Schema):
    need = fields.Boolean(required=True)
    notes = fields.String(load_default="")


class BilanPersonal(ma.Schema):
    needs = fields.Dict(keys=fields.String(validate=validate.OneOf(sorted(BILAN_THEMES))),
                        values=fields.Nested(ThemeSchema), required=True)
    notes = fields.String(load_default="")


class FrenchTestPersonal(ma.Schema):
    tester = fields.String(required=True)
    notes = fields.String(load_default="")


class ConsentPersonal(ma.Schema):
    evidence_ref = optional_text()


class AddressPersonal(ma.Schema):
    address = fields.Nested(AddressSchema, allow_none=True, load_default=None)
