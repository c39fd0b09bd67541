"""`cri`: the project's command-line tool (infrastructure, stack, tokens, audit,
publications)."""
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


@infra.command("fetch")
def infra_fetch() -> None:
    """Resolve and cache the Kafka jars and the FerretDB binary (no start)."""
    from shared.infra import artifacts
    _echo({"kafka_libs": str(artifacts.kafka_libs()),
           "ferretdb": str(artifacts.ferretdb_binary())})


@infra.command("down")
def infra_down() -> None:
    """Stop exactly what `infra up` started."""
    _echo({"stopped": _infra().down()})


@infra.command("status")
def infra_status() -> None:
    """Say what runs."""
    _echo(_infra().status())


def _centres(value: str) -> tuple[str, ...]:
    return tuple(c.strip() for c in value.split(",") if c.strip())


def _stack(centres: str):
    from shared.infra.stack import Stack
    return Stack(var_dir(), _centres(centres))


def _endpoints() -> dict:
    """External services when the environment names them, else the local launcher."""
    import os
    if os.environ.get("KAFKA_BOOTSTRAP_SERVERS") and os.environ.get("MONGODB_URI"):
        return {"kafka_bootstrap_servers": os.environ["KAFKA_BOOTSTRAP_SERVERS"],
                "mongodb_uri": os.environ["MONGODB_URI"]}
    return _infra().up()


CENTRES_OPT = click.option("--centres", default="cripel,cai", envvar="CRI_CENTRES",
                           show_default=True, help="Comma-separated centre ids.")


@main.command()
@CENTRES_OPT
@click.option("--detach", is_flag=True, help="Start in the background and return.")
@click.option("--demo/--no-demo", default=True, help="Load the demo data if the stores are empty.")
def up(centres: str, detach: bool, demo: bool) -> None:
    """Start infrastructure and services for the centres; print URLs as JSON."""
    stack = _stack(centres)
    urls = stack.up(_endpoints())
    if demo:
        from services import demo as demo_data
        urls["demo"] = demo_data.seed_if_empty(stack, urls)
    _echo(urls)
    for centre, url in urls.get("portals", {}).items():
        click.echo(f"Portail du personnel {centre} : {url}/  (connexion : choisir un "
                   f"utilisateur de démonstration)", err=True)
    click.echo(f"Tableau de bord régional : {urls['dashboard']}", err=True)
    if detach:
        return
    import signal
    import threading
    click.echo("Plateforme démarrée. Ctrl-C pour tout arrêter.", err=True)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        stack.supervise(threading.Event())   # restarts a process that dies, until Ctrl-C
    except KeyboardInterrupt:
        pass
    finally:
        click.echo("Arrêt…", err=True)
        stack.down()
        _infra().down()


@main.command()
@CENTRES_OPT
def down(centres: str) -> None:
    """Stop the services and the infrastructure that `up` started."""
    _echo({"services": _stack(centres).down(), "infra": _infra().down()})


@main.command()
@CENTRES_OPT
def status(centres: str) -> None:
    """What runs: infrastructure and service processes."""
    _echo({"infra": _infra().status(), "services": _stack(centres).status()})


@main.command()
@click.option("--role", "roles", multiple=True, required=True,
              help="accueil, coordination, partenaire, analyste, auditeur, dpo (repeatable).")
@click.option("--centre", required=True, help="Centre id, or 'region'.")
@click.option("--operator", default=None, help="Operator id (partenaire role).")
@click.option("--subject", default=None)
@click.option("--ttl", default=8 * 3600, show_default=True)
def token(roles, centre, operator, subject, ttl) -> None:
    """Print a bearer token from the local dev issuer."""
    from shared.auth import ROLES, DevIssuer
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise click.BadParameter(f"unknown role(s) {unknown}; known: {sorted(ROLES)}")
    click.echo(DevIssuer(var_dir() / "dev-issuer").token(list(roles), centre, subject,
                                                          operator, ttl))


def region_routed_types() -> set[str]:
    """Event types that services route to cri.region.transfers."""
    from services.intake.worker import ROUTES
    from services.pathway.domain.event_names import REGION_MESSAGES
    return set(ROUTES) | set(REGION_MESSAGES)


@main.command()
def asyncapi() -> None:
    """Print the AsyncAPI 3 document of every channel and message (JSON)."""
    from shared.events.asyncapi import document
    from services.catalog import build_registry
    _echo(document(build_registry(), region_routed_types()))


@main.group()
def audit() -> None:
    """Audit tools: hash-chain verification."""


