"""Gunicorn settings every web process uses (`gunicorn -c python:shared.web.gunicorn_conf`).

Gunicorn's access logger bypasses the application's redaction filter, so the line it
writes carries no query string (`%(U)s` is the path alone) and no referer, whose URL
could hold one: method, path, status, size and duration only.
"""
accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
