"""Gunicorn's access log: one request is one printable line, whatever its path holds."""
from __future__ import annotations

import datetime
import io
import logging
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from shared.web import gunicorn_conf
from shared.web.gunicorn_logger import AccessLogger, safe_path


@pytest.mark.parametrize("path, written", [
    ("/api/v1/referrals/x\n127.0.0.1 forged", "/api/v1/referrals/x%0A127.0.0.1%20forged"),
    ("/api/v1/persons/a\x00b", "/api/v1/persons/a%00b"),
    ("/a\r\x1b[31mb", "/a%0D%1B%5B31mb"),
    ("/caf\xc3\xa9", "/caf%C3%A9"),                 # PATH_INFO is latin-1 decoded bytes
    ("/a%2fb", "/a%252fb"),                          # a literal % cannot fake an escape
    ("/verification/CRI-2026-00001", "/verification/CRI-2026-00001"),
])
def test_the_path_is_escaped_to_printable_ascii(path, written):
    assert safe_path(path) == written


def test_the_web_processes_use_it_and_a_forged_line_cannot_be_written():
    cfg = Config()
    for name in ("access_log_format", "logger_class", "accesslog"):
        cfg.set(name, getattr(gunicorn_conf, name))
    logger = cfg.logger_class(cfg)
    assert isinstance(logger, AccessLogger)
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    logger.access_log.handlers[:] = [handler]
    req = SimpleNamespace(headers=[], method="GET", path="/x", query="", uri="/x",
                          version=(1, 1), peer_addr=("127.0.0.1", 1))
    resp = SimpleNamespace(status="422 UNPROCESSABLE ENTITY", response_length=10, sent=10,
                           headers=[])
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/r/x\n127.0.0.1 forged\x00",
               "RAW_URI": "/r/x%0a127.0.0.1%20forged%00", "SERVER_PROTOCOL": "HTTP/1.1",
               "QUERY_STRING": "", "REMOTE_ADDR": "127.0.0.1"}
    logger.access(resp, req, environ, datetime.timedelta(milliseconds=3))
    lines = out.getvalue().splitlines()
    assert len(lines) == 1 and "\x00" not in lines[0], lines
    assert '"GET /r/x%0A127.0.0.1%20forged%00 HTTP/1.1" 422' in lines[0]