def _audit_keys(keys_dir: str | None) -> dict[str, bytes]:
    """centre -> audit key: CRI_AUDIT_KEY (with CRI_CENTRE) or <keys-dir>/<centre>/audit_key."""
    import base64
    import os
    from pathlib import Path
    keys = {}
    root = Path(keys_dir) if keys_dir else var_dir() / "secrets"
    if root.is_dir():
        for f in root.glob("*/audit_key"):
            keys[f.parent.name] = base64.b64decode(f.read_text().strip())
    if os.environ.get("CRI_AUDIT_KEY") and os.environ.get("CRI_CENTRE"):
        keys[os.environ["CRI_CENTRE"]] = base64.b64decode(os.environ["CRI_AUDIT_KEY"])
    return keys


def _anchored(bootstrap: str, keys: dict[str, bytes]) -> dict:
    from shared import bus
    from shared.anchors import read_anchored
    consumer = bus.consumer(bootstrap, None)
    try:
        return read_anchored(consumer, keys)
    finally:
        consumer.close()


def _store_source(db_name: str) -> str:
    """cri_<centre>_<service> -> /cri/<centre>/<service> (whose anchors apply)."""
    _, centre, service = (db_name.split("_", 2) + ["", ""])[:3]
    return f"/cri/{centre}/{service}"


@audit.command("verify")
@click.option("--db", "dbs", multiple=True, help="Database(s) to verify (default: every cri_* store).")
@click.option("--mongodb-uri", envvar="MONGODB_URI", default=None)
@click.option("--kafka", "kafka", envvar="KAFKA_BOOTSTRAP_SERVERS", default=None,
              help="Broker whose cri.region.anchors topic holds the anchored chain heads.")
@click.option("--keys-dir", default=None, help="Folder of <centre>/audit_key files "
              "(default: var/secrets).")
@click.option("--no-anchors", is_flag=True, help="Chains only: skip the anchored heads.")
def audit_verify(dbs, mongodb_uri, kafka, keys_dir, no_anchors) -> None:
    """Recompute every stream's hash chain (HMAC with each centre's audit key) and compare
    with the heads anchored on the region topic; exit 1 naming each altered, deleted or
    truncated stream and version."""
    import pymongo
    from shared.store import audit
    from shared.store.layout import is_commit
    uri = mongodb_uri or _infra().endpoints()["mongodb_uri"]
    client = pymongo.MongoClient(uri, serverSelectionTimeoutMS=5000)
    present = sorted(n for n in client.list_database_names() if n.startswith("cri_"))
    names = list(dbs) or present
    keys = _audit_keys(keys_dir)
    anchored = {} if no_anchors else _anchored(
        kafka or _infra().endpoints()["kafka_bootstrap_servers"], keys)
    bad = 0
    if not dbs:
        for source in sorted(anchored):
            name = "cri_" + "_".join(source.split("/")[2:4])
            if name not in present:
                bad += 1
                click.echo(f"ALTÉRÉ {name}: base supprimée ({len(anchored[source])} flux ancrés)")
    for name in names:
        collection = client[name]["commits"]
        centre = _store_source(name).split("/")[2]
        problems = audit.verify(collection, key=keys.get(centre),
                                anchored=anchored.get(_store_source(name), {}))
        count = sum(1 for d in collection.find({}, {"stream_id": 1, "version": 1})
                    if is_commit(d))
        if problems:
            bad += len(problems)
            for p in problems:
                click.echo(f"ALTÉRÉ {name}: {p}")
        else:
            click.echo(f"ok {name}: {count} commits vérifiés")
    sys.exit(1 if bad else 0)


@main.group()
def reporting() -> None:
    """Regional statistics: the frozen periodic publications."""


@reporting.command("publish")
@click.option("--period", required=True, help="The month published, AAAA-MM (e.g. 2026-11).")
@click.option("--correct", is_flag=True,
              help="Recompute: a new revision (with its date) if any table changed.")
@click.option("--db", "db_name", default=None, envvar="MONGODB_DB",
              help="Reporting's database (default: cri_region_reporting).")
@click.option("--mongodb-uri", envvar="MONGODB_URI", default=None)
def reporting_publish(period, correct, db_name, mongodb_uri) -> None:
    """Freeze every published table of the period's year as a publication; print it.
    A period already published is left as it is (idempotent) unless --correct."""
    from shared.errors import CriError
    from services.reporting.bootstrap import DATABASE, on_store
    from services.reporting.domain.periods import Period
    try:
        wanted = Period.parse(period)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--period") from None
    uri = mongodb_uri or _infra().endpoints()["mongodb_uri"]
    try:
        with on_store(uri, db_name or DATABASE) as reporting:
            done, written = reporting.publications.publish(wanted, correct=correct)
    except CriError as exc:
        raise click.ClickException(exc.message) from None
    _echo({**{k: v for k, v in done.items() if k != "digest"}, "written": written})


if __name__ == "__main__":
    sys.exit(main())
