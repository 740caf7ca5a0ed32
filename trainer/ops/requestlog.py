"""Structured request logs: with ``LOG_FORMAT=json``, one JSON line per request on standard
error, and the app's own log records (warnings, errors with their traceback) as JSON lines
too, each with the request's id.

The id is the incoming ``X-Request-ID`` when it looks like one (so nginx's ``$request_id``
follows a request from the proxy's log into the app's), else a new random one; it is sent
back in the ``X-Request-ID`` response header. A line holds the path without its query
string, and with the secret of a set-password, check-in or unsubscribe link (and a
certificate's code) replaced by ``[hidden]``; the address is the client's as ProxyFix
reads it from ``X-Forwarded-For`` (``TRUSTED_PROXIES``).
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, Response, g, has_request_context, request

from config import ConfigurationError

FORMATS = ("text", "json")
HEADER = "X-Request-ID"
# Letters, digits and . _ : - only, 8 to 128 of them: a UUID, nginx's $request_id, a
# load balancer's trace id; nothing that could forge a log line.
_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")
# URL arguments that are secrets, or open a person's record to whoever holds them.
SECRET_ARGUMENTS = frozenset({"token", "code"})
HIDDEN = "[hidden]"

request_log = logging.getLogger("trainer.requests")


class JsonFormatter(logging.Formatter):
    """A record as one JSON object on one line: time (UTC), level, logger, message, the
    request's id when there is a request, the record's ``fields`` and any traceback."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if has_request_context() and "request_id" in g:
            line["request_id"] = g.request_id
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, separators=(",", ":"), default=str)


class StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is when a record comes, not when it was made."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self):  # type: ignore[override]
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def init_request_log(app: Flask) -> None:
    log_format = app.config["LOG_FORMAT"]
    if log_format not in FORMATS:
        raise ConfigurationError(f"LOG_FORMAT={log_format!r} is not known; use text or json")
    if log_format != "json":
        return
    _log_as_json(app.logger)
    request_log.setLevel(logging.INFO)
    app.before_request(_start)
    app.after_request(_finish)


def _log_as_json(logger: logging.Logger) -> None:
    from flask.logging import default_handler

    logger.removeHandler(default_handler)
    if not any(isinstance(handler, StderrHandler) for handler in logger.handlers):
        handler = StderrHandler()
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
    # One line per record, even where something gave the root logger a handler too.
    logger.propagate = False


def _start() -> None:
    g.request_started = time.perf_counter()
    incoming = request.headers.get(HEADER, "")
    g.request_id = incoming if _SANE_ID.fullmatch(incoming) else uuid.uuid4().hex


def _finish(response: Response) -> Response:
    request_id = g.get("request_id") or uuid.uuid4().hex
    response.headers[HEADER] = request_id
    started = g.get("request_started")
    user = g.get("_login_user")  # only if already loaded: asking would run a query
    request_log.info(
        "%s %s %s",
        request.method,
        loggable_path(),
        response.status_code,
        extra={
            "fields": {
                "request_id": request_id,
                "method": request.method,
                "path": loggable_path(),
                "route": request.url_rule.rule if request.url_rule else None,
                "status": response.status_code,
                "duration_ms": (
                    round((time.perf_counter() - started) * 1000, 1) if started else None
                ),
                "user_id": user.id if user is not None and user.is_authenticated else None,
                "remote_addr": request.remote_addr,
            }
        },
    )
    return response


def loggable_path() -> str:
    """The request's path, never its query string, secret URL arguments hidden."""
    path = request.path
    for name, value in (request.view_args or {}).items():
        if name in SECRET_ARGUMENTS and isinstance(value, str) and value:
            path = path.replace(value, HIDDEN)
    return path
