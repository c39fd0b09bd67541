"""The page number of every paginated list: 1 to MAX_PAGE, a 422 in French beyond.

Why a cap: no backend here pages by skip cheaply (FerretDB does not push skip down), so
a page's cost grows with its number; and an unbounded integer (page=10**30) overflowed
further in (500). Past page 500, narrow the filters.
"""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from shared.web.schema import RequestSchema

MAX_PAGE = 500


def page_field() -> fields.Integer:
    # Two Range validators: one with both bounds has a half-English message.
    return fields.Integer(load_default=1,
                          validate=[validate.Range(min=1), validate.Range(max=MAX_PAGE)],
                          metadata={"description": f"1 à {MAX_PAGE} (au-delà, affiner les "
                                                   "filtres)"})


class PageArgs(RequestSchema):
    page = page_field()
    page_size = fields.Integer(load_default=50, validate=[validate.Range(min=1),
                                                          validate.Range(max=200)])


class PageOut(Schema):
    items = fields.List(fields.Dict())
    total = fields.Integer()
    page = fields.Integer()
    page_size = fields.Integer()
