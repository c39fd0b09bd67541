"""What every partners endpoint does first: who calls (the centre's coordination or
reception, or an operator's staff: `service_layer.access` decides what each may touch),
the way to the service's wiring, and one page of a list."""
from __future__ import annotations

from typing import Any

from shared.auth import Principal
from shared.web.app import caller

from shared import wiring
from services.partners.bootstrap import PartnersServices
from services.partners.service_layer.access import READERS


def svc() -> PartnersServices:
    """The services of the app serving this request (see `shared.wiring`)."""
    return wiring.current()


def who() -> Principal:
    return caller(*READERS)


def writer() -> Principal:
    return caller("partenaire", "coordination")


def page(items: list[dict[str, Any]], args: dict[str, Any]) -> dict[str, Any]:
    start = (args["page"] - 1) * args["page_size"]
    return {"items": items[start:start + args["page_size"]], "total": len(items),
            "page": args["page"], "page_size": args["page_size"]}


def strip(doc: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if doc is None else {k: v for k, v in doc.items() if k not in ("_id",)}
