"""The reporting worker: consumes every centre's event topics into regional projections,
measures its own lag, and publishes the figures at the start of each month."""
from __future__ import annotations

from shared import worker
from shared.consumer import ConsumerLoop
from services.reporting.adapters.kafka_lag import LagGauge
from services.reporting.bootstrap import services
from services.reporting.consumers import lag, publisher
from services.reporting.consumers.projector import Projector

CENTRE_TOPICS = r"^cri\.[a-z0-9]+\.(intake|pathway|partners)\.events$"
GROUP = "reporting-projector"


def main() -> None:
    svc = services()
    rt = svc.runtime
    loop = ConsumerLoop(lambda: rt.consumer(GROUP), rt.producer, GROUP, Projector(rt.db),
                        rt.registry, pattern=CENTRE_TOPICS)
    gauge = LagGauge(rt.config.kafka_bootstrap_servers, GROUP, CENTRE_TOPICS)
    worker.run(rt.config, {"projector": loop.run,
                           "lag": lambda stop: lag.watch(gauge, rt.db, stop),
                           "publisher": lambda stop: publisher.watch(svc.publications, stop)})


if __name__ == "__main__":
    main()
