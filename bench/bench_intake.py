"""Intake benchmark: registrations through gunicorn vs a trivial endpoint, same settings.

Starts its own infrastructure (Kafka + FerretDB, or the external ones named by
KAFKA_BOOTSTRAP_SERVERS and MONGODB_URI) and one centre's intake service (gunicorn with
the stack's settings: 1 worker, 8 threads; plus the intake worker, so the relay and the
consumers run as in production), then on loopback only:

1. closed loop, 8 client threads: GET /healthz (baseline), then POST /api/v1/persons
   (register: validation, eligibility, encryption, commit, snapshot) -> requests/s,
   p50/p99, and the ratio registrations/s ÷ healthz/s (target >= 0.3);
2. open loop at 50 registrations/s for ~10 s, latency measured from each request's
   scheduled time (no coordinated omission) -> p50/p99 (target p99 < 50 ms).
Every loop is bounded in count and time. Run from the repo root:
    python bench/bench_intake.py [--requests N] [--rate R] [--seconds S]
"""
from __future__ import annotations

import argparse
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import requests  # noqa: E402

from bench.common import infrastructure, percentile, report  # noqa: E402
from shared.infra.processes import spawn, stop, wait_until  # noqa: E402
from shared.infra.stack import Stack  # noqa: E402
from shared.paths import ROOT, var_dir  # noqa: E402
from tests.e2e.intake import people  # noqa: E402

CENTRE = "cripel"
THREADS = 8
MAX_SECONDS = 120          # hard bound of each closed-loop phase


def start_intake(endpoints: dict, with_worker: bool) -> tuple[str, list[int], Stack]:
    stack = Stack(var_dir(), (CENTRE,), base_port=_free_block())
    item = next(i for i in stack.plan() if i["service"] == "intake")
    env = {**stack.env_for("intake", CENTRE, endpoints),
           "CRI_PUBLIC_BASE_URL": f"http://127.0.0.1:{item['port']}"}
    logs = var_dir() / "logs"
    pids = [spawn(stack._web_argv(item), logs / "bench-intake-web.log", env=env, cwd=ROOT)]
    if with_worker:
        pids.append(spawn([sys.executable, "-m", "services.intake.worker"],
                          logs / "bench-intake-worker.log", env=env, cwd=ROOT))
    url = f"http://127.0.0.1:{item['port']}"
    wait_until(lambda: _ok(f"{url}/readyz"), 60, "intake web", logs / "bench-intake-web.log")
    return url, pids, stack


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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--requests", type=int, default=60, help="per client thread and phase")
    ap.add_argument("--rate", type=float, default=50.0)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--no-worker", action="store_true",
                    help="web process only (no relay or consumers competing for the store)")
    args = ap.parse_args()
    with infrastructure() as endpoints:
        url, pids, stack = start_intake(endpoints, not args.no_worker)
        try:
            client = Client(url, stack.issuer().token(["accueil"], CENTRE, "bench-agent"))
            for _ in range(20):                      # warm-up: imports, connections, caches
                client.healthz()
                client.register()
            base, _ = closed_loop("healthz (closed loop, 8 threads)", client.healthz,
                                  args.requests)
            regs, _ = closed_loop("register (closed loop, 8 threads)", client.register,
                                  args.requests)
            report("intake registrations vs GET /healthz, same gunicorn (1 worker, 8 threads)",
                   regs, base, 0.3)
            lat = open_loop(client.register, args.rate, args.seconds)
            p50, p99 = percentile(lat, 50) * 1000, percentile(lat, 99) * 1000
            verdict = "OK" if p99 < 50 else "ABOVE TARGET"
            print(f"intake registrations, open loop {args.rate:.0f}/s for {args.seconds:.0f} s "
                  f"({len(lat)} requests): p50 {p50:.1f} ms, p99 {p99:.1f} ms "
                  f"(target p99 < 50 ms) {verdict}", flush=True)
        finally:
            for pid in pids:
                stop(pid)
    return 0


if __name__ == "__main__":
    sys.exit(main())
