"""Worker component: the scheduled publication run, at the start of each month.

It looks every minute whether the month just ended is published (one read) and
publishes it once due (`Publications.scheduled`); a publication is idempotent, so a
restart, a second worker or a manual `cri reporting publish` never doubles one.
"""
from __future__ import annotations

import logging
import threading

from services.reporting.service_layer.publications import Publications

log = logging.getLogger(__name__)


def watch(publications: Publications, stop: threading.Event, every: float = 60.0) -> None:
    while not stop.is_set():
        try:
            done = publications.scheduled()
            if done and done[1]:
                log.info("publication %s written (period %s)", done[0]["id"], done[0]["period"])
        except Exception as exc:  # noqa: BLE001 - an outage delays the run, no more
            log.warning("scheduled publication failed: %s", type(exc).__name__)
        stop.wait(every)
