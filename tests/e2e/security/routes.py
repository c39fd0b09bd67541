"""Every route of a centre service, read from its Flask url_map (a new route is covered
without editing a list), with the path arguments filled in."""
from __future__ import annotations

import importlib
import uuid
from dataclasses import dataclass

from shared.config import Config
from shared.store.memory import memory_database
from shared.web.door import is_public

CENTRE_SERVICES = ("intake", "pathway", "partners")


@dataclass(frozen=True)
class Route:
    service: str
    method: str
    rule: str
    public: bool

    def path(self, values: dict[str, str]) -> str:
        out = self.rule
        for part in self.rule.split("<")[1:]:
            spec = part.split(">")[0]
            name = spec.split(":")[-1]
            out = out.replace(f"<{spec}>", values.get(name, str(uuid.uuid4())))
        return out

    def __str__(self) -> str:
        return f"{self.service} {self.method} {self.rule}"


def routes() -> list[Route]:
    out = []
    for service in CENTRE_SERVICES:
        boot = importlib.import_module(f"services.{service}.bootstrap")
        web = importlib.import_module(f"services.{service}.app")
        config = Config(service=service, centre="cripel", kafka_bootstrap_servers="unused:1",
                        mongodb_uri="mongodb://unused:1", mongodb_db="unused")
        app = web.create_app(boot.bootstrap(config, db=memory_database()))
        for rule in app.url_map.iter_rules():
            blueprint = rule.endpoint.rpartition(".")[0] or None
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                out.append(Route(service, method, rule.rule,
                                 is_public(app, rule.endpoint, blueprint)))
    return out
