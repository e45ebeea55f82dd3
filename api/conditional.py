"""Conditional GET for every feed and API answer: strong ETags from the data, 304s, Cache-Control.

A page's ETag digests exactly what it shows (one narrow query, see models.freshness), so
equal ETags mean equal answers and the ETag never depends on the clock. Asking that query
on every request would still cost a database round trip, so each worker keeps the answers
it rendered, by request, and trusts one again without asking while the catalog version
(see `Catalog`) has not moved and for at most ANSWER_REUSE_SECONDS: a repeat request or a
304 then costs no query at all (and `api.replay` answers it before Flask). Past that
bound, or after any write, the ETag is asked again and the body re-rendered only if it
changed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask, Response, current_app, request
from werkzeug.http import http_date, is_resource_modified

from api.database import db_session
from api.extensions import per_app
from models import config, freshness, pagination
from models.queries import JobFilters
from models.types import utcnow

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

MAX_AGE = 60  # seconds a shared cache may reuse an answer without asking
# A write is stamped with the time it began and may commit a while later (a crawl's batch, a
# wait for SQLite's write lock): a Last-Modified date vouches only for changes this old.
COMMIT_LEEWAY = timedelta(minutes=1)
# Set in the WSGI environ by `answer`: the request's key, so api.replay may keep the headers.
REPLAYABLE = "jobboard.replayable"


def rendering_digest(root: Path) -> str:
    """A digest of the code and templates that make answers of the data (api/, models/,
    templates/). It is part of every ETag, so a deploy that changes how an answer reads
    (a newsletter line, a feed's links) changes every ETag: no client is told 304 and
    kept on the old text until some job changes. Every worker of one deploy agrees."""
    files = [
        path
        for folder in ("api", "models", "templates")
        for path in (root / folder).rglob("*")
        if path.is_file() and path.suffix in (".py", ".html", ".xml", ".md", ".txt")
    ]
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


_FORMAT = f"jobboard/{metadata.version('jobboard')}/{rendering_digest(config.ROOT)}"


@dataclass(frozen=True)
class Validators:
    """The ETag (and, where it is exact, the time of the last change) of one answer."""

    etag: str
    last_modified: datetime | None = None

    def headers(self) -> dict[str, str]:
        """Headers for both the full answer and the 304."""
        headers = {"ETag": f'"{self.etag}"', "Cache-Control": f"public, max-age={MAX_AGE}"}
        if self.last_modified is not None:
            headers["Last-Modified"] = http_date(_http_date_of(self.last_modified, utcnow()))
        return headers

    def client_is_current(self) -> bool:
        """The client's If-None-Match, or without one its If-Modified-Since, matches this answer.

        The date matches only if the last change came strictly before it: HTTP dates are
        whole seconds, and a copy dated by the second of a change may predate another
        change within that second (werkzeug's own test rounds the change down, so it would
        answer 304 to a copy older than the job).
        """
        if self.last_modified is None or request.if_none_match:
            return not is_resource_modified(request.environ, etag=self.etag)
        since = request.if_modified_since
        return since is not None and self.last_modified < since

    def not_modified(self) -> Response:
        """The bodyless 304 that spares loading and serializing."""
        return Response(status=304, headers=self.headers())


def _http_date_of(changed_at: datetime, now: datetime) -> datetime:
    """The Last-Modified date of a change: the first whole second after it, which validates
    that copy (`client_is_current`), once no write stamped before that second can still be
    committing; until then the second the change happened in, which validates nothing yet."""
    second = changed_at.replace(microsecond=0)
    after = second + timedelta(seconds=1)
    return after if after + COMMIT_LEEWAY <= now else second


@dataclass(frozen=True)
class Answer:
    """What a worker remembers of one request's answer, and when it last made sure of it."""

    etag: str
    catalog: str  # the catalog version it was made sure against
    checked: float  # time.monotonic() of that
    body: bytes | None = None  # None until a client asked for more than a 304
    content_type: str = ""
    # What api.replay needs to answer without Flask: the endpoint, and the headers Flask
    # sent with this ETag (none of them about the body or the request); None until seen.
    endpoint: str | None = None
    headers: tuple[tuple[str, str], ...] | None = None

    def with_headers(self, headers: tuple[tuple[str, str], ...]) -> Answer:
        return dataclasses.replace(self, headers=headers)

    def trusted(self, catalog: str, reuse_seconds: float) -> bool:
        return self.catalog == catalog and time.monotonic() - self.checked < reuse_seconds


def answer(
    filters: JobFilters,
    *,
    limit: int,
    cursor: str | None,
    render: Callable[[pagination.Page], Response],
) -> Response:
    """A page of jobs as 304 or full answer, from this worker's memory while it can be trusted."""
    return _answer(
        filters, limit=limit, cursor=cursor, render=lambda page, _changed_at: render(page)
    )


def dated_answer(
    filters: JobFilters,
    *,
    limit: int,
    cursor: str | None,
    render: Callable[[pagination.Page, datetime | None], Response],
) -> Response:
    """As `answer`, for a body that also shows when the catalog last changed (the Atom feed's
    own date, which must never go back, as a date drawn from the page would when its newest
    job leaves). `render` is given that time, and it is part of the ETag: one ETag, one body,
    at the cost of a new ETag after any change to the catalog."""
    return _answer(filters, limit=limit, cursor=cursor, render=render, dated=True)


def _answer(
    filters: JobFilters,
    *,
    limit: int,
    cursor: str | None,
    render: Callable[[pagination.Page, datetime | None], Response],
    dated: bool = False,
) -> Response:
    answers = _answers()
    key = _request_key()
    request.environ[REPLAYABLE] = key
    catalog = Catalog.of_app().state()
    now = utcnow()
    remembered = answers.get(key)
    if remembered is None or not remembered.trusted(
        catalog.version, current_app.config["ANSWER_REUSE_SECONDS"]
    ):
        fingerprint = freshness.page_fingerprint(
            db_session(), filters, limit=limit, cursor=cursor, now=now
        )
        if dated:
            fingerprint += f"\n{catalog.changed_at}"
        etag = validators(fingerprint).etag
        if remembered is not None and remembered.etag == etag:  # unchanged: keep the body
            remembered = dataclasses.replace(
                remembered, catalog=catalog.version, checked=time.monotonic()
            )
        else:
            remembered = Answer(etag, catalog.version, time.monotonic(), endpoint=request.endpoint)
        answers.put(key, remembered)
    version = Validators(remembered.etag)
    if version.client_is_current():
        return version.not_modified()
    if remembered.body is None:
        page = pagination.fetch_page(db_session(), filters, limit=limit, cursor=cursor, now=now)
        fresh = render(page, catalog.changed_at)
        remembered = dataclasses.replace(
            remembered, body=fresh.get_data(), content_type=fresh.content_type
        )
        answers.put(key, remembered)
    return Response(
        remembered.body, content_type=remembered.content_type, headers=version.headers()
    )


def remembered_page(render: Callable[[str], Response], *, vary: tuple[str, ...] = ()) -> Response:
    """A page drawn from the jobs alone, rendered once and reused while the catalog holds.

    Only for pages that show nothing of the visitor: the key is the request's URL and the
    `vary` headers. Only 200s are kept; errors are cheap and should not crowd out pages.
    `render` is given the catalog version the page is kept under.
    """
    answers = _answers()
    key = "\n".join((_request_key(), *(request.headers.get(name, "") for name in vary)))
    catalog = Catalog.of_app().version()
    remembered = answers.get(key)
    if (
        remembered is None
        or remembered.body is None  # too large to keep
        or not remembered.trusted(catalog, current_app.config["ANSWER_REUSE_SECONDS"])
    ):
        fresh = render(catalog)
        if fresh.status_code != 200:
            return fresh
        remembered = Answer("", catalog, time.monotonic(), fresh.get_data(), fresh.content_type)
        answers.put(key, remembered)
    response = Response(remembered.body, content_type=remembered.content_type)
    for name in vary:
        response.vary.add(name)
    return response


class Catalog:
    """This worker's view of the catalog version, asked again at most every `recheck` seconds.

    Other workers and the crawler write to the database, so no worker can know of a change
    without asking; asking once a second bounds how long a remembered answer can lag
    behind a write, at one tiny query a second instead of one per request.
    """

    def __init__(self, recheck_seconds: float) -> None:
        self._recheck = recheck_seconds
        self._state = freshness.CatalogState("", None)
        self._asked = float("-inf")
        self._lock = threading.Lock()

    @classmethod
    def of_app(cls) -> Catalog:
        return per_app(
            "jobboard.catalog", lambda: cls(current_app.config["CATALOG_RECHECK_SECONDS"])
        )

    def known_version(self) -> str | None:
        """The version if it was asked recently enough to trust without asking, else None."""
        known = self._known_state()
        return known.version if known is not None else None

    def version(self) -> str:
        return self.state().version

    def state(self) -> freshness.CatalogState:
        """The version and the catalog's last change, asked together."""
        known = self._known_state()
        if known is not None:
            return known
        state = freshness.catalog_state(db_session())
        with self._lock:
            self._state, self._asked = state, time.monotonic()
        return state

    def _known_state(self) -> freshness.CatalogState | None:
        with self._lock:
            if time.monotonic() - self._asked < self._recheck:
                return self._state
        return None


class AnswerCache:
    """The last MAX_ENTRIES answers by request key, least recently used out, their bodies
    MAX_BYTES in all: any parameter varies a key, so a client can fill every place, and
    MAX_ENTRIES bodies of up to MAX_BODY each would be 512 MiB a worker."""

    MAX_ENTRIES = 256
    MAX_BODY = 2 * 1024 * 1024
    MAX_BYTES = 64 * 1024 * 1024

    def __init__(self) -> None:
        self._entries: OrderedDict[str, Answer] = OrderedDict()
        self._bytes = 0  # the kept bodies' lengths, summed
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: str) -> Answer | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: str, answer: Answer) -> None:
        if answer.body is not None and len(answer.body) > self.MAX_BODY:
            answer = dataclasses.replace(answer, body=None, content_type="")
        with self._lock:
            replaced = self._entries.pop(key, None)
            self._bytes += _body_size(answer) - _body_size(replaced)
            self._entries[key] = answer
            while len(self._entries) > self.MAX_ENTRIES or self._bytes > self.MAX_BYTES:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= _body_size(dropped)


