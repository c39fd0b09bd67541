"""Wires the partners service's I/O: one Runtime per process, built on first use."""
from __future__ import annotations

from functools import lru_cache

from shared.config import Config
from shared.runtime import Runtime


@lru_cache(maxsize=1)
def runtime() -> Runtime:
    return Runtime(Config.from_env("partners"))
