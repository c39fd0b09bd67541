"""Portal pages against the API calls they wrap, with 10,000 people in the centre.

The centre's intake and pathway web processes run under gunicorn (as in the stack) on
FerretDB/PostgreSQL: intake with N people registered through its API, pathway with N
pathways in its read model (the population of bench_pathway). The portal renders in this
process (Flask test client, a signed-in session): its server-side render time includes
its calls to the services over HTTP. The baseline is those same calls — recorded while
the page renders — made directly with requests, in the same rounds (alternating).
Printed per page: p50 and p95 of the page and of its calls, and the p95 ratio.

Run from the repo root: python bench/bench_portal.py [--people 10000] [--rounds 60]
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import requests  # noqa: E402

from bench.common import infrastructure, median, percentile  # noqa: E402
from shared.config import Config  # noqa: E402
from shared.infra.processes import spawn, stop, wait_until  # noqa: E402
from shared.infra.stack import Stack  # noqa: E402
from shared.paths import ROOT, var_dir  # noqa: E402

CENTRE = "cripel"
TODAY = date(2026, 6, 10)


def _free_block() -> int:
    import socket
    for base in range(24200, 32000, 50):
        try:
            for p in range(base, base + 40):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", p))
        except OSError:
            continue
        return base
    raise RuntimeError("no free port block")


def _ok(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def start(stack: Stack, endpoints: dict, service: str) -> tuple[str, int]:
    item = next(i for i in stack.plan() if i["service"] == service and i["centre"] == CENTRE)
    env = {**stack.env_for(service, CENTRE, endpoints),
           "CRI_PUBLIC_BASE_URL": f"http://127.0.0.1:{item['port']}"}
    log = var_dir() / "logs" / f"bench-portal-{service}.log"
    pid = spawn(stack._web_argv(item), log, env=env, cwd=ROOT)
    url = f"http://127.0.0.1:{item['port']}"
    wait_until(lambda: _ok(f"{url}/readyz"), 90, f"{service} web", log)
    return url, pid


def fill_pathways(endpoints: dict, count: int) -> None:
    from services.pathway.bootstrap import bootstrap
    from tests.unit.pathway.builders import population
    cfg = Config(service="pathway", centre=CENTRE, kafka_bootstrap_servers="unused:9092",
                 mongodb_uri=endpoints["mongodb_uri"], mongodb_db=f"cri_{CENTRE}_pathway")
    rm = bootstrap(cfg, today=lambda: TODAY).read_model
    rm.counting = False
    for person, state in population(count, seed=count):
        rm.project_pathway(person, state, 1)
    rm.counting = True
    rm.recount()


def register_people(intake: str, token: str, count: int) -> list[str]:
    from services.demo import person
    rng = random.Random(7)
    bodies = []
    for i in range(count):
        body = person(rng, CENTRE, i)
        body["last_name"] = f"{body['last_name']}-{i}"     # no homonym 409s at this size
        bodies.append(body)
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"

    def one(body):
        r = session.post(f"{intake}/api/v1/persons", json=body, timeout=60)
        return r.json()["person_id"] if r.status_code == 201 else None
    with ThreadPoolExecutor(8) as pool:
        ids = [pid for pid in pool.map(one, bodies) if pid]
    return ids


class Recording:
    """The portal's Services adapter, recording the calls a page makes."""

    def __init__(self, inner):
        self.inner, self.calls = inner, []

    def call(self, token, service, method, path, **kw):
        self.calls.append((service, method, path, kw.get("json")))
        return self.inner.call(token, service, method, path, **kw)


