"""The centre's services, called server-side with the signed-in user's token.

Every answer is either the JSON body (with its ETag) or an `ApiProblem` carrying the
service's problem+json — French title, detail and field-level messages — that the pages
show as they are. A 401 means the token is no longer good: sign in again.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import requests

from services.portal.auth import SignInRequired

TIMEOUT = 30


@dataclass
class Answer:
    body: object
    etag: str | None = None
    status: int = 200
    content: bytes = b""
    content_type: str = ""
    headers: dict = field(default_factory=dict)


class ApiProblem(Exception):
    def __init__(self, status: int, title: str, detail: str, errors: dict | None = None,
                 body: dict | None = None):
        super().__init__(f"{status} {title}: {detail}")
        self.status, self.title, self.detail = status, title, detail
        self.errors = flatten(errors or {})
        self.body = body or {}

    def field(self, name: str) -> str:
        """The message for one form field (the API's dotted path), or ""."""
        return self.errors.get(name, "")


def flatten(errors, prefix: str = "") -> dict[str, str]:
    """{'address': {'postal_code': ['…']}} or {'address.postal_code': ['…']} ->
    {'address.postal_code': '…'}: one message per field, as the form shows it."""
    out: dict[str, str] = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(value, (dict,)):
                out.update(flatten(value, name))
            elif isinstance(value, list):
                texts = [v for v in value if isinstance(v, str)]
                nested = [v for v in value if isinstance(v, dict)]
                if texts:
                    out[name] = " ".join(texts)
                for item in nested:
                    out.update(flatten(item, name))
            else:
                out[name] = str(value)
    return out


class Services:
    """One requests session per process (connection pooling), the token per call."""

    def __init__(self, config):
        self.config = config
        self.http = requests.Session()

    def call(self, token: str, service: str, method: str, path: str, *, json=None,
             etag: str | None = None, files=None, data=None, raw: bool = False) -> Answer:
        headers = {"Authorization": f"Bearer {token}", "Accept-Language": "fr"}
        if etag is not None:
            headers["If-Match"] = etag if etag.startswith('"') else f'"{etag}"'
        try:
            resp = self.http.request(method, self.config.service_url(service) + path,
                                     json=json, headers=headers, files=files, data=data,
                                     timeout=TIMEOUT)
        except requests.RequestException:
            raise ApiProblem(503, "Service momentanément indisponible",
                             f"Le service « {service} » ne répond pas ; réessayez dans "
                             "quelques secondes. Rien n'a été enregistré.") from None
        if resp.status_code == 401:
            raise SignInRequired()
        if resp.status_code >= 400:
            try:
                body = resp.json()
            except ValueError:
                body = {}
            raise ApiProblem(resp.status_code, body.get("title", "Erreur"),
                             body.get("detail", resp.reason or ""), body.get("errors"), body)
        ctype = resp.headers.get("Content-Type", "")
        body = resp.json() if "json" in ctype and not raw else None
        return Answer(body, resp.headers.get("ETag"), resp.status_code, resp.content, ctype,
                      dict(resp.headers))
