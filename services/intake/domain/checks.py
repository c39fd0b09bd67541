"""Input checks shared by the command decisions: field-level ValidationFailed in French
(English variant alongside), gathered so the reception agent sees every problem at once.
"""
from __future__ import annotations

from typing import Any, Callable

from shared.errors import ValidationFailed


def fail(field: str, message: str, english: str) -> ValidationFailed:
    return ValidationFailed(message, message_en=english, fields={field: [message]})


def require_text(field: str, value: Any, message: str = "Champ obligatoire.") -> str:
    """The stripped text, or ValidationFailed when missing or blank."""
    if not isinstance(value, str) or not value.strip():
        raise fail(field, message, "Required field.")
    return value.strip()


def gather(*checks: Callable[[], Any]) -> None:
    """Run every check and raise one ValidationFailed with all field messages."""
    fields: dict[str, list[str]] = {}
    for check in checks:
        try:
            check()
        except ValidationFailed as exc:
            for name, messages in exc.fields.items():
                fields.setdefault(name, []).extend(messages)
    if fields:
        first = next(iter(fields.values()))[0]
        raise ValidationFailed(first if len(fields) == 1 else "Données invalides.",
                               message_en="Invalid data.", fields=fields)
