"""Where the local PostgreSQL cluster lives when the checkout is out of the `postgres`
user's reach (a clone under /root or in a 0700 temporary folder, as root)."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from shared.infra.postgres import reachable

# The relocation only exists for root, which runs the cluster as `postgres`.
pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="only root relocates the cluster")


def test_a_base_postgres_cannot_reach_moves_to_var_tmp_the_same_each_time():
    hidden = Path(tempfile.mkdtemp())            # mode 0700: postgres cannot traverse it
    moved = reachable(hidden / "var" / "postgres")
    assert moved.parent == Path("/var/tmp") and moved.name.startswith("cri-postgres-")
    assert reachable(hidden / "var" / "postgres") == moved


def test_a_reachable_base_stays_where_it_is():
    shown = Path(tempfile.mkdtemp())
    shown.chmod(0o755)
    assert reachable(shown / "var" / "postgres") == shown / "var" / "postgres"
