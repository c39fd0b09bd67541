"""The local PostgreSQL 15 cluster under FerretDB: created under `var/`, tuned, started.

Why the tuning (measured on FerretDB 1.24.2, 200,000 documents): FerretDB pushes a
filter down as `WHERE _jsonb->$1 @> $2`, which the btree expression indexes it creates
cannot serve, so every lookup scanned (find by `_id` 0.64 ms at 1,000 documents, 50 ms
at 200,000). A GIN index on the same expressions (`fastupdate = off`, so an insert is
visible to the index at once) serves `@>`; `plan_cache_mode = force_custom_plan` makes
PostgreSQL plan with the key inlined, so the expression matches the index; 1 GB of
shared buffers keeps the indexes in memory. With the three: ≈0.4 ms at 200,000, as at
1,000. An event trigger adds the GIN mirror whenever FerretDB creates a btree index, so
nothing in the services knows about it.
"""
from __future__ import annotations

import hashlib

import os
import pwd
import shutil
import subprocess
from pathlib import Path

from shared.infra.processes import alive, free_port, port_open, wait_until

DATABASE = "ferretdb"

# Runs in the transaction of FerretDB's CREATE INDEX: one GIN index over the same
# expressions (order and collation clauses dropped: GIN has none), named after the btree.
GIN_MIRROR_SQL = r"""
CREATE OR REPLACE FUNCTION cri_gin_mirror() RETURNS event_trigger
LANGUAGE plpgsql AS $fn$
DECLARE
    cmd record;
    idx record;
    cols text;
BEGIN
    FOR cmd IN SELECT * FROM pg_event_trigger_ddl_commands()
               WHERE command_tag = 'CREATE INDEX' AND object_type = 'index' LOOP
        SELECT i.indexrelid, i.indrelid, i.indnatts, c.relname, n.nspname, am.amname,
               i.indexprs IS NOT NULL AS has_exprs
          INTO idx
          FROM pg_index i
          JOIN pg_class c ON c.oid = i.indexrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
          JOIN pg_am am ON am.oid = c.relam
         WHERE i.indexrelid = cmd.objid;
        IF idx.amname <> 'btree' OR NOT idx.has_exprs THEN
            CONTINUE;  -- ours (gin), or not on _jsonb expressions
        END IF;
        SELECT string_agg('(' || pg_get_indexdef(idx.indexrelid, k, true) || ')', ', ')
          INTO cols FROM generate_series(1, idx.indnatts) AS k;
        IF position('_jsonb' in cols) = 0 THEN
            CONTINUE;
        END IF;
        EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I.%I USING gin (%s) '
                       'WITH (fastupdate = off)',
                       left(idx.relname, 59) || '_gin', idx.nspname,
                       (SELECT relname FROM pg_class WHERE oid = idx.indrelid), cols);
    END LOOP;
END
$fn$;
DROP EVENT TRIGGER IF EXISTS cri_gin_mirror;
CREATE EVENT TRIGGER cri_gin_mirror ON ddl_command_end
    WHEN TAG IN ('CREATE INDEX') EXECUTE FUNCTION cri_gin_mirror();
"""

