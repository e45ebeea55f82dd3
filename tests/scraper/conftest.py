"""Scraper fixtures: a local HTTP server playing the ATS APIs, sources pointing at it, crawls.

The server serves recorded-shape payloads from tests/scraper/fixtures/<kind>/<API path>
(a directory answers with its index.json or index.html), pages JSON lists by the
query string (`skip`/`limit` as Lever does, `offset`/`limit` as SmartRecruiters
does; `max_page_size` caps a page whatever `limit` asks, as the real APIs do), and plays
broken boards: `/status/<code>/...` answers that status,
`/truncated/<path>` cuts the payload in half and `/slow/<seconds>/<path>` answers
late. Tests can also replace any route.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as so

from models import sources
from models.tables import Job, Listing, Source

FIXTURES = Path(__file__).parent / "fixtures"
# No delays or backoff against the local server; retries stay on, so a 500 is retried.
FAST_CRAWL = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_START_DELAY": 0,
    "RETRY_BACKOFF_BASE": 0.05,
    "DOWNLOAD_TIMEOUT": 5,
    "LOG_LEVEL": "WARNING",
}


@dataclass
class Route:
    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)
    paged: bool = False  # a JSON listing served a page at a time, like a fixture file


@dataclass
class FixtureServer:
    """What the handler serves, what it was asked, and per-test replacements."""

    base_url: str = ""
    routes: dict[str, Route] = field(default_factory=dict)  # "path?query" or "path" -> reply
    requests: list[tuple[str, str]] = field(default_factory=list)  # (path?query, User-Agent)
    arrivals: list[tuple[str, float]] = field(default_factory=list)  # (path?query, monotonic)
    max_page_size: int | None = None  # most entries a listing page holds, whatever `limit` asks

    def url(self, path: str) -> str:
        return self.base_url + path

    def replace(
        self,
        path: str,
        body: str | bytes,
        *,
        status: int = 200,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
        paged: bool = False,
    ) -> None:
        """Answer `path` (optionally with its exact query) with this reply from now on."""
        data = body.encode() if isinstance(body, str) else body
        self.routes[path] = Route(status, data, content_type, headers or {}, paged)

    def replace_json(self, path: str, payload: object, *, paged: bool = False) -> None:
        """Answer `path` with this JSON; `paged`: a page of it per query, as fixture files are."""
        self.replace(path, json.dumps(payload), paged=paged)


def fixture_file(path: str) -> Path | None:
    target = FIXTURES / path.lstrip("/")
    candidates = (
        [target / "index.json", target / "index.html"]
        if target.is_dir()
        else [
            target,
            target.with_name(target.name + ".json"),
            target.with_name(target.name + ".html"),
        ]
    )
    return next((c for c in candidates if c.is_file() and FIXTURES in c.resolve().parents), None)


def page(body: bytes, query: dict[str, list[str]], max_size: int | None = None) -> bytes:
    """Slice a JSON listing the way the ATS pages it, at most `max_size` entries a page: a
    bare list by skip/limit (Lever), an object's list, whatever its key, by offset/limit
    (SmartRecruiters' `content`, or a new spider's board)."""
    limit = int(query.get("limit", ["0"])[0])
    if not limit:
        return body
    limit = min(limit, max_size or limit)
    payload = json.loads(body)
    if isinstance(payload, list):
        skip = int(query.get("skip", ["0"])[0])
        return json.dumps(payload[skip : skip + limit]).encode()
    offset = int(query.get("offset", ["0"])[0])
    window = {
        key: value[offset : offset + limit]
        for key, value in payload.items()
        if isinstance(value, list)
    }
    payload |= {"offset": offset, "limit": limit} | window
    return json.dumps(payload).encode()


def make_handler(server: FixtureServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            server.requests.append((self.path, self.headers.get("User-Agent", "")))
            server.arrivals.append((self.path, time.monotonic()))
            parts = urlsplit(self.path)
            route = server.routes.get(self.path) or server.routes.get(parts.path)
            if route is None:
                route = self.fixture_route(parts.path, parse_qs(parts.query))
            elif route.paged:
                body = page(route.body, parse_qs(parts.query), server.max_page_size)
                route = Route(route.status, body, route.content_type, route.headers)
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            for name, value in route.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(route.body)

        def fixture_route(self, path: str, query: dict[str, list[str]]) -> Route:
            if path.startswith("/status/"):
                code = int(path.split("/")[2])
                return Route(code, b'{"error": "status fixture"}', "application/json")
            if path.startswith("/slow/"):
                _, _, seconds, rest = path.split("/", 3)
                time.sleep(float(seconds))
                return self.fixture_route("/" + rest, query)
            truncated = path.startswith("/truncated/")
            found = fixture_file(path.removeprefix("/truncated") if truncated else path)
            if found is None:
                return Route(404, b"not found", "text/plain")
            body = found.read_bytes()
            body = page(body, query, server.max_page_size) if found.suffix == ".json" else body
            kind = "application/json" if found.suffix == ".json" else "text/html; charset=utf-8"
            return Route(200, body[: len(body) // 2] if truncated else body, kind)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """A crawler that gave up on a slow answer closes its socket; that is expected here."""


@pytest.fixture
def ats() -> Iterator[FixtureServer]:
    """The fake ATS server on 127.0.0.1, one per test."""
    server = FixtureServer()
    httpd = QuietServer(("127.0.0.1", 0), make_handler(server))
    server.base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield server
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def fast_crawls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOBBOARD_CRAWL_SETTINGS", json.dumps(FAST_CRAWL))
    monkeypatch.setenv("JOBBOARD_ALLOW_PRIVATE_SOURCES", "1")


@pytest.fixture
def crawl_settings(monkeypatch: pytest.MonkeyPatch):
    """Override Scrapy settings for this test's crawls (e.g. a short download timeout)."""

    def override(**settings: object) -> None:
        monkeypatch.setenv("JOBBOARD_CRAWL_SETTINGS", json.dumps(FAST_CRAWL | settings))

    return override


@pytest.fixture
def add_source(sessions: so.sessionmaker[so.Session], ats: FixtureServer):
    """Store a source pointing at a path of the fake ATS; returns its id."""

    def add(kind: str, path: str, company: str) -> int:
        with sessions() as session:
            source = sources.add(session, sources.validate(kind, ats.url(path), company))
            session.commit()
            return source.id

    return add


def jobs_of(session: so.Session, source_id: int) -> dict[str, Job]:
    """The source's jobs by listing external id, fresh from the database."""
    session.commit()  # end the previous read's snapshot: the crawler committed since
    rows = session.execute(
        sa.select(Listing.external_id, Job)
        .join(Job, Job.id == Listing.job_id)
        .where(Listing.source_id == source_id)
        .execution_options(populate_existing=True)
    )
    return {external_id: job for external_id, job in rows}


def source_row(session: so.Session, source_id: int) -> Source:
    session.commit()
    return session.get(Source, source_id, populate_existing=True)
