"""Access rules and response helpers shared by the pathway's blueprints.

Every call is for this centre's records only (403 for another centre's token);
`accueil` and `coordination` read, only `coordination` writes.
"""
from __future__ import annotations

from shared.auth import Principal
from shared.web.app import caller, with_etag

from shared import wiring
from services.pathway.bootstrap import PathwayServices
from services.pathway.service_layer.views import pathway_view

READERS = ("accueil", "coordination")
WRITERS = ("coordination",)


def svc() -> PathwayServices:
    return wiring.current()


def reader() -> Principal:
    return caller(*READERS)


def writer() -> Principal:
    return caller(*WRITERS)


def pathway_response(loaded, person_id: str, status: int = 200):
    s = svc()
    return with_etag(pathway_view(person_id, loaded.state, loaded.version, s.today()),
                     loaded.version, status)
