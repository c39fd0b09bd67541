"""The partners service's worker process: outbox relay, and the intake events it follows
(erasure)."""
from __future__ import annotations

from shared import worker
from shared.consumer import ConsumerLoop
from shared.events import envelope

from services.partners.bootstrap import services
from services.partners.service_layer import erasure


def main() -> None:
    svc = services()
    rt = svc.runtime
    rt.ensure_topics()
    group = f"partners-{rt.config.centre}-intake"
    intake = ConsumerLoop(lambda: rt.consumer(group), rt.producer, group,
                          erasure.handler(svc), rt.registry,
                          topics=[envelope.topic(rt.config.centre, "intake")])
    worker.run(rt.config, {"relay": rt.relay().run, "intake": intake.run})


if __name__ == "__main__":
    main()
