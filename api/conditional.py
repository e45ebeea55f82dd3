"""Conditional GET for every feed and API answer: strong ETags from the data, 304s, Cache-Control.

Views compute a data fingerprint first (one narrow query, see models.freshness), ask
`Validators.client_is_current()` before a 304, and only then load and serialize (or reuse
the body last rendered for the same ETag); the full answer carries the same headers. The
ETag never depends on the clock.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from importlib import metadata

from flask import Response, current_app, request
from werkzeug.http import http_date, is_resource_modified

from api.database import db_session
from models import freshness, pagination
from models.queries import JobFilters
from models.types import utcnow

MAX_AGE = 60  # seconds a shared cache may reuse an answer without asking
# Part of every ETag, so a deploy that changes an output format invalidates clients' copies.
_FORMAT = f"jobboard/{metadata.version('jobboard')}/feeds-1"


@dataclass(frozen=True)
class Validators:
    """The ETag (and, where it is exact, Last-Modified) of one answer."""

    etag: str
    last_modified: datetime | None = None

    def headers(self) -> dict[str, str]:
        """Headers for both the full answer and the 304."""
        headers = {"ETag": f'"{self.etag}"', "Cache-Control": f"public, max-age={MAX_AGE}"}
        if self.last_modified is not None:
            headers["Last-Modified"] = http_date(self.last_modified)
        return headers

    def client_is_current(self) -> bool:
        """The client's If-None-Match (or, without it, If-Modified-Since) matches this answer."""
        return not is_resource_modified(
            request.environ, etag=self.etag, last_modified=self.last_modified
        )

    def not_modified(self) -> Response:
        """The bodyless 304 that spares loading and serializing."""
        return Response(status=304, headers=self.headers())


def answer(
    filters: JobFilters,
    *,
    limit: int,
    cursor: str | None,
    render: Callable[[pagination.Page], Response],
) -> Response:
    """A page of jobs as 304, as the body last rendered for this ETag, or freshly rendered.

    Equal ETags mean equal answers (see models.freshness), so a body rendered once is
    served again, from this worker's memory, for as long as its ETag holds: a repeat
    request costs the one narrow fingerprint query, not the page and its serializing.
    """
    now = utcnow()
    session = db_session()
    version = validators(
        freshness.page_fingerprint(session, filters, limit=limit, cursor=cursor, now=now)
    )
    if version.client_is_current():
        return version.not_modified()
    answers = current_app.extensions.setdefault("jobboard.answers", AnswerCache())
    body = answers.get(version.etag)
    if body is None:
        page = pagination.fetch_page(session, filters, limit=limit, cursor=cursor, now=now)
        fresh = render(page)
        body = (fresh.get_data(), fresh.content_type)
        answers.put(version.etag, body)
    return Response(body[0], content_type=body[1], headers=version.headers())


class AnswerCache:
    """The last MAX_ENTRIES rendered bodies by ETag (bytes, Content-Type), least recent out."""

    MAX_ENTRIES = 128
    MAX_BODY = 2 * 1024 * 1024

    def __init__(self) -> None:
        self._entries: OrderedDict[str, tuple[bytes, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, etag: str) -> tuple[bytes, str] | None:
        with self._lock:
            body = self._entries.get(etag)
            if body is not None:
                self._entries.move_to_end(etag)
            return body

    def put(self, etag: str, body: tuple[bytes, str]) -> None:
        if len(body[0]) > self.MAX_BODY:
            return
        with self._lock:
            self._entries[etag] = body
            self._entries.move_to_end(etag)
            while len(self._entries) > self.MAX_ENTRIES:
                self._entries.popitem(last=False)


def validators(fingerprint: str, *, last_modified: datetime | None = None) -> Validators:
    """Validators of this request's representation of data with `fingerprint`."""
    key = "\n".join(
        (
            _FORMAT,
            current_app.config["BASE_URL"],
            request.path,
            request.query_string.decode("latin-1"),
            fingerprint,
        )
    )
    return Validators(hashlib.sha256(key.encode()).hexdigest()[:40], last_modified)


# OpenAPI descriptions of the caching headers and of the 304, shared by every conditional view.
HEADERS_DOC = {
    "ETag": {
        "description": "Strong validator derived from the data.",
        "schema": {"type": "string"},
    },
    "Cache-Control": {"description": f"public, max-age={MAX_AGE}", "schema": {"type": "string"}},
}
NOT_MODIFIED_DOC = {"description": "Not Modified: the If-None-Match copy is still current."}
