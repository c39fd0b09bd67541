"""One exception hierarchy for the whole platform, mapped once to problem+json.

Domain code raises these; `shared.web.problems` turns them into RFC 9457 responses.
Messages are French first (the users' language); `message_en` is the English variant.
"""
from __future__ import annotations


class CriError(Exception):
    """Base of every error the platform raises on purpose."""

    status = 500
    slug = "internal-error"
    title = "Erreur interne"

    def __init__(self, message: str, *, message_en: str | None = None,
                 fields: dict[str, list[str]] | None = None, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.message_en = message_en or message
        self.fields = fields or {}
        self.extra = extra or {}


class ValidationFailed(CriError):
    """Input that breaks a rule: field-level messages, nothing written."""

    status = 422
    slug = "validation-failed"
    title = "Données invalides"


class DomainRuleViolation(CriError):
    """A command that the aggregate's current state does not allow."""

    status = 409
    slug = "rule-violation"
    title = "Opération non permise dans l'état actuel"


class NotFound(CriError):
    status = 404
    slug = "not-found"
    title = "Introuvable"


class Gone(CriError):
    """The data existed but was erased (crypto-shredded)."""

    status = 410
    slug = "erased"
    title = "Données effacées"


class Unauthorized(CriError):
    status = 401
    slug = "unauthorized"
    title = "Authentification requise"


class Forbidden(CriError):
    status = 403
    slug = "forbidden"
    title = "Accès refusé"


class ConcurrencyError(CriError):
    """Someone else wrote this stream version first (optimistic concurrency)."""

    status = 409
    slug = "concurrency-conflict"
    title = "Conflit de version"


class PreconditionFailed(ConcurrencyError):
    """If-Match did not match the aggregate's current version."""

    status = 412
    slug = "precondition-failed"
    title = "Version périmée"


class PreconditionRequired(CriError):
    status = 428
    slug = "precondition-required"
    title = "En-tête If-Match requis"


class UnknownEventType(CriError):
    status = 500
    slug = "unknown-event-type"
    title = "Type d'événement inconnu"


class InvalidEvent(CriError):
    status = 500
    slug = "invalid-event"
    title = "Événement invalide"


class PayloadTooLarge(CriError):
    """A request body or a commit beyond the platform's size limits: nothing written."""

    status = 413
    slug = "payload-too-large"
    title = "Contenu trop volumineux"


class StoreUnavailable(CriError):
    """The store (or the broker) cannot be reached: retry later (503 + Retry-After)."""

    status = 503
    slug = "store-unavailable"
    title = "Service momentanément indisponible"
