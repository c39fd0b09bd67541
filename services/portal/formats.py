"""How the pages write things: dates as dd/mm/yyyy, hours with a comma, French labels."""
from __future__ import annotations

from datetime import date, datetime

from flask import Flask


def date_fr(value) -> str:
    """'2026-11-30' or '2026-11-30T10:00:00Z' -> '30/11/2026'; '' for nothing."""
    if not value:
        return ""
    if isinstance(value, (date, datetime)):
        return value.strftime("%d/%m/%Y")
    try:
        return date.fromisoformat(str(value)[:10]).strftime("%d/%m/%Y")
    except ValueError:
        return str(value)


def datetime_fr(value) -> str:
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)
    return moment.strftime("%d/%m/%Y %H:%M")


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
