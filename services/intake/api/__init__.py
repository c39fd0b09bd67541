"""Intake's HTTP API under /api/v1 (flask-smorest blueprints, OpenAPI at /api/v1/openapi.json)."""
from __future__ import annotations


def blueprints() -> list:
    from services.intake.api import dpo, persons, records, reference
    return [persons.blp, records.blp, dpo.blp, reference.blp]
