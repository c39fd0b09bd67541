"""Intake benchmark: registrations through gunicorn, alone and with the whole centre.

Starts its own infrastructure (Kafka + FerretDB/PostgreSQL, or the external ones named
by KAFKA_BOOTSTRAP_SERVERS and MONGODB_URI), then on loopback only:

1. web alone (intake's gunicorn with 8 threads, 1 worker as the local stack runs it,
   then 2 as the deploy files do; no worker process): closed loop, 8 client threads,
   GET /healthz (baseline) then POST /api/v1/persons, in alternating rounds -> the
   median round's ratio registrations/s ÷ healthz/s (target >= 0.3);
2. the whole centre (intake, pathway, partners: web + worker each, and the regional
   reporting service, as `cri up` starts them):
   a. open loop at 20 registrations/s for 30 s, latency from each request's scheduled
      time (no coordinated omission) -> p99 (target < 250 ms);
   b. a burst of 1,000 registrations (8 threads) -> seconds until reporting counts
      every one of them (table personnes-par-statut, the centre's total; target 60 s);
   c. freshness at 10 registrations/s for 20 s: each registration's 201 -> the moment
      the reporting API's total includes it -> p95 (target < 2 s).
Every loop is bounded in count and time. Run from the repo root:
    python bench/bench_intake.py [--requests N] [--burst N] [--rounds N] [--web-alone]
"""
from __future__ import annotations

import argparse
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pymongo  # noqa: E402
import requests  # noqa: E402

from bench.common import infrastructure, percentile, report  # noqa: E402
from shared.infra.processes import spawn, stop, wait_until  # noqa: E402
from shared.infra.stack import Stack  # noqa: E402
from shared.paths import ROOT, var_dir  # noqa: E402
from tests.e2e.intake import people  # noqa: E402

CENTRE = "cripel"
THREADS = 8
MAX_SECONDS = 120          # hard bound of each closed-loop phase


def start_intake_alone(endpoints: dict, workers: int
                       ) -> tuple[str, list[int], Stack, str]:
    stack = Stack(var_dir(), (CENTRE,), base_port=_free_block(), web_workers=workers)
    item = next(i for i in stack.plan() if i["service"] == "intake")
    # a database of its own: its registrations (never relayed here) must not become a
    # backlog for the whole centre started after it
    env = {**stack.env_for("intake", CENTRE, endpoints),
           "CRI_PUBLIC_BASE_URL": f"http://127.0.0.1:{item['port']}",
           "MONGODB_DB": f"bench_intake_alone_{workers}_{uuid.uuid4().hex[:6]}"}
    logs = var_dir() / "logs"
    pids = [spawn(stack._web_argv(item), logs / "bench-intake-web.log", env=env, cwd=ROOT)]
    url = f"http://127.0.0.1:{item['port']}"
    wait_until(lambda: _ok(f"{url}/readyz"), 60, "intake web", logs / "bench-intake-web.log")
    return url, pids, stack, env["MONGODB_DB"]


