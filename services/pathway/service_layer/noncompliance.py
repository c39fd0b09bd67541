"""The periodic non-compliance pass ("signalement de non-respect"): obligated people
past their effective deadline get a flag with the facts. The system never fines."""
from __future__ import annotations

import logging
import threading

from services.pathway.bootstrap import PathwayServices
from services.pathway.domain import (FlagNonCompliance, decide_flag_non_compliance,
                                     needs_non_compliance_flag)

from .commands import run_auto
from .queues import members

log = logging.getLogger(__name__)


def flag_due(svc: PathwayServices) -> list[str]:
    today = svc.today()
    flagged = []
    past, _ = members(svc.read_model, "non-compliance", today)   # not a scan of all
    for doc, state in sorted(past, key=lambda m: m[0]["_id"]):
        if needs_non_compliance_flag(state, today):
            run_auto(svc, doc["person_id"], decide_flag_non_compliance,
                     FlagNonCompliance(today))
            flagged.append(doc["person_id"])
    if flagged:
        log.info("non-compliance flagged for %d pathway(s)", len(flagged))
    return flagged


def periodic(svc: PathwayServices, first_delay: float = 5.0):
    """A worker component: one pass shortly after start, then every interval."""
    def run(stop: threading.Event) -> None:
        delay = first_delay
        while not stop.wait(delay):
            try:
                flag_due(svc)
            except Exception:  # noqa: BLE001 - a failed pass is retried at the next tick
                log.exception("non-compliance pass failed")
            delay = svc.settings.noncompliance_interval_s
    return run
