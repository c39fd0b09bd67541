"""The reporting worker: consumes every centre's event topics into regional projections."""
from __future__ import annotations

from shared import worker
from shared.consumer import ConsumerLoop
from services.reporting.bootstrap import runtime
from services.reporting.consumers import probes

CENTRE_TOPICS = r"^cri\.[a-z0-9]+\.(intake|pathway|partners)\.events$"


def main() -> None:
    rt = runtime()
    loop = ConsumerLoop(lambda: rt.consumer("reporting-projector"), rt.producer,
                        "reporting-projector", probes.projection(rt.db), rt.registry,
                        pattern=CENTRE_TOPICS)
    worker.run(rt.config, {"projector": loop.run})


if __name__ == "__main__":
    main()