def _body_size(answer: Answer | None) -> int:
    return len(answer.body) if answer is not None and answer.body is not None else 0


def answers_of(app: Flask) -> AnswerCache:
    return app.extensions.setdefault("jobboard.answers", AnswerCache())


def _answers() -> AnswerCache:
    return answers_of(current_app)


def request_key(environ: WSGIEnvironment, base_url: str) -> str:
    """Everything of a request an answer depends on, besides the data (raw, as WSGI has it)."""
    return "\n".join(
        (_FORMAT, base_url, environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""))
    )


def _request_key() -> str:
    return request_key(request.environ, current_app.config["BASE_URL"])


def validators(fingerprint: str, *, last_modified: datetime | None = None) -> Validators:
    """Validators of this request's representation of data with `fingerprint`."""
    key = f"{_request_key()}\n{fingerprint}"
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
# One job's answer is dated too (`validators(..., last_modified=)`), so If-Modified-Since works.
DATED_HEADERS_DOC = HEADERS_DOC | {
    "Last-Modified": {
        "description": "The first whole second after the job last changed as shown (the "
        "second it changed in while that change is less than a minute old).",
        "schema": {"type": "string"},
    }
}
DATED_NOT_MODIFIED_DOC = {
    "description": "Not Modified: the If-None-Match copy (or, without one, the "
    "If-Modified-Since one) is still current."
}
