"""What every intake endpoint does first: who calls, for which centre, with which role;
and how versions travel (ETag out, If-Match in)."""
from __future__ import annotations

from flask import request

from shared.auth import Principal
from shared.web.app import caller, if_match
from shared import wiring
from services.intake.bootstrap import IntakeServices

READERS = ("accueil", "coordination", "dpo")
STAFF = (*READERS, "auditeur")      # reference lists: the centre's staff, not partners


def guard(*roles: str) -> Principal:
    """403 for a token of another centre (the region included: personal data stays in
    the centre), then 403 without one of `roles`."""
    return caller(*roles)


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
