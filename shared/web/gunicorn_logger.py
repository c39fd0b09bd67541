"""Gunicorn's access logger, with the request path escaped.

Gunicorn writes `%(U)s` (the WSGI `PATH_INFO`, percent-decoded) as it is: a request for
`/api/v1/referrals/x%0a127.0.0.1 …` would write a second, forged line, and `%00` a NUL
byte into the log. Here every byte outside printable ASCII (and `%` itself) is
percent-encoded again, so one request is always one readable line.
"""
from __future__ import annotations

from urllib.parse import quote

from gunicorn.glogging import Logger

# RFC 3986 path characters stay as they are; everything else is %XX (UTF-8 bytes too).
_SAFE = "/:@!$&'()*+,;=-._~"


def safe_path(path_info: str) -> str:
    """`PATH_INFO` (bytes decoded as latin-1, PEP 3333) as one printable ASCII token."""
    return quote(path_info.encode("latin-1", "replace"), safe=_SAFE)


class AccessLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["U"] = safe_path(environ.get("PATH_INFO") or "")
        return atoms
