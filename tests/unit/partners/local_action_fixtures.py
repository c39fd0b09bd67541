"""Shared set-up of the local-action unit tests: a centre with two operators."""
from __future__ import annotations

import base64
from datetime import date

from shared.auth import Principal
from shared.config import Config
from shared.store.memory import memory_database

from services.partners.bootstrap import bootstrap
from services.partners.service_layer import operators

TODAY = date(2026, 11, 29)
CENTRE = "cripel"


def staff(role: str, operator_id: str | None = None) -> Principal:
    return Principal(subject=f"{role}-1", roles=frozenset({role}), centre=CENTRE,
                     operator_id=operator_id)


COORD = staff("coordination")
FLE = staff("partenaire", "fle-liege")
OTHER = staff("partenaire", "cpas-herstal")


def make_svc():
    config = Config(service="partners", centre=CENTRE, kafka_bootstrap_servers="unused:1",
                    mongodb_uri="mongodb://unused:1", mongodb_db="unused",
                    master_key=base64.b64encode(b"k" * 32).decode())
    svc = bootstrap(config, db=memory_database(), today=lambda: TODAY)
    for op in ("fle-liege", "cpas-herstal"):
        operators.register_operator(svc, COORD, {
            "operator_id": op, "name": f"Opérateur {op}", "type": "ili", "bce": None,
            "approval": "approved", "communes": ["62063"],
            "personal": {"contacts": [], "staff": []}})
    return svc
