"""A small HTTP client for end-to-end tests: base URL, bearer token, ETag handling."""
from __future__ import annotations

import time

import requests


class ApiClient:
    def __init__(self, base_url: str, token: str, language: str = "fr"):
        self.base = base_url.rstrip("/")
        self.session = requests.Session()
        self.session.headers.update({"Authorization": f"Bearer {token}",
                                     "Accept-Language": language})

    def request(self, method: str, path: str, *, etag: str | int | None = None, **kw):
        headers = kw.pop("headers", {})
        if etag is not None:
            headers["If-Match"] = f'"{etag}"' if not str(etag).startswith('"') else str(etag)
        kw.setdefault("timeout", 30)
        return self.session.request(method, self.base + path, headers=headers, **kw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, json=None, **kw):
        return self.request("POST", path, json=json, **kw)

    def put(self, path, json=None, **kw):
        return self.request("PUT", path, json=json, **kw)

    def patch(self, path, json=None, **kw):
        return self.request("PATCH", path, json=json, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


def eventually(check, timeout: float = 30.0, interval: float = 0.25):
    """Retry `check` until it returns a truthy value (or stops raising AssertionError)."""
    deadline = time.time() + timeout
    last: Exception | None = None
    while time.time() < deadline:
        try:
            value = check()
            if value:
                return value
        except AssertionError as exc:
            last = exc
        time.sleep(interval)
    if last:
        raise last
    raise AssertionError("condition not met in time")
