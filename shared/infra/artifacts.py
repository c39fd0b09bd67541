"""Fetch and cache the infrastructure binaries (Kafka classpath, FerretDB binary)."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

KAFKA_VERSION = "4.1.1"
FERRETDB_VERSION = "v1.24.2"
_POM = Path(__file__).resolve().parents[2] / "deploy" / "local" / "kafka-pom.xml"


def cache_dir() -> Path:
    base = os.environ.get("CRI_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "cri")
    path = Path(base)
    path.mkdir(parents=True, exist_ok=True)
    return path


def kafka_libs() -> Path:
    """Directory with the broker's runtime jars; resolved once with mvn, then reused."""
    target = cache_dir() / f"kafka-{KAFKA_VERSION}" / "libs"
    marker = target / ".complete"
    if marker.exists():
        return target
    tmp = target.with_name("libs.partial")
    shutil.rmtree(tmp, ignore_errors=True)
    subprocess.run(
        ["mvn", "-q", "-B", "-f", str(_POM), "dependency:copy-dependencies",
         f"-DoutputDirectory={tmp}", "-DincludeScope=runtime"],
        check=True)
    shutil.rmtree(target, ignore_errors=True)
    tmp.rename(target)
    marker.touch()
    return target


def ferretdb_binary() -> Path:
    """FerretDB built from its Go module at the pinned version.

    A plain `go install …@v1.24.2` builds a binary that panics at start: the module
    archive lacks build/version/version.txt. So we copy the module source, write the
    version file, and `go build` it (all inputs from the Go module proxy).
    """
    binary = cache_dir() / f"ferretdb-{FERRETDB_VERSION}" / "ferretdb"
    if binary.exists():
        return binary
    module = "github.com/FerretDB/FerretDB"
    out = subprocess.run(["go", "mod", "download", "-json", f"{module}@{FERRETDB_VERSION}"],
                         check=True, capture_output=True, text=True, cwd=cache_dir())
    import json
    src = Path(json.loads(out.stdout)["Dir"])
    work = binary.parent / "src"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(src, work)
    for p in work.rglob("*"):
        p.chmod(p.stat().st_mode | 0o200)
    (work / "build" / "version" / "version.txt").write_text(FERRETDB_VERSION + "\n")
    subprocess.run(["go", "build", "-o", str(binary) + ".partial", "./cmd/ferretdb"],
                   check=True, cwd=work, env={**os.environ, "CGO_ENABLED": "0"})
    os.replace(str(binary) + ".partial", binary)
    shutil.rmtree(work, ignore_errors=True)
    return binary