def _ok(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def _free_block() -> int:
    import socket
    for base in range(29100, 40000, 100):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", base + 11)) != 0:
                return base
    raise RuntimeError("no free port")


class Client:
    """One requests.Session per thread, with the bench's bearer token."""

    def __init__(self, url: str, token: str):
        self.url, self.token = url, token
        self.local = threading.local()

    def session(self) -> requests.Session:
        if not hasattr(self.local, "s"):
            self.local.s = requests.Session()
            self.local.s.headers["Authorization"] = f"Bearer {self.token}"
        return self.local.s

    def healthz(self) -> None:
        assert self.session().get(f"{self.url}/healthz", timeout=10).status_code == 200

    def register(self) -> None:
        r = self.session().post(f"{self.url}/api/v1/persons", json=people.body(CENTRE),
                                timeout=10)
        assert r.status_code == 201, r.text


def closed_loop(name: str, call, per_thread: int) -> tuple[float, list[float]]:
    latencies: list[float] = []
    deadline = time.perf_counter() + MAX_SECONDS

    def worker() -> None:
        for _ in range(per_thread):
            if time.perf_counter() > deadline:
                return
            t0 = time.perf_counter()
            call()
            latencies.append(time.perf_counter() - t0)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rate = len(latencies) / (time.perf_counter() - t0)
    print(f"{name}: {len(latencies)} requests, {rate:,.0f}/s, "
          f"p50 {percentile(latencies, 50) * 1000:.1f} ms, "
          f"p99 {percentile(latencies, 99) * 1000:.1f} ms", flush=True)
    return rate, latencies


def open_loop(call, rate: float, seconds: float) -> list[float]:
    """Send at a fixed rate whatever the answers; latency from the scheduled time."""
    latencies: list[float] = []
    start = time.perf_counter() + 0.2
    total = int(rate * seconds)

    def one(scheduled: float) -> None:
        call()
        latencies.append(time.perf_counter() - scheduled)

    with ThreadPoolExecutor(32) as pool:
        for k in range(total):
            scheduled = start + k / rate
            time.sleep(max(0.0, scheduled - time.perf_counter()))
            pool.submit(one, scheduled)
    return latencies


class Reporting:
    """The centre's total in the reporting API (people by status, this year)."""

    def __init__(self, url: str, token: str):
        self.url = url
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def total(self) -> int:
        r = self.session.get(f"{self.url}/api/v1/statistics/personnes-par-statut",
                             params={"centre": CENTRE}, timeout=10)
        r.raise_for_status()
        body = r.json()
        j = next(i for i, c in enumerate(body["columns"]) if c["key"] == CENTRE)
        row = next(row for row in body["rows"] if row["key"] == "total")
        return row["cells"][j]["value"] or 0


def wait_total(reporting: Reporting, at_least: int, timeout: float) -> float | None:
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if reporting.total() >= at_least:
            return time.perf_counter() - t0
        time.sleep(0.05)
    return None


def freshness(client, reporting: Reporting, rate: float, seconds: float) -> list[float]:
    """Registrations at `rate`; for each, seconds from its 201 to its count in reporting,
    watched by a poller that runs while the registrations are sent."""
    accepted: list[tuple[int, float]] = []      # (reporting total that includes it, t)
    base = reporting.total()
    lock = threading.Lock()
    out: list[float] = []
    sending = threading.Event()
    sending.set()

    def one() -> None:
        client.register()
        with lock:
            accepted.append((base + len(accepted) + 1, time.perf_counter()))

    def watch() -> None:
        deadline = time.perf_counter() + seconds + 60
        while time.perf_counter() < deadline:
            total, now = reporting.total(), time.perf_counter()
            with lock:
                while accepted and accepted[0][0] <= total:
                    out.append(now - accepted.pop(0)[1])
                if not sending.is_set() and not accepted:
                    return
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    lat = open_loop(one, rate, seconds)
    sending.clear()
    watcher.join()
    assert lat, "no registration sent"
    out.extend(float("inf") for _ in accepted)      # never seen within a minute
    return out


def web_alone(endpoints: dict, workers: int, requests_per_thread: int, rounds: int) -> None:
    """`rounds` rounds, each GET /healthz then registrations (the same number of each):
    the ratio of each round compares two loops run seconds apart, so the machine's
    drift between rounds (healthz alone varies by a third from run to run here) falls
    out of it; the figure is the median round's ratio."""
    url, pids, stack, db = start_intake_alone(endpoints, workers)
    try:
        client = Client(url, stack.issuer().token(["accueil"], CENTRE, "bench-agent"))
        for _ in range(20):                      # warm-up: imports, connections, caches
            client.healthz()
            client.register()
        label = f"{workers} worker{'s' if workers > 1 else ''}, {THREADS} threads"
        per_round = max(1, requests_per_thread // rounds)
        ratios, bases, regs = [], [], []
        for k in range(1, rounds + 1):
            base, _ = closed_loop(f"round {k}: healthz (closed loop, 8 clients; {label})",
                                  client.healthz, per_round)
            reg, _ = closed_loop(f"round {k}: register (closed loop, 8 clients; {label})",
                                 client.register, per_round)
            ratios.append(reg / base)
            bases.append(base)
            regs.append(reg)
        print(f"rounds' ratios ({label}): " + ", ".join(f"{r:.3f}" for r in ratios),
              flush=True)
        k = sorted(range(rounds), key=lambda i: ratios[i])[rounds // 2]
        report(f"intake registrations vs GET /healthz, web alone ({label}; median of "
               f"{rounds} rounds)", regs[k], bases[k], 0.3)
    finally:
        for pid in pids:
            stop(pid)
        with pymongo.MongoClient(endpoints["mongodb_uri"]) as client:
            client.drop_database(db)        # the phase's registrations


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--requests", type=int, default=500, help="per client thread and phase (split into the rounds)")
    ap.add_argument("--burst", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=5, help="alternating rounds, web alone")
    ap.add_argument("--web-alone", action="store_true", help="only the web-alone phases")
    args = ap.parse_args()
    with infrastructure() as endpoints:
        for workers in (1, 2):       # the local stack's default; the deploy files' setting
            web_alone(endpoints, workers, args.requests, args.rounds)
        if args.web_alone:
            return 0
        whole = Stack(var_dir(), (CENTRE,), base_port=_free_block())
        try:
            urls = whole.up(endpoints)
            client = Client(urls["centres"][CENTRE]["intake"],
                            whole.issuer().token(["accueil"], CENTRE, "bench-agent"))
            reporting = Reporting(urls["reporting"],
                                  whole.issuer().token(["analyste"], "region", "bench"))
            for _ in range(20):
                client.register()
            lat = open_loop(client.register, 20.0, 30.0)
            p50, p99 = percentile(lat, 50) * 1000, percentile(lat, 99) * 1000
            print(f"registrations with the whole centre running, open loop 20/s for 30 s "
                  f"({len(lat)} requests): p50 {p50:.1f} ms, p99 {p99:.1f} ms "
                  f"(target p99 < 250 ms) {'OK' if p99 < 250 else 'ABOVE TARGET'}", flush=True)
            time.sleep(2)     # let the warm-up and the open loop settle in reporting
            before = reporting.total()
            t0 = time.perf_counter()
            closed_loop(f"burst of {args.burst} registrations (8 threads)", client.register,
                        args.burst // THREADS)
            sent = (args.burst // THREADS) * THREADS
            took = wait_total(reporting, before + sent, 180)
            total_s = (time.perf_counter() - t0) if took is not None else float("inf")
            print(f"burst of {sent} registrations: all counted by reporting "
                  f"{total_s:.1f} s after the first was sent (target 60 s) "
                  f"{'OK' if total_s <= 60 else 'ABOVE TARGET'}", flush=True)
            fresh = freshness(client, reporting, 10.0, 20.0)
            p95 = percentile(fresh, 95)
            print(f"freshness at 10 registrations/s ({len(fresh)} registrations): 201 -> "
                  f"counted in the reporting API p50 {percentile(fresh, 50):.2f} s, "
                  f"p95 {p95:.2f} s (target p95 < 2 s) {'OK' if p95 < 2 else 'ABOVE TARGET'}",
                  flush=True)
        finally:
            whole.down()
    return 0


if __name__ == "__main__":
    sys.exit(main())
