"""The partners service's worker process: outbox relay, and the consumer of the centre's
pathway topic that keeps the people it follows (`adapters/people.py`)."""
from __future__ import annotations

from shared import worker
from shared.consumer import ConsumerLoop
from shared.events import envelope

from services.partners.adapters.people import GROUP
from services.partners.bootstrap import services


def main() -> None:
    svc = services()
    rt = svc.runtime
    pathway = envelope.topic(svc.centre, "pathway")
    rt.ensure_topics(pathway, envelope.dlq(pathway))
    group = f"{GROUP}-{svc.centre}"
    people = ConsumerLoop(lambda: rt.consumer(group), rt.producer, group, svc.people.apply,
                          rt.registry, topics=[pathway])
    worker.run(rt.config, {"relay": rt.relay().run, "consumer-people": people.run})


if __name__ == "__main__":
    main()
