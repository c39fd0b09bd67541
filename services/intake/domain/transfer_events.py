"""Event schemas of transfers between centres (« transfert de dossier »), version 1.

- `intake.PersonFileHandedOver` (sender, routed to cri.region.transfers): the whole file
  sealed for the receiving centre; only ids and centre codes in clear.
- `intake.PersonTransferredOut` (sender): the file left; this centre keeps a forwarding
  record and answers « dossier transféré » from then on.
- `intake.PersonTransferredIn` (receiver): the file as received; public facts at top
  level, everything personal under "personal" (encrypted at rest, never published).
"""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from .eligibility import STATUSES
from .territory import CENTRES

_CENTRE = validate.OneOf(sorted(CENTRES))
_TRANSFER_ID = validate.Length(min=1, max=100)    # the pathway's transfer id, as given


class PersonFileHandedOverV1(ma.Schema):
    transfer_id = fields.String(required=True, validate=_TRANSFER_ID)
    person_id = fields.UUID(required=True)
    from_centre = fields.String(required=True, validate=_CENTRE)
    to_centre = fields.String(required=True, validate=_CENTRE)
    sealed = fields.String(required=True)     # base64 of shared.sealed.seal(...)
    # base64 Ed25519 signature by the sending centre (shared.signing, BUNDLE_SIGNATURE);
    # absent only on bundles sent before signing existed, which receivers refuse.
    signature = fields.String(load_default=None, allow_none=True)


class PersonTransferredOutV1(ma.Schema):
    person_id = fields.UUID(required=True)
    pseudonym = fields.String(required=True)
    pseudonym_strength = fields.String(required=True)
    centre = fields.String(required=True, validate=_CENTRE)
    transfer_id = fields.String(required=True, validate=_TRANSFER_ID)
    to_centre = fields.String(required=True, validate=_CENTRE)
    transferred_on = fields.Date(required=True)
    personal = fields.Constant(None)


class TransferredPersonal(ma.Schema):
    identity = fields.Dict(required=True)             # the registration's personal part
    bilan_social = fields.Dict(allow_none=True, load_default=None)
    dispense_evidence = fields.Dict(keys=fields.String(), values=fields.String(allow_none=True),
                                    load_default=dict)
    justifications = fields.List(fields.String(allow_none=True), load_default=list)
    history = fields.List(fields.Dict(), load_default=list)


class PersonTransferredInV1(ma.Schema):
    person_id = fields.UUID(required=True)
    pseudonym = fields.String(required=True)
    pseudonym_strength = fields.String(required=True)
    centre = fields.String(required=True, validate=_CENTRE)
    age_band = fields.String(required=True)
    sex = fields.String(required=True)
    nationality = fields.String(required=True)
    commune_nis = fields.String(required=True)
    transfer_id = fields.String(required=True, validate=_TRANSFER_ID)
    from_centre = fields.String(required=True, validate=_CENTRE)
    received_on = fields.Date(required=True)
    registered_on = fields.Date(required=True)
    final_status = fields.String(allow_none=True, load_default=None,
                                 validate=validate.OneOf(STATUSES))
    wants_voluntary = fields.Boolean(load_default=False)
    needs_osp = fields.Boolean(allow_none=True, load_default=None)
    french_level = fields.String(allow_none=True, load_default=None)
    dispense_grounds = fields.List(fields.String(), load_default=list)
    consents = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                           load_default=dict)
    eligibility = fields.Dict(allow_none=True, load_default=None)
    eligibility_history = fields.List(fields.Dict(), load_default=list)
    personal = fields.Nested(TransferredPersonal, allow_none=True, load_default=None)


TRANSFER_EVENT_SCHEMAS: dict[str, type[ma.Schema]] = {
    "intake.PersonFileHandedOver": PersonFileHandedOverV1,
    "intake.PersonTransferredOut": PersonTransferredOutV1,
    "intake.PersonTransferredIn": PersonTransferredInV1,
}
