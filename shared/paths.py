"""Where the project keeps its local state (var/) — overridable for tests."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def var_dir() -> Path:
    path = Path(os.environ.get("CRI_VAR_DIR", ROOT / "var"))
    path.mkdir(parents=True, exist_ok=True)
    return path
