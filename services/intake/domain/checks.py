"""Input checks shared by the command decisions: field-level ValidationFailed in French
(English variant alongside), gathered so the reception agent sees every problem at once.
"""
from __future__ import annotations

from typing import Any, Callable

from shared.errors import ValidationFailed


def fail(field: str, message: str, english: str) -> ValidationFailed:
    return ValidationFailed(message, message_en=english, fields={field: [message]},
                            extra={"fields_en": {field: [english]}})


def english_fields(exc: ValidationFailed) -> dict[str, list[str]]:
    """The English field messages, or the English summary for each field."""
    return exc.extra.get("fields_en") or {name: [exc.message_en] for name in exc.fields}


def require_text(field: str, value: Any, message: str = "Champ obligatoire.") -> str:
    """The stripped text, or ValidationFailed when missing or blank."""
    if not isinstance(value, str) or not value.strip():
        raise fail(field, message, "Required field.")
    return value.strip()


def gather(*checks: Callable[[], Any]) -> None:
    """Run every check and raise one ValidationFailed with all field messages."""
    fields: dict[str, list[str]] = {}
    fields_en: dict[str, list[str]] = {}
    for check in checks:
        try:
            check()
        except ValidationFailed as exc:
            for name, messages in exc.fields.items():
                fields.setdefault(name, []).extend(messages)
            for name, messages in english_fields(exc).items():
                fields_en.setdefault(name, []).extend(messages)
    if fields:
        single = len(fields) == 1
        raise ValidationFailed(next(iter(fields.values()))[0] if single else "Données invalides.",
                               message_en=next(iter(fields_en.values()))[0] if single
                               else "Invalid data.", fields=fields,
                               extra={"fields_en": fields_en})
