"""What the partners' screens share (coordination's offers, an operator's own screens):
lists paged and filtered through the partners API, the French labels of its codes, and
checked path parameters. No blueprint here: nothing is registered from this module."""
from __future__ import annotations

import re
import uuid
from urllib.parse import urlencode

from flask import abort, request

from services.partners.domain import vocab
from services.portal.adapters.services import ApiProblem
from services.portal.views.common import get, page_number, pages

PAGE_SIZE = 20
API_MAX_PAGE = 500          # the services' own cap (shared.web.paging)
RECORD_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")

LABELS = {"referral_status": vocab.REFERRAL_STATUS, "offer_kinds": vocab.OFFER_KINDS,
          "offer_status": vocab.OFFER_STATUS, "operator_types": vocab.OPERATOR_TYPES,
          "approval": vocab.APPROVAL, "subjects": vocab.SUBJECTS,
          "quota_kinds": vocab.QUOTA_KINDS, "decline_reasons": vocab.DECLINE_REASONS,
          "drop_reasons": vocab.DROP_REASONS, "cancel_reasons": vocab.CANCEL_REASONS,
          "absence_reasons": vocab.ABSENCE_REASONS, "purposes": vocab.PURPOSES}


def choices(name: str) -> list[tuple[str, str]]:
    return list(LABELS[name].items())


def record_id(value: str) -> str:
    """An operator, offer or referral id from the path, checked before any call (404)."""
    if not RECORD_ID.match(value or ""):
        abort(404)
    return value


def person_id_or_none(value: str | None) -> str | None:
    try:
        return str(uuid.UUID(value)) if value else None
    except ValueError:
        return None


def filters(allowed: dict[str, tuple[str, str]]) -> tuple[dict[str, str], dict[str, str]]:
    """The list's filters from the query string, `allowed` = {form name: (API name,
    check)}, check being a choice list of LABELS or "id" (a record id); anything else is
    dropped. -> (the form's values, the API's parameters)."""
    values, params = {}, {}
    for form_name, (api_name, check) in allowed.items():
        raw = (request.args.get(form_name) or "").strip()
        if not raw:
            continue
        if (check == "id" and RECORD_ID.match(raw)) or (check in LABELS and
                                                         raw in LABELS[check]):
            values[form_name], params[api_name] = raw, raw
    return values, params


def listing(service: str, path: str, params: dict | None = None,
            page_size: int = PAGE_SIZE) -> dict:
    """One page of a list: {items, page, pages, total}. A page past the service's cap is
    a 400 page (never a 500), like a non-numeric one."""
    page = page_number()
    if page > API_MAX_PAGE:
        abort(400, f"Numéro de page invalide : au-delà de la page {API_MAX_PAGE}, "
                   "affinez les filtres.")
    query = {k: v for k, v in (params or {}).items() if v not in (None, "")}
    query.update(page=page, page_size=page_size)
    try:
        body = get(service, f"{path}?{urlencode(query)}")
    except ApiProblem as exc:
        if exc.status in (400, 422) and exc.field("page"):
            abort(400, exc.field("page"))
        raise
    return {"items": body["items"], **pages(body)}


def free_seats(offer: dict) -> int:
    if "free" in offer:
        return offer["free"]
    return max(0, int(offer.get("capacity") or 0) - int(offer.get("taken") or 0))
