"""The base of every request schema, and the fields that recur: names, ids, dates.

`RequestSchema` bounds what a field did not bound itself, when the schema is bound (so
the OpenAPI document shows the limits too): every string at most `MAX_TEXT`
characters, every list and mapping at most `MAX_ITEMS` entries, every date between
1900 and 2100 (a year 9999 overflowed date arithmetic further in). Names and ids also
refuse control characters, NUL and bidirectional overrides (a name that displays
differently from what it stores). Messages are written in English, like marshmallow's,
and translated to French by `shared.web.i18n` (English with `Accept-Language: en`).
"""
from __future__ import annotations

import re
from datetime import date

import marshmallow as ma
from marshmallow import ValidationError, fields as f, validate as v

from shared import clock
from shared.errors import ValidationFailed
from shared.web.i18n import translate

MAX_TEXT = 2000
MAX_ITEMS = 50
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2100, 12, 31)
# C0 and C1 controls, NUL, bidi embeddings/overrides (U+202A-E) and isolates (U+2066-9)
INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
RECORD_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")

INVISIBLE_MESSAGE = "Forbidden character (control character, NUL or bidirectional override)."
PERSON_ID_MESSAGE = "Not a valid person id (a UUID is expected)."
RECORD_ID_MESSAGE = ("Not a valid identifier (letters, digits and . _ : - only, "
                     "100 characters at most).")


def visible(value: str) -> None:
    if INVISIBLE.search(value):
        raise ValidationError(INVISIBLE_MESSAGE)


class DateBetween(v.Validator):
    """A plausible date: from `first` to today + `days_ahead` (Brussels), or `last`."""

    def __init__(self, first: date = FIRST_DAY, days_ahead: int | None = None,
                 last: date = LAST_DAY):
        self.first, self.days_ahead, self.last = first, days_ahead, last

    def __call__(self, value: date) -> date:
        last = self.last if self.days_ahead is None else \
            date.fromordinal(clock.today().toordinal() + self.days_ahead)
        if not self.first <= value <= last:
            future = " (not in the future)" if self.days_ahead is not None else ""
            raise ValidationError(f"Date out of range: from {self.first.isoformat()} "
                                  f"to {last.isoformat()}{future}.")
        return value


def _has(field: f.Field, kind: type) -> bool:
    return any(isinstance(x, kind) and (kind is not v.Length or x.max is not None
                                        or x.equal is not None)
               for x in field.validators)


def bound(field: f.Field) -> None:
    """Add the default limits to a field that has none of its own (recursively)."""
    if isinstance(field, f.String) and not _has(field, v.Length):
        field.validators.append(v.Length(max=MAX_TEXT))
    elif isinstance(field, (f.List, f.Dict)) and not _has(field, v.Length):
        field.validators.append(v.Length(max=MAX_ITEMS))
    elif isinstance(field, f.Date) and not _has(field, DateBetween):
        field.validators.append(DateBetween())
    for inner in (getattr(field, "inner", None), getattr(field, "key_field", None),
                  getattr(field, "value_field", None)):
        if isinstance(inner, f.Field):
            bound(inner)


class RequestSchema(ma.Schema):
    """Base of every request body and query schema (see the module docstring)."""

    def on_bind_field(self, field_name: str, field_obj: f.Field) -> None:
        bound(field_obj)


def name(required: bool = True, max_length: int = 200, **kw) -> f.String:
    """A person's name (or any short label shown as typed): visible characters only."""
    validate = [v.Length(min=1 if required else 0, max=max_length), visible]
    if required:
        return f.String(required=True, validate=validate, **kw)
    return f.String(load_default=None, allow_none=True, validate=validate, **kw)


def person_id(**kw) -> f.String:
    """A person id: the random UUID intake gave the file (lower case)."""
    return f.String(validate=v.Regexp(UUID, error=PERSON_ID_MESSAGE),
                    metadata={"description": "UUID de la personne",
                              "format": "uuid"}, **kw)


def record_id(**kw) -> f.String:
    """An id chosen by a client (an operator's report number): a safe, short token."""
    return f.String(validate=v.Regexp(RECORD_ID, error=RECORD_ID_MESSAGE), **kw)


def birth_date(**kw) -> f.Date:
    return f.Date(validate=DateBetween(FIRST_DAY, days_ahead=0), **kw)


def past_date(**kw) -> f.Date:
    """A date that has happened (tomorrow allowed: clocks and time zones differ)."""
    return f.Date(validate=DateBetween(FIRST_DAY, days_ahead=1), **kw)


def check_path_id(name_: str, value) -> None:
    """Path arguments: a person id is a UUID; any other id a safe token (422 otherwise,
    before anything is loaded: `../../etc/passwd` never reaches a query)."""
    if not isinstance(value, str):
        return
    pattern, message = (UUID, PERSON_ID_MESSAGE) if name_ == "person_id" else \
        (RECORD_ID, RECORD_ID_MESSAGE)
    if not pattern.match(value):
        raise ValidationFailed("certains champs sont invalides ; voir « errors »",
                               message_en="some fields are invalid; see errors",
                               fields={name_: [translate(message)]},
                               extra={"fields_en": {name_: [message]}})
