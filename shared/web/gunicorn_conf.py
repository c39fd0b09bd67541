"""Gunicorn settings every web process uses (`gunicorn -c python:shared.web.gunicorn_conf`).

Gunicorn's access logger bypasses the application's redaction filter, so the line it
writes carries no query string (`%(U)s` is the path alone) and no referer, whose URL
could hold one: method, path, status, size and duration only.
"""
# Idle keep-alive connections are kept 75 s (gunicorn's default is 2 s): a client that
# reuses a connection just as the server closes it gets a reset on a POST it cannot
# safely retry (seen once in the e2e suite: a registration's connection reset by peer).
# 75 s is above the usual reverse proxies' upstream keep-alive (nginx: 60 s), so it is
# the proxy that closes first.
keepalive = 75
accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
# the path escaped again: a %0a or %00 in a URL cannot forge a line (gunicorn_logger.py)
logger_class = "shared.web.gunicorn_logger.AccessLogger"
# Gunicorn's own 414 is an English HTML page; the application answers a French
# problem+json over 8 KiB itself (shared/web/limits.py), gunicorn only refuses over 1 MB.
limit_request_line = 0
