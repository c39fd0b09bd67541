"""How the pages write things: dates as dd/mm/yyyy, hours with a comma, French labels.

The services record moments in UTC; a page shows them on Belgian time
(Europe/Brussels, summer time included): 2026-11-30T23:10Z is 01/12/2026 00:10."""
from __future__ import annotations

from datetime import date, datetime, timezone

from flask import Flask

from shared.clock import BRUSSELS


def _moment(value) -> datetime | None:
    """A timestamp (ISO text or datetime) on Belgian time; naive ones are UTC."""
    if isinstance(value, datetime):
        moment = value
    else:
        text = str(value)
        if len(text) <= 10 or text[10] not in "T ":
            return None                            # a calendar day, not a moment
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(BRUSSELS)


def date_fr(value) -> str:
    """'2026-11-30' -> '30/11/2026'; a moment -> its Belgian day; '' for nothing."""
    if not value:
        return ""
    moment = _moment(value)
    if moment is not None:
        return moment.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    try:
        return date.fromisoformat(str(value)[:10]).strftime("%d/%m/%Y")
    except ValueError:
        return str(value)


def datetime_fr(value) -> str:
    """'2026-07-01T08:05:00Z' -> '01/07/2026 10:05' (Belgian time); '' for nothing."""
    if not value:
        return ""
    moment = _moment(value)
    return str(value) if moment is None else moment.strftime("%d/%m/%Y %H:%M")


def parse_date_fr(text: str) -> str | None:
    """'30/11/2026' (or the browser's '2026-11-30') -> '2026-11-30'; None when empty;
    the text as typed when it is no date (the API then names the field)."""
    text = (text or "").strip()
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return text


def hours(value) -> str:
    if value is None:
        return ""
    number = float(value)
    return (f"{number:.0f}" if number == int(number) else f"{number:.1f}").replace(".", ",")


def install(app: Flask) -> None:
    app.jinja_env.filters.update(date_fr=date_fr, datetime_fr=datetime_fr, hours=hours)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
