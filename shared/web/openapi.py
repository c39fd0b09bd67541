"""What every service's OpenAPI document says about errors, in one place.

flask-smorest documents its own `Error` schema as `application/json`; every error here
is an RFC 9457 `application/problem+json` body (`shared.web.problems`). So:
- `ProblemSchema` is the documented error body, `CriApi` registers it with the
  problem+json content type for every status (the `default` response included);
- `ErrorResponses` (an apispec plugin) documents on each operation the error statuses
  the shared layers can answer: 401/403/414/422/503 everywhere, 400/413/409 on writes,
  404/410 where the path names a resource;
- `exclusive_bounds` documents a `Range` that excludes its bound (apispec does not);
- `if_match_doc()` documents the `If-Match` header of an update (and its 412/428).
schemathesis (tests/e2e/zzz_openapi) checks every response against this document.
"""
from __future__ import annotations

import marshmallow as ma
from apispec import BasePlugin
from flask_smorest import Api, Blueprint
from flask_smorest.spec import prepare_response

from shared.web.problems import CONTENT_TYPE, HTTP_FR

ETAG_PATTERN = r'^(W/)?"?[0-9]{1,18}"?$'


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details; services may add members (e.g. `existing_person_id`)."""

    class Meta:
        unknown = ma.INCLUDE

    type = ma.fields.String(required=True, metadata={
        "description": "URI du type de problème (https://cri.wallonie.be/problemes/…)"})
    title = ma.fields.String(required=True, metadata={"description": "Intitulé, en français"})
    status = ma.fields.Integer(required=True, metadata={"description": "Code HTTP"})
    detail = ma.fields.String(required=True, metadata={
        "description": "Explication pour l'utilisateur (anglais avec Accept-Language: en)"})
    instance = ma.fields.String(required=True, metadata={"description": "Chemin demandé"})
    errors = ma.fields.Dict(keys=ma.fields.String(),
                            values=ma.fields.List(ma.fields.String()),
                            metadata={"description": "Messages par champ (chemin → messages)"})


def exclusive_bounds(self, field, ret=None, **kwargs) -> dict:
    """apispec drops `Range(min_inclusive=False)`: say it (OpenAPI 3.0 booleans)."""
    out = {}
    for v in field.validators:
        if isinstance(v, ma.validate.Range):
            if v.min is not None and not v.min_inclusive:
                out["exclusiveMinimum"] = True
            if v.max is not None and not v.max_inclusive:
                out["exclusiveMaximum"] = True
    return out


class CriApi(Api):
    ERROR_SCHEMA = ProblemSchema
    DEFAULT_ERROR_RESPONSE_NAME = "DEFAULT_ERROR"

    def _init_spec(self, **kwargs):
        super()._init_spec(**kwargs)
        self.ma_plugin.converter.add_attribute_function(exclusive_bounds)

    def _register_responses(self):
        """flask-smorest's lazy response per status, with problem+json bodies."""
        import http
        for status in http.HTTPStatus:
            response = {"description": HTTP_FR.get(status.value, status.phrase)}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, CONTENT_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Erreur (problem+json, RFC 9457)",
                    "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, CONTENT_TYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


_WRITES = {"post", "put", "patch", "delete"}


class ErrorResponses(BasePlugin):
    """Documents the error statuses the shared layers answer on every operation."""

    def operation_helper(self, path=None, operations=None, **kwargs):
        for method, operation in (operations or {}).items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            statuses = ["UNPROCESSABLE_ENTITY", "REQUEST_URI_TOO_LONG", "SERVICE_UNAVAILABLE"]
            if operation.get("security") != []:  # [] = public (no token)
                statuses += ["UNAUTHORIZED", "FORBIDDEN"]
            if method in _WRITES:
                statuses += ["BAD_REQUEST", "REQUEST_ENTITY_TOO_LARGE", "CONFLICT"]
            if path and "{" in path:
                statuses += ["NOT_FOUND", "GONE"]
            for name in statuses:
                code = str(_STATUS[name])
                responses.setdefault(code, name)


def _statuses() -> dict[str, int]:
    import http
    return {s.name: s.value for s in http.HTTPStatus}


_STATUS = _statuses()


def if_match_doc(required: bool = True):
    """Documents an update's `If-Match: "<version>"` (the ETag of the last read):
    412 when stale, 428 when malformed (or missing, when `required`)."""
    responses = {"412": "PRECONDITION_FAILED", "428": "PRECONDITION_REQUIRED"}
    return Blueprint.doc(parameters=[{
        "in": "header", "name": "If-Match", "required": required,
        "description": "ETag reçu à la dernière lecture, par ex. \"3\" (version du dossier)",
        "schema": {"type": "string", "pattern": ETAG_PATTERN}}], responses=responses)
