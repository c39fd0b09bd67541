"""The partners service's worker process: outbox relay (and its consumers)."""
from __future__ import annotations

from shared import worker

from services.partners.bootstrap import services


def main() -> None:
    rt = services().runtime
    rt.ensure_topics()
    worker.run(rt.config, {"relay": rt.relay().run, "anchors": rt.anchorer().run})


if __name__ == "__main__":
    main()
