"""Start, track and stop the background processes that the launcher owns.

Each process runs in its own session (process group) so that `down` can stop it and
everything it spawned, and survives the `cri` command that started it. What runs is
recorded in a JSON state file; a second `up` reuses live entries.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child of ours counts as gone.
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ", 1)[1][0] != "Z"
    except OSError:
        return True


# Never inherited from the launcher's own environment: a process gets a secret only when
# its caller passes it (`Stack.env_for`: intake alone).
SECRET_VARIABLES = ("CRI_MASTER_KEY", "CRI_MASTER_KEY_FILE", "CRI_REGIONAL_SECRET",
                    "CRI_REGIONAL_SECRET_FILE", "CRI_CENTRE_PRIVATE_KEY_FILE",
                    "CRI_SIGNING_KEY_FILE")


def spawn(argv: list[str], log: Path, env: dict | None = None, cwd: Path | None = None) -> int:
    log.parent.mkdir(parents=True, exist_ok=True)
    inherited = {k: v for k, v in os.environ.items() if k not in SECRET_VARIABLES}
    with open(log, "ab") as out:
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True,
                                env={**inherited, **(env or {})}, cwd=cwd)
    return proc.pid


def stop(pid: int, timeout: float = 20.0) -> None:
    """SIGTERM the process group, then SIGKILL what is left after `timeout`."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.time() + timeout
        while time.time() < deadline:
            if not alive(pid):
                _reap(pid)
                return
            time.sleep(0.1)


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def wait_until(check, timeout: float, what: str, log: Path | None = None) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if check():
            return
        time.sleep(0.25)
    tail = ""
    if log and log.exists():
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-20:])
    raise RuntimeError(f"{what} did not become ready within {timeout:.0f}s\n{tail}")


class StateFile:
    """JSON record of what this launcher started, keyed by component name."""

    def __init__(self, path: Path):
        self.path = path

    def read(self) -> dict:
        if self.path.exists():
            return json.loads(self.path.read_text())
        return {}

    def write(self, state: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(state, indent=2))
        tmp.replace(self.path)
