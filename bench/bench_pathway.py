"""Pathway list and work-queue pages: 10,000 pathways against 100, in the same run.

Two read models on FerretDB, filled with the same kind of population (builders.population:
obligated people at every stage, volunteers, dispensed, interviews on time or late,
closed / planned / open-ended suspensions, extensions, attestations, forwarded records)
through the ReadModel (documents, then counters as after a replay). Each page 1 is a GET
through the Flask app (service bootstrap, real token, fixed "today"), median of the
rounds, rounds alternating the two sizes. Target: page at 10,000 <= 1.5 x page at 100
(nothing on the hot path scans). When page 1 at 100 holds fewer than 50 items (a 30-day
window of 100 pathways holds one or two), a second line compares pages of that many
items at both sizes, like for like. For context, the list filtered by a work queue (reads
every member of that queue, not a target) and the former full scan at both sizes.
Run from the repo root: python bench/bench_pathway.py [--large N] [--rounds R]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pymongo  # noqa: E402

from bench.common import infrastructure, median  # noqa: E402
from shared.auth import DevIssuer  # noqa: E402
from shared.config import Config  # noqa: E402
from services.pathway.app import create_app  # noqa: E402
from services.pathway.bootstrap import bootstrap  # noqa: E402
from services.pathway.service_layer.views import summary  # noqa: E402
from tests.unit.pathway.builders import population  # noqa: E402

TODAY = date(2026, 6, 10)
PAGES = [
    ("list page 1", "/api/v1/pathways", {}),
    ("list open+obligated page 1", "/api/v1/pathways",
     {"status": "open", "eligibility": "obligated"}),
    ("interviews-overdue page 1", "/api/v1/work-queues/interviews-overdue", {}),
    ("deadlines within 30 page 1", "/api/v1/work-queues/deadlines", {"within": 30}),
    ("deadlines within 60 page 1", "/api/v1/work-queues/deadlines", {"within": 60}),
    ("deadlines within 90 page 1", "/api/v1/work-queues/deadlines", {"within": 90}),
    ("non-compliance page 1", "/api/v1/work-queues/non-compliance", {}),
]
CONTEXT = [("list ?queue=deadline-30 page 1 (reads the queue's members; not a target)",
            "/api/v1/pathways", {"queue": "deadline-30"})]


class Centre:
    def __init__(self, uri: str, issuer: DevIssuer, count: int):
        self.db_name = f"bench_pathway_{count}_{uuid.uuid4().hex[:6]}"
        cfg = Config(service="pathway", centre="cripel", kafka_bootstrap_servers="unused:9092",
                     mongodb_uri=uri, mongodb_db=self.db_name,
                     jwt_public_key=issuer.public_key_file.read_text())
        self.svc = bootstrap(cfg, today=lambda: TODAY)
        self.client = create_app(self.svc, with_probes=False).test_client()
        self.headers = {"Authorization": f"Bearer {issuer.token(['accueil'], 'cripel')}",
                        "Accept-Language": "fr"}
        rm = self.svc.read_model
        t0 = time.perf_counter()
        rm.counting = False          # as rebuild(): documents first, then one recount
        for person, state in population(count, seed=count):
            rm.project_pathway(person, state, 1)
        rm.counting = True
        rm.recount()
        print(f"filled {count:,} pathways in {time.perf_counter() - t0:.1f} s", flush=True)

    def get(self, path: str, query: dict) -> tuple[float, dict]:
        t0 = time.perf_counter()
        r = self.client.get(path, query_string=query, headers=self.headers)
        elapsed = time.perf_counter() - t0
        assert r.status_code == 200, r.json
        return elapsed, r.json

    def old_scan(self) -> float:
        """What the list did before: decode every open pathway, filter, sort."""
        t0 = time.perf_counter()
        items = [summary(doc["person_id"], state, TODAY)
                 for doc, state in self.svc.read_model.states(status="open")]
        sorted(items, key=lambda i: (i["deadline"] or "9999", i["person_id"]))[:50]
        return time.perf_counter() - t0


def line(name: str, large: float, small: float, n_large: int, n_small: int,
         target: float | None = 1.5) -> float:
    ratio = large / small if small else float("nan")
    tgt = "" if target is None else f" (target <= {target})"
    verdict = "" if target is None else ("  OK" if ratio <= target else "  ABOVE TARGET")
    print(f"{name} at {n_large:,} vs {n_small:,}: {large * 1000:.1f} ms vs "
          f"{small * 1000:.1f} ms -> ratio {ratio:.2f}{tgt}{verdict}", flush=True)
    return ratio


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--small", type=int, default=100)
    ap.add_argument("--large", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=9)
    args = ap.parse_args()
    issuer = DevIssuer(Path(tempfile.mkdtemp(prefix="bench-issuer-")))
    issuer.ensure_keys()
    with infrastructure() as endpoints:
        uri = endpoints["mongodb_uri"]
        small = Centre(uri, issuer, args.small)
        large = Centre(uri, issuer, args.large)
        try:
            failed = 0
            for name, path, query in PAGES + CONTEXT:
                for c in (small, large):     # warm-up, and the same answer shape
                    _, body = c.get(path, query)
                sizes = {c: [] for c in (small, large)}
                for _ in range(args.rounds):
                    for c in (small, large):
                        sizes[c].append(c.get(path, query)[0])
                _, body = large.get(path, query)
                target = None if (name, path, query) in CONTEXT else 1.5
                ratio = line(f"{name} [{len(body['items'])} items of {body['total']}]",
                             median(sizes[large]), median(sizes[small]),
                             args.large, args.small, target)
                failed += target is not None and not ratio <= target
                shown = len(small.get(path, query)[1]["items"])
                if target is not None and shown < 50:
                    # Like for like: a page with as many items as page 1 holds at 100.
                    q = {**query, "page_size": max(shown, 1)}
                    sizes = {c: [] for c in (small, large)}
                    for _ in range(args.rounds):
                        for c in (small, large):
                            sizes[c].append(c.get(path, q)[0])
                    line(f"  same, page_size={q['page_size']} (as many items as at "
                         f"{args.small})", median(sizes[large]), median(sizes[small]),
                         args.large, args.small, target)
            line("former full scan (context)", median([large.old_scan() for _ in range(3)]),
                 median([small.old_scan() for _ in range(3)]), args.large, args.small, None)
            return 1 if failed else 0
        finally:
            client = pymongo.MongoClient(uri)
            for c in (small, large):
                client.drop_database(c.db_name)


if __name__ == "__main__":
    sys.exit(main())
