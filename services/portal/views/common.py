"""What every screen uses: the services called with the user's token, pagination, and a
form's values and field messages after the API refused it."""
from __future__ import annotations

from flask import abort, current_app, request

from services.portal import auth
from services.portal.adapters.services import Answer, ApiProblem

MAX_PAGE = 10_000


def api(service: str, method: str, path: str, **kw) -> Answer:
    return current_app.extensions["portal_services"].call(auth.user().token, service,
                                                          method, path, **kw)


def get(service: str, path: str, **kw):
    return api(service, "GET", path, **kw).body


def page_number() -> int:
    """?page= as a number from 1 to 10,000 (400 page otherwise: never a 500)."""
    raw = request.args.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        abort(400, f"Numéro de page invalide : un nombre de 1 à {MAX_PAGE:,}.".replace(",", " "))
    return int(raw)


def pages(body: dict) -> dict:
    """{page, pages, total} of a paginated answer {items, total, page, page_size}."""
    size = max(1, int(body.get("page_size") or 20))
    total = int(body.get("total") or 0)
    return {"page": int(body.get("page") or 1), "pages": max(1, -(-total // size)),
            "total": total}


class FormState:
    """A form's values (as typed) and the API's French messages per field."""

    def __init__(self, values: dict | None = None, problem: ApiProblem | None = None):
        self.values = values or {}
        self.problem = problem

    def value(self, name: str, default: str = "") -> str:
        v = self.values.get(name, default)
        return "" if v is None else v

    def error(self, *names: str) -> str:
        if not self.problem:
            return ""
        return " ".join(m for m in (self.problem.field(n) for n in names) if m)

    @property
    def summary(self) -> str:
        if not self.problem:
            return ""
        return self.problem.detail or self.problem.title
