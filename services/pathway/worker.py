"""The pathway service's worker process: outbox relay (own topic, and region transfer
messages through its routes), the consumers, and the periodic non-compliance pass."""
from __future__ import annotations

from shared import worker
from shared.events import envelope

from services.pathway.bootstrap import ROUTES, services
from services.pathway.consumers.loops import loops, topics
from services.pathway.service_layer.noncompliance import periodic


def main() -> None:
    svc = services()
    rt = svc.runtime
    names = set(topics(svc.centre).values())
    extra = (names | {envelope.dlq(t) for t in names}) - {rt.topic, envelope.dlq(rt.topic)}
    rt.ensure_topics(*sorted(extra))
    components = {"relay": rt.relay(routes=ROUTES).run, "anchors": rt.anchorer().run,
                  "non-compliance": periodic(svc)}
    components.update({f"consumer-{name}": loop.run for name, loop in loops(svc).items()})
    worker.run(rt.config, components)


if __name__ == "__main__":
    main()