# Compare-and-swap that holds under concurrency. FerretDB 1.24 reads a document in Go,
# applies the update there and writes it back with `UPDATE … WHERE _id = …`: two
# concurrent writers of one document both "match" what they read, and the second
# overwrites the first (measured: 80 concurrent `$inc` of one counter gave 15; 200
# compare-and-swaps on a version field, 55 — even at REPEATABLE READ, since the read is
# outside the transaction). A row trigger closes the gap: an UPDATE whose new `cas` is
# not above the stored one is refused (the second writer's row lock waits for the first,
# then the trigger sees the first one's row); the client sees an error and reads again
# (`shared.store.documents.swap`). On MongoDB the filter alone is atomic. An event
# trigger adds the guard to every FerretDB table as it is created; existing tables get
# it at start-up.
CAS_GUARD_SQL = r"""
CREATE OR REPLACE FUNCTION cri_cas_guard() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
    IF (NEW._jsonb ? 'cas') AND (OLD._jsonb ? 'cas')
       AND (NEW._jsonb -> 'cas') <= (OLD._jsonb -> 'cas') THEN
        RAISE EXCEPTION 'cri-stale-cas: % is not above %', NEW._jsonb -> 'cas',
            OLD._jsonb -> 'cas' USING ERRCODE = '40001';
    END IF;
    RETURN NEW;
END
$fn$;
CREATE OR REPLACE FUNCTION cri_cas_guard_on(rel regclass) RETURNS void
LANGUAGE plpgsql AS $fn$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = rel AND attname = '_jsonb'
                   AND NOT attisdropped) THEN
        RETURN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = rel
                   AND tgname = 'cri_cas_guard') THEN
        EXECUTE format('CREATE TRIGGER cri_cas_guard BEFORE UPDATE ON %s FOR EACH ROW '
                       'EXECUTE FUNCTION cri_cas_guard()', rel);
    END IF;
END
$fn$;
CREATE OR REPLACE FUNCTION cri_cas_guard_new() RETURNS event_trigger
LANGUAGE plpgsql AS $fn$
DECLARE
    cmd record;
BEGIN
    FOR cmd IN SELECT * FROM pg_event_trigger_ddl_commands()
               WHERE command_tag = 'CREATE TABLE' AND object_type = 'table' LOOP
        PERFORM cri_cas_guard_on(cmd.objid::regclass);
    END LOOP;
END
$fn$;
DROP EVENT TRIGGER IF EXISTS cri_cas_guard_new;
CREATE EVENT TRIGGER cri_cas_guard_new ON ddl_command_end
    WHEN TAG IN ('CREATE TABLE') EXECUTE FUNCTION cri_cas_guard_new();
SELECT count(cri_cas_guard_on(c.oid)) FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema');
"""


def bindir() -> Path:
    """Where initdb and pg_ctl are (Debian keeps them out of PATH)."""
    try:
        out = subprocess.run(["pg_config", "--bindir"], check=True, capture_output=True,
                             text=True).stdout.strip()
        if (Path(out) / "pg_ctl").exists():
            return Path(out)
    except (OSError, subprocess.CalledProcessError):
        pass
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "pg_ctl").exists():
            return candidate
    raise RuntimeError("PostgreSQL server binaries not found: install Debian's "
                       "`postgresql` package (make setup does it with apt-get)")


def _as_postgres() -> dict:
    """As root, PostgreSQL refuses to run: run its tools as the `postgres` user."""
    if os.geteuid() != 0:
        return {}
    pw = pwd.getpwnam("postgres")

    def demote():
        os.setgid(pw.pw_gid)
        os.setuid(pw.pw_uid)
    return {"preexec_fn": demote, "user": pw}


def reachable(base: Path) -> Path:
    """Where the cluster lives: `base`, unless (as root) the `postgres` user cannot
    traverse its parent folders — a checkout under /root or a 0700 temporary folder —,
    then a folder of its own under /var/tmp, named after `base` (the same one each time,
    so data survives restarts; `make clean` removes it too)."""
    demote = _as_postgres()
    if not demote:
        return base
    base.parent.mkdir(parents=True, exist_ok=True)
    probe = subprocess.run(["test", "-x", str(base.parent)], preexec_fn=demote["preexec_fn"],
                           cwd="/", check=False)
    if probe.returncode == 0:
        return base
    digest = hashlib.sha256(str(base.resolve()).encode()).hexdigest()[:12]
    return Path("/var/tmp") / f"cri-postgres-{digest}"


