"""The partners service's worker process: outbox relay; the centre's pathway topic, which
tells who the centre follows (`adapters/people.py`); and intake's erasures."""
from __future__ import annotations

from shared import worker
from shared.consumer import ConsumerLoop
from shared.events import envelope

from services.partners.bootstrap import services
from services.partners.service_layer import erasure


def main() -> None:
    svc = services()
    rt = svc.runtime
    pathway, intake = (envelope.topic(svc.centre, s) for s in ("pathway", "intake"))
    rt.ensure_topics(pathway, envelope.dlq(pathway), intake, envelope.dlq(intake))
    svc.read_model.backfill_links(svc.activities.load)   # links older than activity_links
    # partners-<centre>-<loop>: the prefix deploy/kafka/acls.sh grants the centre
    people_group, intake_group = (f"partners-{svc.centre}-{loop}" for loop in ("people", "intake"))
    people = ConsumerLoop(lambda: rt.consumer(people_group), rt.producer, people_group,
                          svc.people.apply, rt.registry, topics=[pathway])
    erasures = ConsumerLoop(lambda: rt.consumer(intake_group), rt.producer, intake_group,
                            erasure.handler(svc), rt.registry, topics=[intake])
    worker.run(rt.config, {"relay": rt.relay().run, "anchors": rt.anchorer().run,
                           "consumer-people": people.run,
                           "consumer-erasures": erasures.run})


if __name__ == "__main__":
    main()
