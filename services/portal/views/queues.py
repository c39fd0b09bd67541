"""Coordination («coordination»): my work queues — interviews overdue, deadlines within
30, 60 or 90 days, non-compliance — each with its count, one of them listed by page."""
from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, render_template, request

from services.portal import auth
from services.portal.views import pathway_labels as L
from services.portal.views.common import FormState, get, page_number, pages

blp = Blueprint("queues", __name__, url_prefix="/files")
PAGE_SIZE = 20
PATHS = {"interviews-overdue": "/api/v1/work-queues/interviews-overdue",
         "deadline-30": "/api/v1/work-queues/deadlines?within=30",
         "deadline-60": "/api/v1/work-queues/deadlines?within=60",
         "deadline-90": "/api/v1/work-queues/deadlines?within=90",
         "non-compliance": "/api/v1/work-queues/non-compliance"}


def _url(queue: str, page: int, size: int) -> str:
    path = PATHS[queue]
    return f"{path}{'&' if '?' in path else '?'}{urlencode({'page': page, 'page_size': size})}"


@blp.get("")
@auth.require("coordination")
def index():
    page = page_number()
    queue = request.args.get("file") or "interviews-overdue"
    if queue not in PATHS:
        queue = "interviews-overdue"
    counts = {name: get("pathway", _url(name, 1, 1))["total"] for name in PATHS}
    body = get("pathway", _url(queue, page, PAGE_SIZE))
    return render_template("queues/index.html", queue=queue, counts=counts,
                           items=body["items"], p=pages(body), L=L,
                           form=FormState({"file": queue}))
