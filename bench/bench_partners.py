"""Attendance CSV upload on FerretDB/PostgreSQL: rows per second and peak memory.

One operator, two offers of 50 seats (100 accepted referrals) with 500 sessions each; a 50,000-row file
(every referral × every session) and a 5,000-row one. Each upload runs in a fresh process
(`resource` peak RSS is per process), through the service layer the API calls
(`attendance.upload` on the file's byte stream). Printed:
- rows/s of the 50,000-row upload vs raw `insert_one` of the same number of small
  documents on the same store (the floor any per-row write pays);
- peak RSS of the 50,000-row upload vs the 5,000-row one (bounded memory: ≈ 1);
- the same file again (nothing to apply): rows/s.

Run from the repo root: python bench/bench_partners.py [--rows 50000]
"""
from __future__ import annotations

import argparse
import base64
import json
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import infrastructure  # noqa: E402

COORD = ("coord", "coordination", None)
OPERATOR = ("fle", "partenaire", "fle-bench")
TODAY = date(2026, 11, 30)


def _svc(uri: str, db: str):
    from shared.config import Config
    from services.partners.bootstrap import bootstrap
    cfg = Config(service="partners", centre="cripel", kafka_bootstrap_servers="unused:1",
                 mongodb_uri=uri, mongodb_db=db,
                 master_key=base64.b64encode(b"b" * 32).decode())
    return bootstrap(cfg, today=lambda: TODAY)


def _who(spec):
    from shared.auth import Principal
    subject, role, operator = spec
    return Principal(subject, frozenset({role}), "cripel", operator_id=operator)


def setup(uri: str, db: str, referrals: int, sessions: int) -> tuple[list[str], list[str]]:
    from shared.events.envelope import Envelope, sequence
    from services.partners.service_layer import offers, operators
    svc = _svc(uri, db)
    coord, fle = _who(COORD), _who(OPERATOR)
    operators.register_operator(svc, coord, {
        "operator_id": "fle-bench", "name": "FLE bench", "type": "association", "bce": None,
        "approval": "approved", "communes": ["62063"], "personal": {"contacts": [], "staff": []}})
    operators.sign(svc, coord, {
        "agreement_id": "conv-bench", "operator_id": "fle-bench", "subject": "french",
        "valid_from": date(2026, 1, 1), "valid_to": date(2026, 12, 31),
        "quota_kind": "seats", "quota": 100_000, "funding_ref": None})
    days = [TODAY - timedelta(days=n) for n in range(sessions)]
    rids, per_offer = [], 50          # a course group's size: offers of 50 seats
    for k in range(referrals // per_offer):
        offers.publish(svc, fle, {
            "offer_id": f"fle-bench-{k}", "operator_id": "fle-bench",
            "agreement_id": "conv-bench", "title": f"bench {k}", "kind": "french",
            "level": "A1", "language": "fr", "commune_nis": "62063", "capacity": per_offer,
            "sessions": [{"date": d, "hours": 2} for d in days]})
        svc.people.apply([Envelope(f"pathway-p-{k}-{n}:1", "/cri/cripel/pathway",
                                   "pathway.PathwayOpened", 1, "2026-11-29T10:00:00Z",
                                   f"pathway-p-{k}-{n}", sequence(1, 0), {})
                          for n in range(per_offer)])
        for n in range(per_offer):
            _, rid = offers.propose(svc, coord, {
                "offer_id": f"fle-bench-{k}", "person_id": f"p-{k}-{n}",
                "purpose": "training", "consent": False})
            offers.transition(svc, fle, f"fle-bench-{k}", rid, "accept")
            rids.append(rid)
    return rids, [d.strftime("%d/%m/%Y") for d in days]


def write_csv(path: Path, rids: list[str], days: list[str], rows: int) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        out.write("Orientation;Date;Heures;Présence;Motif\r\n")
        n = 0
        for day in days:
            for rid in rids:
                if n == rows:
                    return
                out.write(f"{rid};{day};2;oui;\r\n")
                n += 1


def _upload(uri: str, db: str, path: str, queue) -> None:
    from services.partners.service_layer import attendance
    svc = _svc(uri, db)
    svc.read_model      # connect and index before timing
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    with open(path, "rb") as f:
        result = attendance.upload(svc, _who(OPERATOR), f)
    elapsed = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put({"elapsed": elapsed, "rows": result["rows"], "applied": result["applied"],
               "rejected": result["rejected"], "rss_before_kib": before, "rss_peak_kib": peak})


def upload(uri: str, db: str, path: Path) -> dict:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_upload, args=(uri, db, str(path), queue))
    proc.start()
    out = queue.get()
    proc.join()
    return out


def raw_inserts(uri: str, n: int) -> float:
    import pymongo
    client = pymongo.MongoClient(uri)
    coll = client[f"bench_raw_{uuid.uuid4().hex[:6]}"]["docs"]
    t0 = time.perf_counter()
    for i in range(n):
        coll.insert_one({"_id": f"r{i}", "referral_id": "x" * 32, "hours": 2.0,
                         "session_date": "2026-11-30", "present": True})
    elapsed = time.perf_counter() - t0
    client.drop_database(coll.database.name)
    return n / elapsed


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=50_000)
    args = ap.parse_args()
    referrals = 100
    sessions = max(1, min(500, args.rows // referrals))
    with infrastructure() as endpoints:
        uri = endpoints["mongodb_uri"]
        db = f"bench_partners_{uuid.uuid4().hex[:6]}"
        rids, days = setup(uri, db, referrals, sessions)
        tmp = Path(tempfile.mkdtemp(prefix="cri-bench-csv-"))
        big, small = tmp / "big.csv", tmp / "small.csv"
        write_csv(big, rids, days, args.rows)
        write_csv(small, rids, days[-(sessions // 10 or 1):], args.rows // 10)
        print(f"files: {big.stat().st_size / 1e6:.1f} MB ({args.rows:,} rows), "
              f"{small.stat().st_size / 1e6:.2f} MB ({args.rows // 10:,} rows)", flush=True)
        first_small = upload(uri, db, small)
        first_big = upload(uri, db, big)      # the small file's rows are already there
        again = upload(uri, db, big)
        raw = raw_inserts(uri, min(args.rows, 10_000))
        rate = first_big["rows"] / first_big["elapsed"]
        print(json.dumps({"small": first_small, "big": first_big, "again": again}), flush=True)
        print(f"CSV upload, {first_big['rows']:,} rows ({first_big['applied']:,} applied): "
              f"{rate:,.0f} rows/s vs raw insert_one {raw:,.0f}/s -> ratio {rate / raw:.2f}",
              flush=True)
        growth_big = first_big["rss_peak_kib"] - first_big["rss_before_kib"]
        growth_small = first_small["rss_peak_kib"] - first_small["rss_before_kib"]
        print(f"peak RSS: {first_big['rss_peak_kib'] / 1024:.0f} MiB for {args.rows:,} rows vs "
              f"{first_small['rss_peak_kib'] / 1024:.0f} MiB for {args.rows // 10:,} rows -> "
              f"ratio {first_big['rss_peak_kib'] / first_small['rss_peak_kib']:.2f} "
              f"(growth during the upload {growth_big / 1024:.1f} vs "
              f"{growth_small / 1024:.1f} MiB)", flush=True)
        print(f"same file again (nothing to apply): "
              f"{again['rows'] / again['elapsed']:,.0f} rows/s", flush=True)
        import pymongo
        pymongo.MongoClient(uri).drop_database(db)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
