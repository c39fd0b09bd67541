"""The platform's one clock: Belgian calendar days and times (Europe/Brussels).

Legal dates (deadlines, session days, "today" in a decision) are Belgian calendar days
whatever the server's time zone. Every service's bootstrap injects `today`/`now` from
here into its service layer, so tests pass a fixed day instead.
"""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")


def now() -> datetime:
    return datetime.now(BRUSSELS)


def today() -> date:
    return now().date()
