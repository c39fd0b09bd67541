"""Worker component: measures the projector's consumer lag every few seconds and stores
it in `projector_status`, where the dashboard and the statistics index read it."""
from __future__ import annotations

import logging
import threading

from pymongo.database import Database

from services.reporting.adapters.kafka_lag import LagGauge
from services.reporting.adapters.reader import LAG, STATUS
from services.reporting.consumers.projector import now

log = logging.getLogger(__name__)


def watch(gauge: LagGauge, db: Database, stop: threading.Event, every: float = 5.0) -> None:
    try:
        while not stop.is_set():
            try:
                lag = gauge.measure()
                db[STATUS].replace_one({"_id": LAG}, {"lag": lag, "measured_at": now()},
                                       upsert=True)
            except Exception as exc:  # noqa: BLE001 - a missed measure is not worth a crash
                log.warning("lag measure failed: %s", type(exc).__name__)
                gauge.close()
            stop.wait(every)
    finally:
        gauge.close()
