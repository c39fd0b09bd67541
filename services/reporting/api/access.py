"""Who may read which published figures.

Every figure served is aggregated and suppressed. The analyst, the auditor and the
coordinator read them; a token of the region ("region") reads any centre, a centre's
token reads the regional tables or its own centre's column, never another centre's
column on its own.
"""
from __future__ import annotations

from shared.auth import Principal
from shared.errors import Forbidden

READERS = ("analyste", "auditeur", "coordination")
REGION = "region"


def allowed_centre(who: Principal, requested: str | None) -> str | None:
    who.require(*READERS)
    if requested is None or who.centre in (REGION, requested):
        return requested
    raise Forbidden(f"les chiffres propres au centre {requested} sont réservés à ce centre et "
                    "à la région ; les chiffres régionaux restent accessibles",
                    message_en=f"centre {requested}'s own figures are for that centre and "
                               "the region; the regional figures are available")
