from __future__ import annotations

import pytest

from . import journey as j


@pytest.fixture(scope="package")
def journey(stack):
    return j.run(stack)
