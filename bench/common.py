"""Bench plumbing: infrastructure for a run, timing, ratio lines."""
from __future__ import annotations

import os
import statistics
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def infrastructure():
    """External services if named, else a private launcher instance (stopped at the end)."""
    if os.environ.get("KAFKA_BOOTSTRAP_SERVERS") and os.environ.get("MONGODB_URI"):
        yield {"kafka_bootstrap_servers": os.environ["KAFKA_BOOTSTRAP_SERVERS"],
               "mongodb_uri": os.environ["MONGODB_URI"]}
        return
    import signal

    from shared.infra.launcher import Infra

    def _interrupt(signum, frame):  # SIGTERM too must stop what we started
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, _interrupt)
    home = Path(tempfile.mkdtemp(prefix="cri-bench-"))
    home.chmod(0o755)   # as root, the PostgreSQL cluster inside runs as `postgres`
    os.environ["CRI_VAR_DIR"] = str(home)
    infra = Infra(home)
    try:
        endpoints = infra.up()   # inside the try: a failed start still stops what it began
        yield endpoints
    finally:
        infra.down()


def timed(fn) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def report(name: str, subject_rate: float, baseline_rate: float, target: float | None,
           unit: str = "/s") -> dict:
    ratio = subject_rate / baseline_rate if baseline_rate else float("nan")
    verdict = "" if target is None else ("  OK" if ratio >= target else "  BELOW TARGET")
    tgt = "" if target is None else f" (target >= {target})"
    print(f"{name}: {subject_rate:,.0f}{unit} vs baseline {baseline_rate:,.0f}{unit}"
          f" -> ratio {ratio:.3f}{tgt}{verdict}", flush=True)
    return {"name": name, "subject": subject_rate, "baseline": baseline_rate, "ratio": ratio}


def median(xs):
    return statistics.median(xs)


def percentile(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = min(len(xs) - 1, max(0, round(p / 100 * (len(xs) - 1))))
    return xs[k]
