"""The local multi-centre stack: infrastructure plus, per centre, each service's web and
worker processes, plus the regional reporting service.

Ports: reporting web on BASE, the dev OpenID Connect provider on BASE+5, centre i
(0-based, in the order given) on BASE+10*(i+1)+k with k = 1 intake, 2 pathway,
3 partners, 4 the staff portal. The portal and the provider have no worker process.
"""
from __future__ import annotations

import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import requests

from shared import bus
from shared.auth import DevIssuer
from shared.events import envelope
from shared.infra import secrets
from shared.infra.launcher import Infra
from shared.infra.processes import StateFile, alive, spawn, stop, wait_until
from shared.paths import ROOT

SERVICES = ("intake", "pathway", "partners")
WEB_ONLY = ("portal", "oidc")      # no worker: they own no store and consume nothing
DEFAULT_CENTRES = ("cripel", "cai")
OIDC_OFFSET, PORTAL_K = 5, 4


def demo_operators(centre: str) -> list[tuple[str, str]]:
    """The operators the demo data registers per centre (services/demo.py), whose staff
    are demo users of the dev provider."""
    return [(f"ili-{centre}", "Initiative locale d'intégration"),
            (f"eps-{centre}", "École de promotion sociale")]


@dataclass
class Stack:
    home: Path
    centres: tuple[str, ...] = DEFAULT_CENTRES
    base_port: int = 8100
    web_workers: int = 1
    web_threads: int = 8
    _endpoints: dict | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def state(self) -> StateFile:
        return StateFile(self.home / "stack" / "state.json")

    def issuer(self) -> DevIssuer:
        return DevIssuer(self.home / "dev-issuer")

    def plan(self) -> list[dict]:
        out = [{"service": "reporting", "centre": "region", "port": self.base_port},
               {"service": "oidc", "centre": "region", "port": self.base_port + OIDC_OFFSET}]
        for i, centre in enumerate(self.centres):
            for k, service in enumerate(SERVICES + ("portal",), start=1):
                out.append({"service": service, "centre": centre,
                            "port": self.base_port + 10 * (i + 1) + k})
        return out

    def port(self, service: str, centre: str) -> int:
        return next(i["port"] for i in self.plan()
                    if i["service"] == service and i["centre"] == centre)

    def _url(self, service: str, centre: str) -> str:
        return f"http://127.0.0.1:{self.port(service, centre)}"

    def oidc_files(self) -> tuple[Path, Path]:
        """The dev provider's clients (one portal per centre, its secret, its redirect
        URIs) and demo users, written for this stack's centres and ports."""
        import json
        directory = self.home / "dev-oidc"
        clients = {}
        for centre in self.centres:
            portal = self._url("portal", centre)
            clients[f"portal-{centre}"] = {
                "secret": secrets.oidc_client_secret(self.home, centre), "centre": centre,
                "redirect_uris": [f"{portal}/connexion/retour"],
                "post_logout_redirect_uris": [f"{portal}/"]}
        from shared.infra.dev_oidc import demo_users
        users = demo_users(self.centres, {c: demo_operators(c) for c in self.centres})
        clients_file, users_file = directory / "clients.json", directory / "users.json"
        secrets.write_new(clients_file, b"")     # created 0600 (it holds the secrets)
        clients_file.write_text(json.dumps(clients, indent=1))
        directory.joinpath("users.json").write_text(json.dumps(users, indent=1,
                                                               ensure_ascii=False))
        return clients_file, users_file

    def env_for(self, service: str, centre: str, endpoints: dict) -> dict:
        issuer = self.issuer()
        issuer.ensure_keys()
        if service == "oidc":
            clients_file, users_file = self.oidc_files()
            return {"CRI_SERVICE": service, "CRI_DEV_ISSUER_DIR": str(issuer.directory),
                    "CRI_DEV_OIDC_CLIENTS_FILE": str(clients_file),
                    "CRI_DEV_OIDC_USERS_FILE": str(users_file), "PYTHONUNBUFFERED": "1"}
        if service == "portal":   # no store, no broker: the services' URLs and the provider
            return {"CRI_SERVICE": service, "CRI_CENTRE": centre, "PYTHONUNBUFFERED": "1",
                    "CRI_INTAKE_URL": self._url("intake", centre),
                    "CRI_PATHWAY_URL": self._url("pathway", centre),
                    "CRI_PARTNERS_URL": self._url("partners", centre),
                    "CRI_REPORTING_URL": self._url("reporting", "region"),
                    "CRI_OIDC_URL": self._url("oidc", "region"),
                    "CRI_OIDC_CLIENT_ID": f"portal-{centre}",
                    "CRI_OIDC_CLIENT_SECRET_FILE": str(
                        secrets.oidc_client_secret_file(self.home, centre)),
                    "CRI_PORTAL_SECRET_KEY_FILE": str(
                        secrets.portal_secret_key_file(self.home, centre))}
        env = {"CRI_SERVICE": service, "CRI_CENTRE": centre,
               "KAFKA_BOOTSTRAP_SERVERS": endpoints["kafka_bootstrap_servers"],
               "MONGODB_URI": endpoints["mongodb_uri"],
               "CRI_JWT_PUBLIC_KEY_FILE": str(issuer.public_key_file),
               "PYTHONUNBUFFERED": "1"}
        if centre != "region":    # every service of a centre keeps its hash chain keyed
            env["CRI_AUDIT_KEY_FILE"] = str(secrets.audit_key_file(self.home, centre))
        if service == "intake":   # the only service that pseudonymises, encrypts, seals, signs
            for c in self.centres:  # every centre's public keys exist before anyone starts
                secrets.centre_keypair(self.home, c)
                secrets.signing_keypair(self.home, c)
            priv, pubdir = secrets.centre_keypair(self.home, centre)
            signing, signing_pubdir = secrets.signing_keypair(self.home, centre)
            env["CRI_REGIONAL_SECRET_FILE"] = str(secrets.regional_secret_file(self.home))
            env["CRI_MASTER_KEY_FILE"] = str(secrets.master_key_file(self.home, centre))
            env["CRI_CENTRE_PRIVATE_KEY_FILE"] = str(priv)
            env["CRI_CENTRE_PUBLIC_KEYS_DIR"] = str(pubdir)
            env["CRI_SIGNING_KEY_FILE"] = str(signing)
            env["CRI_SIGNING_PUBLIC_KEYS_DIR"] = str(signing_pubdir)
            env["CRI_PATHWAY_URL"] = next(  # the access export includes the pathway's part
                f"http://127.0.0.1:{i['port']}" for i in self.plan()
                if i["service"] == "pathway" and i["centre"] == centre)
        if service == "pathway":  # its own pairs: seals and signs its transfer messages
            for c in self.centres:
                secrets.centre_keypair(self.home, c, "pathway")
                secrets.signing_keypair(self.home, c, "pathway")
            priv, pubdir = secrets.centre_keypair(self.home, centre, "pathway")
            signing, signing_pubdir = secrets.signing_keypair(self.home, centre, "pathway")
            env["CRI_CENTRE_PRIVATE_KEY_FILE"] = str(priv)
            env["CRI_CENTRE_PUBLIC_KEYS_DIR"] = str(pubdir)
            env["CRI_SIGNING_KEY_FILE"] = str(signing)
            env["CRI_SIGNING_PUBLIC_KEYS_DIR"] = str(signing_pubdir)
        if service == "partners":   # its own key for the cards shared with operators
            env["CRI_MASTER_KEY_FILE"] = str(secrets.master_key_file(self.home, centre,
                                                                     "partners"))
        return env

    def up(self, infra_endpoints: dict | None = None) -> dict:
        endpoints = self._endpoints = infra_endpoints or Infra(self.home).up()
        self._create_topics(endpoints)
        st = self.state.read()
        for item in self.plan():
            for kind in ("web",) if item["service"] in WEB_ONLY else ("web", "worker"):
                key = f"{item['centre']}-{item['service']}-{kind}"
                if key in st and alive(st[key]["pid"]):
                    continue
                st[key] = self._start(item, kind, endpoints)
                self.state.write(st)
        for item in self.plan():
            url = f"http://127.0.0.1:{item['port']}/readyz"
            wait_until(lambda u=url: _ok(u), 60, url,
                       self.home / "logs" / f"{item['centre']}-{item['service']}-web.log")
        return self.urls(endpoints)

    def _create_topics(self, endpoints: dict) -> None:
        """Every centre's topics before any worker starts: a pattern subscriber (another
        centre's intake, reporting) then sees them all at its first assignment, instead
        of rebalancing when each appears while the stack starts."""
        names = [envelope.REGION_TRANSFERS, envelope.dlq(envelope.REGION_TRANSFERS),
                 envelope.REGION_ANCHORS]
        for centre in self.centres:
            for service in SERVICES:
                names += [envelope.topic(centre, service),
                          envelope.dlq(envelope.topic(centre, service))]
        bus.ensure_topics(endpoints["kafka_bootstrap_servers"], names)

    def _start(self, item: dict, kind: str, endpoints: dict) -> dict:
        env = self.env_for(item["service"], item["centre"], endpoints)
        env["CRI_PUBLIC_BASE_URL"] = f"http://127.0.0.1:{item['port']}"
        argv = self._web_argv(item) if kind == "web" else \
            [sys.executable, "-m", f"services.{item['service']}.worker"]
        key = f"{item['centre']}-{item['service']}-{kind}"
        pid = spawn(argv, self.home / "logs" / f"{key}.log", env=env, cwd=ROOT)
        return {"pid": pid, **item, "kind": kind}

    def revive(self) -> list[str]:
        """Start again every process of this stack that died (a worker exits non-zero
        when one of its threads dies). Called every second by `cri up` and the tests."""
        with self._lock:
            return self._revive()

    def _revive(self) -> list[str]:
        st = self.state.read()
        restarted = []
        for key, entry in st.items():
            if not alive(entry["pid"]):
                item = {k: entry[k] for k in ("service", "centre", "port")}
                st[key] = self._start(item, entry["kind"], self._endpoints)
                restarted.append(key)
        if restarted:
            self.state.write(st)
        return restarted

    def supervise(self, stop) -> None:
        """Revive dead processes until `stop` (a threading.Event) is set."""
        while not stop.wait(1.0):
            for key in self.revive():
                print(f"[stack] {key} had stopped: restarted", file=sys.stderr, flush=True)

    def _web_argv(self, item: dict) -> list[str]:
        return [sys.executable, "-m", "gunicorn", "--workers", str(self.web_workers),
                "--threads", str(self.web_threads), "--bind", f"127.0.0.1:{item['port']}",
                "--config", "python:shared.web.gunicorn_conf", "--graceful-timeout", "20",
                "--no-control-socket",  # one shared default path would clash between stacks
                _app_path(item["service"])]

    def urls(self, endpoints: dict) -> dict:
        centres: dict[str, dict] = {}
        for item in self.plan():
            if item["centre"] != "region":
                centres.setdefault(item["centre"], {})[item["service"]] = \
                    f"http://127.0.0.1:{item['port']}"
        return {**endpoints, "reporting": f"http://127.0.0.1:{self.base_port}",
                "dashboard": f"http://127.0.0.1:{self.base_port}/tableau-de-bord",
                "oidc": self._url("oidc", "region"),
                "portals": {c: self._url("portal", c) for c in self.centres},
                "centres": centres}

    def down(self) -> list[str]:
        with self._lock:
            return self._down()

    def _down(self) -> list[str]:
        st = self.state.read()
        for entry in st.values():
            stop(entry["pid"])
        self.state.write({})
        return sorted(st)

    def status(self) -> dict:
        return {k: {**v, "running": alive(v["pid"])} for k, v in self.state.read().items()}


def _app_path(service: str) -> str:
    if service == "oidc":
        return "shared.infra.dev_oidc:create_app()"
    return f"services.{service}.app:create_app()"


def _ok(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False