def _query_of(path: str) -> str:
    """The query's shape without person ids: `?within=30&page_size=1`."""
    if "?" not in path:
        return ""
    return "?" + "&".join(p for p in path.split("?", 1)[1].split("&")
                          if not p.startswith("purpose="))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=60)
    args = ap.parse_args()
    with infrastructure() as endpoints:
        stack = Stack(var_dir(), (CENTRE,), base_port=_free_block())
        pids = []
        try:
            t0 = time.perf_counter()
            fill_pathways(endpoints, args.people)
            print(f"filled {args.people:,} pathways in {time.perf_counter() - t0:.0f} s",
                  flush=True)
            urls = {}
            for service in ("intake", "pathway"):
                urls[service], pid = start(stack, endpoints, service)
                pids.append(pid)
            issuer = stack.issuer()
            t0 = time.perf_counter()
            people = register_people(urls["intake"], issuer.token(["accueil"], CENTRE),
                                     args.people)
            print(f"registered {len(people):,} people in {time.perf_counter() - t0:.0f} s",
                  flush=True)
            return measure(stack, urls, people, args.rounds)
        finally:
            for pid in pids:
                stop(pid)


def measure(stack: Stack, urls: dict, people: list[str], rounds: int) -> int:
    from services.portal.app import create_app
    from services.portal.bootstrap import PortalConfig
    cfg = PortalConfig(centre=CENTRE, intake_url=urls["intake"], pathway_url=urls["pathway"],
                       partners_url="http://127.0.0.1:9", reporting_url="http://127.0.0.1:9",
                       oidc_url="http://127.0.0.1:9", client_id="bench", client_secret="x",
                       secret_key="bench-secret-key" * 2, secure_cookies=False)
    app = create_app(cfg)
    recording = Recording(app.extensions["portal_services"])
    app.extensions["portal_services"] = recording
    client = app.test_client()
    token = stack.issuer().token(["accueil", "coordination"], CENTRE, subject="bench-user")
    with client.session_transaction() as s:
        s["user"] = {"sub": "bench-user", "name": "Banc d'essai",
                     "roles": ["accueil", "coordination"], "centre": CENTRE,
                     "operator_id": None, "token": token, "exp": int(time.time()) + 8 * 3600}
    direct = requests.Session()
    direct.headers.update({"Authorization": f"Bearer {token}", "Accept-Language": "fr"})
    rng = random.Random(11)
    pages = [("person file", lambda: f"/personnes/{rng.choice(people)}"),
             ("work queues", lambda: "/files")]
    out = {}
    for name, path_of in pages:
        if client.get(path_of()).status_code == 404 and name == "work queues":
            print(f"{name}: no such page in this portal (skipped)", flush=True)
            continue
        page_times, api_times, per_call = [], [], {}
        for _ in range(rounds):
            path = path_of()
            recording.calls.clear()
            t0 = time.perf_counter()
            r = client.get(path)
            page_times.append(time.perf_counter() - t0)
            assert r.status_code == 200, (path, r.status_code, r.get_data(as_text=True)[:300])
            calls = list(recording.calls)
            t0 = time.perf_counter()
            for service, method, api_path, body in calls:
                t1 = time.perf_counter()
                resp = direct.request(method, urls[service] + api_path, json=body, timeout=60)
                shape = re.sub(r"[0-9a-f-]{36}", "<id>", api_path.split("?")[0])
                per_call.setdefault(shape + _query_of(api_path), []).append(
                    time.perf_counter() - t1)
                assert resp.status_code < 400, (api_path, resp.status_code)
            api_times.append(time.perf_counter() - t0)
        p95_page, p95_api = percentile(page_times, 95), percentile(api_times, 95)
        out[name] = {"page_p50_ms": median(page_times) * 1000, "page_p95_ms": p95_page * 1000,
                     "api_p50_ms": median(api_times) * 1000, "api_p95_ms": p95_api * 1000,
                     "calls": len(calls), "ratio_p95": p95_page / p95_api}
        print(f"{name} with {len(people):,} people: page p50 {median(page_times) * 1000:.1f} ms, "
              f"p95 {p95_page * 1000:.1f} ms vs its {len(calls)} API call(s) p50 "
              f"{median(api_times) * 1000:.1f} ms, p95 {p95_api * 1000:.1f} ms "
              f"-> ratio {p95_page / p95_api:.2f}", flush=True)
        for call, times in sorted(per_call.items()):
            print(f"    {call}: p50 {median(times) * 1000:.1f} ms", flush=True)
    print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
