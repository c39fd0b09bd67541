"""What every intake endpoint does first: who calls, for which centre, with which role;
and how versions travel (ETag out, If-Match in)."""
from __future__ import annotations

from flask import request

from shared.auth import Principal
from shared.errors import Forbidden
from shared.web.app import config, if_match, principal
from shared import wiring
from services.intake.bootstrap import IntakeServices

READERS = ("accueil", "coordination", "dpo")


def guard(*roles: str) -> Principal:
    """403 for a token of another centre (the region included: personal data stays in
    the centre), then 403 without one of `roles`."""
    who = principal()
    centre = config().centre
    who.require_centre(centre)
    if who.centre != centre:
        raise Forbidden(f"données personnelles réservées aux agents du centre {centre}",
                        message_en=f"personal data is for staff of centre {centre} only")
    who.require(*roles)
    return who


def svc() -> IntakeServices:
    """The services of the app serving this request (see `shared.wiring`)."""
    return wiring.current()


def expected_version() -> int:
    """The version the client saw: If-Match is required on every update (428)."""
    value = if_match(required=True)
    assert value is not None
    return value


def optional_version() -> int | None:
    return if_match(required=False)


def etag(version: int) -> dict[str, str]:
    return {"ETag": f'"{version}"'}


def purpose(args: dict) -> str | None:
    return args.get("purpose") or request.headers.get("X-Purpose")