class Cluster:
    def __init__(self, base: Path, port: int = 0):
        self.base = reachable(base)
        self.data = self.base / "data"
        self.port = port

    def _run(self, argv: list[str], **kw) -> subprocess.CompletedProcess:
        demote = _as_postgres()
        return subprocess.run(argv, check=True, capture_output=True, text=True,
                              preexec_fn=demote.get("preexec_fn"), cwd="/", **kw)

    def _own(self) -> None:
        self.base.mkdir(parents=True, exist_ok=True)
        demote = _as_postgres()
        if demote:
            pw = demote["user"]
            for path in (self.base, *self.base.rglob("*")):
                os.chown(path, pw.pw_uid, pw.pw_gid, follow_symlinks=False)
            try:
                self._run(["test", "-x", str(self.base)])
            except subprocess.CalledProcessError:
                raise RuntimeError(f"the postgres user cannot reach {self.base}: give its "
                                   "parent folders o+x, or set CRI_VAR_DIR elsewhere") from None

    def start(self, record) -> dict:
        bins = bindir()
        if not (self.data / "PG_VERSION").exists():
            shutil.rmtree(self.data, ignore_errors=True)
            self._own()
            self._run([str(bins / "initdb"), "-D", str(self.data), "-U", "postgres",
                       "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"])
        port_file = self.base / "port"
        port = int(port_file.read_text()) if port_file.exists() else (self.port or free_port())
        if port_open(port):
            raise RuntimeError(f"port {port} for PostgreSQL is already taken")
        conf = self.data / "postgresql.auto.conf"
        conf.write_text("\n".join([
            f"port = {port}", "listen_addresses = '127.0.0.1'",
            f"unix_socket_directories = '{self.base}'",
            f"shared_buffers = '{os.environ.get('CRI_PG_SHARED_BUFFERS', '1GB')}'",
            "plan_cache_mode = force_custom_plan",
            # durable by default; tests may trade the last few ms of an OS crash for speed
            f"synchronous_commit = {os.environ.get('CRI_PG_SYNCHRONOUS_COMMIT', 'on')}",
            "max_connections = 300", "logging_collector = off",
            "log_min_messages = warning", "autovacuum = on",
        ]) + "\n")
        port_file.write_text(str(port))
        self._own()
        log = self.base / "server.log"
        demote = _as_postgres()
        with open(log, "ab") as out:
            proc = subprocess.Popen([str(bins / "postgres"), "-D", str(self.data)],
                                    stdout=out, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, start_new_session=True,
                                    preexec_fn=demote.get("preexec_fn"), cwd="/")
        entry = {"pid": proc.pid, "port": port, "data": str(self.data)}
        record(entry)

        def ready() -> bool:
            if not alive(proc.pid):
                raise RuntimeError("PostgreSQL exited during start-up\n" +
                                   log.read_text(errors="replace")[-2000:])
            return self._psql("postgres", "SELECT 1", check=False).returncode == 0
        wait_until(ready, 60, "PostgreSQL", log)
        if self._psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'"
                      ).stdout.strip() != "1":
            self._psql("postgres", f"CREATE DATABASE {DATABASE}")
        self._psql(DATABASE, GIN_MIRROR_SQL)
        self._psql(DATABASE, CAS_GUARD_SQL)
        return entry

    def _psql(self, db: str, sql: str, check: bool = True) -> subprocess.CompletedProcess:
        demote = _as_postgres()
        return subprocess.run([str(bindir() / "psql"), "-X", "-q", "-t", "-A",
                               "-v", "ON_ERROR_STOP=1", "-h", str(self.base), "-p",
                               str(self.port_in_use()), "-U", "postgres", "-d", db],
                              input=sql, capture_output=True, text=True, check=check,
                              preexec_fn=demote.get("preexec_fn"), cwd="/")

    def port_in_use(self) -> int:
        return int((self.base / "port").read_text())

    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port_in_use()}/{DATABASE}"

    def sql(self, sql: str) -> str:
        """Run SQL on FerretDB's database (tests inspect plans and indexes with it)."""
        return self._psql(DATABASE, sql).stdout
