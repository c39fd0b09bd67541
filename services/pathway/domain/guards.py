"""Guards and error builders shared by the pathway decisions (no business rule here).

Errors are French first with an English variant; input errors are field-level.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any, Iterable

from shared.errors import DomainRuleViolation, ValidationFailed

from .state import PathwayState
from .vocab import CENTRE_ID_PATTERN


def violation(fr: str, en: str, **extra: Any) -> DomainRuleViolation:
    return DomainRuleViolation(fr, message_en=en, extra=extra)


class Problems:
    """Collects field-level input errors so one ValidationFailed reports them all."""

    def __init__(self) -> None:
        self._items: dict[str, list[tuple[str, str]]] = {}

    def add(self, field: str, fr: str, en: str) -> None:
        self._items.setdefault(field, []).append((fr, en))

    def choice(self, field: str, value: Any, allowed: Iterable[str]) -> None:
        allowed = tuple(allowed)
        if value not in allowed:
            self.add(field, f"valeur inconnue, attendu : {', '.join(allowed)}",
                     f"unknown value, expected one of: {', '.join(allowed)}")

    def not_future(self, field: str, value: date | None, today: date) -> None:
        if value is not None and value > today:
            self.add(field, "la date ne peut pas être dans le futur",
                     "the date cannot be in the future")

    def required(self, field: str, value: Any) -> None:
        if value is None or (isinstance(value, str) and not value.strip()):
            self.add(field, "champ obligatoire", "field required")

    def centre(self, field: str, value: Any) -> None:
        if not isinstance(value, str) or not re.match(CENTRE_ID_PATTERN, value):
            self.add(field, "identifiant de centre invalide", "invalid centre id")

    def raise_if_any(self) -> None:
        if not self._items:
            return
        fr = "; ".join(f"{k} : {m[0]}" for k, ms in self._items.items() for m in ms)
        en = "; ".join(f"{k}: {m[1]}" for k, ms in self._items.items() for m in ms)
        raise ValidationFailed(
            f"données invalides — {fr}", message_en=f"invalid input — {en}",
            fields={k: [m[0] for m in ms] for k, ms in self._items.items()},
            extra={"fields_en": {k: [m[1] for m in ms] for k, ms in self._items.items()}})


def require_active(state: PathwayState) -> None:
    """Every command but opening and reception needs an open pathway here."""
    if state.status == "transferred":
        raise violation(
            f"parcours transféré vers le centre {state.forwarded_to} : "
            "plus aucune opération n'est possible ici",
            f"pathway transferred to centre {state.forwarded_to}: no further "
            "operation is possible here", forwarded_to=state.forwarded_to)
    if state.status != "open":
        raise violation("aucun parcours ouvert pour cette personne",
                        "no open pathway for this person")


def require_not_completed(state: PathwayState) -> None:
    """Once a valid attestation exists, the pathway is over: its clock stays as it is."""
    if state.has_valid_attestation:
        raise violation("parcours terminé : une attestation de fréquentation a été délivrée",
                        "pathway completed: an attendance certificate was issued")


def require_convention(state: PathwayState) -> None:
    if state.convention is None:
        raise violation("la convention d'accueil n'est pas encore signée",
                        "the reception agreement (convention d'accueil) is not signed yet")
