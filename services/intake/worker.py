"""The intake service's worker process: outbox relay and consumers.

- relay: the commit store -> this centre's intake topic; transfer bundles
  (`intake.PersonFileHandedOver`) go to cri.region.transfers instead;
- pseudonyms: every centre's intake topic -> the regional pseudonym index;
- directory: this centre's intake topic -> lists and the blind name index;
- transfers-out: this centre's pathway topic -> seal and hand over files;
- transfers-in: cri.region.transfers -> register files sealed for this centre;
Consumer groups are per centre: every centre reads every message.
"""
from __future__ import annotations

from shared import worker
from shared.consumer import ConsumerLoop
from shared.events import envelope
from services.intake.adapters import pseudonyms
from services.intake.bootstrap import IntakeServices, services
from services.intake.consumers import handlers

INTAKE_TOPICS = r"^cri\.[a-z0-9]+\.intake\.events$"
ROUTES = {"intake.PersonFileHandedOver": envelope.REGION_TRANSFERS}


def loops(svc: IntakeServices) -> dict[str, ConsumerLoop]:
    rt, centre = svc.runtime, svc.centre
    pathway_topic = envelope.topic(centre, "pathway")

    def loop(name: str, handler, **where) -> ConsumerLoop:
        group = f"{centre}.intake.{name}"
        return ConsumerLoop(lambda: rt.consumer(group), rt.producer, group, handler,
                            rt.registry, **where)

    return {
        "pseudonyms": loop(pseudonyms.GROUP, handlers.pseudonyms(svc), pattern=INTAKE_TOPICS),
        "directory": loop("directory", handlers.directory(svc), topics=[rt.topic]),
        "transfers-out": loop("transfers-out", handlers.transfers_out(svc),
                              topics=[pathway_topic]),
        "transfers-in": loop("transfers-in", handlers.transfers_in(svc),
                             topics=[envelope.REGION_TRANSFERS]),
    }


def main() -> None:
    svc = services()
    rt = svc.runtime
    pathway_topic = envelope.topic(rt.config.centre, "pathway")
    rt.ensure_topics(envelope.REGION_TRANSFERS, envelope.dlq(envelope.REGION_TRANSFERS),
                     pathway_topic, envelope.dlq(pathway_topic))
    svc.claims.backfill()           # sightings for an index written before they existed
    components = {"relay": rt.relay(routes=ROUTES).run, "anchors": rt.anchorer().run}
    components.update({name: lp.run for name, lp in loops(svc).items()})
    worker.run(rt.config, components)


if __name__ == "__main__":
    main()
