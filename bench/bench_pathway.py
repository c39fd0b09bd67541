"""Pathway list and work-queue pages: 10,000 pathways against 100, in the same run.

Read models on FerretDB, filled with the same kind of population (builders.population:
obligated people at every stage, volunteers, dispensed, interviews on time or late,
closed / planned / open-ended suspensions, extensions, attestations, forwarded records)
through the ReadModel (documents, then counters as after a replay). Each page 1 is a GET
through the Flask app (service bootstrap, real token, fixed "today"), median of the
rounds, rounds alternating the sizes. Target: page at 10,000 <= 1.5 x page at 100
(nothing on the hot path scans).

Two centres of 100 are compared with the one of 10,000. The first is a population of
its own: its page 1 of a sparse work queue holds few items (a 30-day window of 100
pathways holds none or two), so against a full page at 10,000 it compares 50 items with
none (reported). The second, built for each such queue, holds the 10,000's page-1
members of that queue plus pathways of the same population that are not in the queue,
100 in all: both pages show the same 50 items, so the ratio is what the other 9,900
pathways cost (the target). For context, the list filtered by a work queue (reads every
member of that queue, not a target) and the former full scan at both sizes.
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
from services.pathway.domain import PathwayState  # noqa: E402
from services.pathway.service_layer.views import QUEUES, summary  # noqa: E402
from tests.unit.pathway.builders import population  # noqa: E402

TODAY = date(2026, 6, 10)
PAGES = [   # (name, path, query, the work queue it pages: None for the list)
    ("list page 1", "/api/v1/pathways", {}, None),
    ("list open+obligated page 1", "/api/v1/pathways",
     {"status": "open", "eligibility": "obligated"}, None),
    ("interviews-overdue page 1", "/api/v1/work-queues/interviews-overdue", {},
     "interviews-overdue"),
    ("deadlines within 30 page 1", "/api/v1/work-queues/deadlines", {"within": 30},
     "deadline-30"),
    ("deadlines within 60 page 1", "/api/v1/work-queues/deadlines", {"within": 60},
     "deadline-60"),
    ("deadlines within 90 page 1", "/api/v1/work-queues/deadlines", {"within": 90},
     "deadline-90"),
    ("non-compliance page 1", "/api/v1/work-queues/non-compliance", {}, "non-compliance"),
]
QUEUE_PAGE = {queue: (path, query) for _, path, query, queue in PAGES if queue}
CONTEXT = [("list ?queue=deadline-30 page 1 (reads the queue's members; not a target)",
            "/api/v1/pathways", {"queue": "deadline-30"}, None)]


class Centre:
    def __init__(self, uri: str, issuer: DevIssuer, pathways: list[tuple[str, PathwayState]]):
        count = len(pathways)
        self.pathways = pathways
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
        for person, state in pathways:
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


def compare(name: str, path: str, query: dict, large: Centre, small: Centre, rounds: int,
            target: float | None) -> float:
    for c in (small, large):     # warm-up
        c.get(path, query)
    times: dict[Centre, list[float]] = {c: [] for c in (small, large)}
    for _ in range(rounds):
        for c in (small, large):
            times[c].append(c.get(path, query)[0])
    big, little = large.get(path, query)[1], small.get(path, query)[1]
    return line(f"{name} [{len(big['items'])} items of {big['total']} against "
                f"{len(little['items'])} of {little['total']}]", median(times[large]),
                median(times[small]), len(large.pathways), len(small.pathways), target)


def same_page(uri: str, issuer: DevIssuer, large: Centre, queue: str, size: int) -> Centre:
    """A centre of `size` pathways: the large centre's page-1 members of `queue`, and
    pathways of the same population that are not in that queue today."""
    first = {i["person_id"] for i in large.get(*QUEUE_PAGE[queue])[1]["items"]}
    keep = QUEUES[queue]
    members = [(p, s) for p, s in large.pathways if p in first]
    others = [(p, s) for p, s in large.pathways if not keep(s, TODAY)]
    return Centre(uri, issuer, members + others[:max(0, size - len(members))])


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
        small = Centre(uri, issuer, population(args.small, seed=args.small))
        large = Centre(uri, issuer, population(args.large, seed=args.large))
        centres = [small, large]
        try:
            failed = 0
            for name, path, query, queue in PAGES + CONTEXT:
                context = (name, path, query, queue) in CONTEXT
                shown = len(small.get(path, query)[1]["items"])
                full = len(large.get(path, query)[1]["items"])
                # a sparse queue at 100: compared with a centre showing the same page
                sparse = not context and queue is not None and shown < full
                ratio = compare(name + (" (own population of 100; reported)" if sparse
                                        else ""), path, query, large, small, args.rounds,
                                None if context or sparse else 1.5)
                if sparse:
                    centres.append(same_page(uri, issuer, large, queue, args.small))
                    ratio = compare(f"  same page: a centre of {args.small} holding these "
                                    f"{full} members and others", path, query, large,
                                    centres[-1], args.rounds, 1.5)
                failed += not context and not ratio <= 1.5
            line("former full scan (context)", median([large.old_scan() for _ in range(3)]),
                 median([small.old_scan() for _ in range(3)]), args.large, args.small, None)
            return 1 if failed else 0
        finally:
            client = pymongo.MongoClient(uri)
            for c in centres:
                client.drop_database(c.db_name)


if __name__ == "__main__":
    sys.exit(main())
