"""Remembered feed and API answers served before Flask: a repeat GET or a 304 at bare-app cost.

`conditional.answer` remembers each answer by request and trusts it again, without a
query, while this worker's catalog version is current (see `conditional.Catalog`). A
trusted repeat still cost Flask's whole dispatch (routing, every extension's hooks),
several times the work of the answer itself; feed readers and the newsletter build poll
exactly such URLs. This WSGI middleware answers them from the same memory under the
same rule, with the headers Flask sent with that ETag, and writes the access line and
request metrics as for any request. A request it cannot answer so goes to Flask, which
answers, re-validates and remembers as before.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from flask import Flask
from werkzeug.http import is_resource_modified

from api import logs, metrics
from api.conditional import REPLAYABLE, Answer, Catalog, answers_of, request_key

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

# Headers about one request or one body, which a replay sets anew (or, like cookies, never).
_PER_RESPONSE = frozenset(
    {"content-length", "content-type", "date", "server", "set-cookie", "x-request-id"}
)
_STATUS = {200: "200 OK", 304: "304 NOT MODIFIED"}


class Replay:
    """Wraps the app's WSGI callable; `create_app` installs it."""

    def __init__(self, app: Flask, wsgi_app: WSGIApplication) -> None:
        self.app = app
        self.wsgi_app = wsgi_app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        if environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            key = request_key(environ, self.app.config["BASE_URL"])
            remembered = self._trusted(key)
            if remembered is not None:
                served = _serve(remembered, environ, start_response, started)
                if served is not None:
                    return served
            return self.wsgi_app(environ, self._keeping_headers(key, environ, start_response))
        return self.wsgi_app(environ, start_response)

    def _trusted(self, key: str) -> Answer | None:
        """The remembered answer if it may be served now without asking the database."""
        catalog: Catalog | None = self.app.extensions.get("jobboard.catalog")
        version = catalog.known_version() if catalog else None
        remembered = answers_of(self.app).get(key)
        if (
            version is None
            or remembered is None
            or remembered.headers is None
            or not remembered.trusted(version, self.app.config["ANSWER_REUSE_SECONDS"])
        ):
            return None
        return remembered

    def _keeping_headers(
        self, key: str, environ: WSGIEnvironment, start_response: StartResponse
    ) -> StartResponse:
        """start_response that remembers what Flask sent with a remembered answer's ETag."""

        def keep(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            if environ.get(REPLAYABLE) == key and status[:3] in ("200", "304"):
                self._remember(key, headers)
            return start_response(status, headers, exc_info)

        return keep

    def _remember(self, key: str, headers: list[tuple[str, str]]) -> None:
        answers = answers_of(self.app)
        remembered = answers.get(key)
        sent = {name.lower(): value for name, value in headers}
        if remembered is None or "set-cookie" in sent or sent.get("etag") != f'"{remembered.etag}"':
            return
        kept = tuple((name, value) for name, value in headers if name.lower() not in _PER_RESPONSE)
        answers.put(key, remembered.with_headers(kept))


def _serve(
    remembered: Answer,
    environ: WSGIEnvironment,
    start_response: StartResponse,
    started: float,
) -> list[bytes] | None:
    """The 304 or the full answer, or None when only Flask can give it (body not kept)."""
    current = not is_resource_modified(environ, etag=remembered.etag)
    if not current and remembered.body is None:
        return None
    request_id = logs.request_id_from(environ.get("HTTP_X_REQUEST_ID"))
    headers = [*(remembered.headers or ()), (logs.REQUEST_ID_HEADER, request_id)]
    status, body = 304, b""
    if not current:
        status, body = 200, remembered.body or b""
        headers += [("Content-Type", remembered.content_type), ("Content-Length", str(len(body)))]
    start_response(_STATUS[status], headers)
    method = environ["REQUEST_METHOD"]
    token = logs.current_request_id.set(request_id)
    try:
        metrics.observe(remembered.endpoint, method, status, started)
        logs.log_access(
            method,
            environ.get("PATH_INFO", ""),
            remembered.endpoint,
            status,
            started,
            environ.get("REMOTE_ADDR"),
        )
    finally:
        logs.current_request_id.reset(token)
    return [] if method == "HEAD" else [body]
