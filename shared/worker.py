"""The `worker` process: relay and consumers as threads, stopped cleanly on SIGTERM."""
from __future__ import annotations

import logging
import signal
import sys
import threading
from typing import Callable

from prometheus_client import start_http_server

from shared import logging as cri_logging
from shared.config import Config

log = logging.getLogger(__name__)
Component = Callable[[threading.Event], None]


def run(config: Config, components: dict[str, Component]) -> None:
    cri_logging.setup(config.service, config.centre)
    if config.metrics_port:
        start_http_server(config.metrics_port, addr="127.0.0.1")
    stop = threading.Event()

    def _term(signum, _frame):
        log.info("signal %s: stopping after the batches in hand", signum)
        stop.set()

    signal.signal(signal.SIGTERM, _term)
    signal.signal(signal.SIGINT, _term)
    threads = []
    for name, component in components.items():
        t = threading.Thread(target=_guard, args=(name, component, stop), name=name)
        t.start()
        threads.append(t)
    log.info("worker started: %s", ", ".join(components))
    died = False
    while not stop.is_set():
        stop.wait(1.0)
        if not all(t.is_alive() for t in threads):
            died = True
            log.error("a worker component died; stopping the process so it is restarted")
            stop.set()
    for t in threads:
        t.join(timeout=30)
    if died or _CRASHED.is_set():
        sys.exit(1)   # non-zero: the supervisor (`cri up`, systemd, k8s) restarts it


_CRASHED = threading.Event()


def _guard(name: str, component: Component, stop: threading.Event) -> None:
    try:
        component(stop)
        if not stop.is_set():
            log.error("component %s returned while the worker runs", name)
            _CRASHED.set()
    except Exception:  # noqa: BLE001 - log, then let the supervisor restart the process
        log.exception("component %s crashed", name)
        _CRASHED.set()
    stop.set()
