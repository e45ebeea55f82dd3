"""One JSON object per log line, each tagged with the id of the request it belongs to.

Every request gets an id: the caller's X-Request-ID when it looks like one (so a
proxy's id follows the request through), else a fresh one. The id is echoed in the
response header and added to every record logged while the request is handled, so
one search finds all lines of a request. Processes without requests (the clock, the
crawler runner) log the same JSON, with `request_id` null.
"""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid
from contextvars import ContextVar
from typing import IO

from flask import Flask, Response, g, request, request_started
from pythonjsonlogger.json import JsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
# Ids a client may choose: short, printable, no spaces or quotes that could forge log fields.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:@+=/-]{0,127}")
HANDLER_NAME = "jobboard-json"
# A path segment that is a secret (a sponsor's manage link): logged as its name instead.
SECRET_SEGMENT = re.compile(r"/manage/[^/\s\[\]]+")

current_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
access_log = logging.getLogger("jobboard.access")


class RequestIdFilter(logging.Filter):
    """Stamp each record with the id of the request being handled (None outside requests)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        return True


def formatter() -> JsonFormatter:
    """The JSON line format shared by the web workers, gunicorn itself and the clock."""
    return JsonFormatter(
        "%(levelname)s %(name)s %(process)d %(message)s %(request_id)s",
        rename_fields={"levelname": "level", "name": "logger", "process": "pid"},
        timestamp="time",
    )


def json_handler(stream: IO[str] | None = None) -> logging.Handler:
    """A handler writing JSON lines stamped with the request id (stderr by default)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.name = HANDLER_NAME
    handler.setFormatter(formatter())
    handler.addFilter(RequestIdFilter())
    handler.addFilter(_REDACT_SECRET_PATHS)
    return handler


def configure(level: int = logging.INFO) -> None:
    """Log every record to stderr as JSON, once per process (gunicorn uses its own config)."""
    root = logging.getLogger()
    if not any(handler.name == HANDLER_NAME for handler in root.handlers):
        root.addHandler(json_handler())
    root.setLevel(level)


def init_app(app: Flask) -> None:
    # request_started fires before any before_request hook, so even a request the
    # rate limiter or CSRF check turns away has its id.
    request_started.connect(_begin, app)
    app.logger.addFilter(_REDACT_SECRET_PATHS)  # one shared instance: addFilter skips repeats
    app.after_request(_finish)
    app.teardown_request(_forget)


def request_id_from(header: str | None) -> str:
    """The caller's id if it is sane, else a new random one."""
    if header and SANE_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def loggable_path(text: str) -> str:
    """`text` with manage-link tokens replaced: the token in the path is the link's only key."""
    return SECRET_SEGMENT.sub("/manage/<token>", text)


class RedactSecretPaths(logging.Filter):
    """Keep manage-link tokens out of lines that name a request's path: Flask's "Exception on
    <path>", gunicorn's "Error handling request <uri>" (the path in the record's args)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # args that do not fit msg: the handler reports it
            return True
        redacted = loggable_path(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


# app.logger is the process-wide "api" logger, so every create_app would otherwise stack a filter.
_REDACT_SECRET_PATHS = RedactSecretPaths()


def _begin(_app: Flask, **_extra: object) -> None:
    g.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
    g.request_id_token = current_request_id.set(g.request_id)
    g.request_started = time.perf_counter()


def _finish(response: Response) -> Response:
    """Echo the id and write the access line (gunicorn's own access log is off)."""
    response.headers[REQUEST_ID_HEADER] = g.request_id
    log_access(
        request.method,
        request.path,
        request.endpoint,
        response.status_code,
        g.request_started,
        request.remote_addr,
    )
    return response


def log_access(
    method: str,
    path: str,
    endpoint: str | None,
    status: int,
    started: float,
    remote_addr: str | None,
) -> None:
    """One access line: for requests Flask answered, and for those answered before it."""
    access_log.info(
        "request",
        extra={
            "method": method,
            "path": loggable_path(path),
            "endpoint": endpoint,
            "status": status,
            "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            "remote_addr": remote_addr,
        },
    )


def _forget(_exc: BaseException | None) -> None:
    token = g.pop("request_id_token", None)
    if token is not None:
        current_request_id.reset(token)
