"""The reporting worker: consumes every centre's event topics into regional projections,
and measures its own lag."""
from __future__ import annotations

from shared import worker
from shared.consumer import ConsumerLoop
from services.reporting.adapters.kafka_lag import LagGauge
from services.reporting.bootstrap import services
from services.reporting.consumers import lag
from services.reporting.consumers.projector import Projector

CENTRE_TOPICS = r"^cri\.[a-z0-9]+\.(intake|pathway|partners)\.events$"
GROUP = "reporting-projector"


def main() -> None:
    rt = services().runtime
    loop = ConsumerLoop(lambda: rt.consumer(GROUP), rt.producer, GROUP, Projector(rt.db),
                        rt.registry, pattern=CENTRE_TOPICS)
    gauge = LagGauge(rt.config.kafka_bootstrap_servers, GROUP, CENTRE_TOPICS)
    worker.run(rt.config, {"projector": loop.run,
                           "lag": lambda stop: lag.watch(gauge, rt.db, stop)})


if __name__ == "__main__":
    main()
