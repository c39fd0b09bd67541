"""The in-memory store passes the same single-threaded compare-and-swap and rate-limit
counter cases as the real one (tests/integration/foundation/); the concurrent cases are
the real store's only: mongomock is not thread-safe."""
from __future__ import annotations

import pytest

from shared.store.memory import memory_database
from tests.integration.foundation.test_compare_and_swap import (  # noqa: F401
    test_a_document_written_before_it_had_a_counter_is_swapped_once)
from tests.integration.foundation.test_rate_limit_counters import (  # noqa: F401
    test_the_next_window_starts_from_one, test_two_processes_count_against_one_limit)


@pytest.fixture
def db():
    return memory_database()


@pytest.fixture
def collection():
    return memory_database()["rate_limits"]
