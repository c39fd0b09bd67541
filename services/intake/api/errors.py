"""English field messages for validation problems raised outside `checks.gather`.

The shared handler answers in English with `extra["fields_en"]` when present; domain
helpers that raise a single-field ValidationFailed carry only `message_en`, so this
fills `fields_en` from it before the shared handler formats the problem."""
from __future__ import annotations

from flask import Flask

from shared.errors import CriError, ValidationFailed
from services.intake.domain.checks import english_fields


def install(app: Flask) -> None:
    shared_handler = app.error_handler_spec[None][None][CriError]

    @app.errorhandler(ValidationFailed)
    def _validation(exc: ValidationFailed):
        exc.extra.setdefault("fields_en", english_fields(exc))
        return shared_handler(exc)
