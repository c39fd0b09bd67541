"""`cri`: the project's command-line tool (infrastructure, stack, tokens, audit)."""
from __future__ import annotations

import json
import sys

import click

from shared.paths import var_dir


def _echo(obj) -> None:
    click.echo(json.dumps(obj, indent=2, ensure_ascii=False))


@click.group()
def main() -> None:
    """Outils de la plateforme CRI / CRI platform tools."""


@main.group()
def infra() -> None:
    """Local Kafka (KRaft) and FerretDB, started without Docker."""


def _infra(kafka_port: int = 0, mongo_port: int = 0):
    from shared.infra.launcher import Infra
    return Infra(var_dir(), kafka_port, mongo_port)


@infra.command("up")
@click.option("--kafka-port", type=int, default=0, envvar="CRI_KAFKA_PORT",
              help="Broker port (0: a free one).")
@click.option("--mongo-port", type=int, default=0, envvar="CRI_MONGO_PORT",
              help="FerretDB port (0: a free one).")
def infra_up(kafka_port: int, mongo_port: int) -> None:
    """Start (or reuse) Kafka and FerretDB; print their addresses as JSON."""
    _echo(_infra(kafka_port, mongo_port).up())


@infra.command("down")
def infra_down() -> None:
    """Stop exactly what `infra up` started."""
    _echo({"stopped": _infra().down()})


@infra.command("status")
def infra_status() -> None:
    """Say what runs."""
    _echo(_infra().status())


if __name__ == "__main__":
    sys.exit(main())
