"""Crawls under faults: nothing lost, nothing duplicated, nothing closed by a broken run.

A local board (Lever's API shape, paged by skip/limit) serves many postings slowly
or misbehaves: garbage, a 10 MB body, a body over the download limit, a redirect
loop, headers and then silence, or no answer at all. Concurrent crawls of one
source are covered in tests/scraper (test_crawl_cli) and tests/ops (test_locks).
"""

from __future__ import annotations

import json
import os
import random
import signal
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as so

from models import sources
from models.tables import CrawlRun, Job, JobStatus, Listing, RunStatus
from scraper.runner import crawl
from tests.scraper.conftest import FAST_CRAWL

POSTINGS = 1200
PAGE = 100


def lever_posting(n: int) -> dict:
    return {
        "id": f"posting-{n:05d}",
        "text": f"Research Engineer {n}",
        "categories": {"commitment": "Full-time", "location": "Paris"},
        "hostedUrl": f"https://jobs.lever.co/acme/posting-{n:05d}",
        "description": f"<p>Train models, team {n % 7}.</p>",
        "createdAt": 1795507200000,
    }


class Board(BaseHTTPRequestHandler):
    """One board; `server.mode` says how it behaves, `server.delay` slows each page."""

    server: BoardServer

    def do_GET(self) -> None:
        self.server.hits += 1
        mode = self.server.mode
        if mode == "silent":
            time.sleep(30)
            return
        if mode == "loop":
            self.reply(302, b"", {"Location": self.path})
        elif mode == "garbage":
            self.reply(200, os.urandom(64 * 1024))
        elif mode == "10MB":
            self.reply(200, b'[{"id": "' + b"x" * (10 * 1024 * 1024) + b'"')
        elif mode == "oversized":  # over DOWNLOAD_MAXSIZE (32 MB): refused on its Content-Length
            self.reply(200, b"[" + b" " * (40 * 1024 * 1024) + b"]")
        elif mode == "trickle":
            self.trickle()
        else:
            time.sleep(self.server.delay)
            self.reply(200, json.dumps(self.page()).encode())

    def page(self) -> list[dict]:
        query = parse_qs(urlsplit(self.path).query)
        skip, limit = int(query.get("skip", ["0"])[0]), int(query.get("limit", ["100"])[0])
        return [lever_posting(n) for n in range(skip, min(skip + limit, self.server.postings))]

    def reply(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in {"Content-Type": "application/json", **(headers or {})}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def trickle(self) -> None:
        """Headers at once, then a byte now and then, never finishing."""
        self.send_response(200)
        self.send_header("Content-Length", "1000000")
        self.end_headers()
        for _ in range(60):
            self.wfile.write(b" ")
            self.wfile.flush()
            time.sleep(0.5)

    def log_message(self, *args: object) -> None:
        pass


class BoardServer(ThreadingHTTPServer):
    daemon_threads = True
    mode = "good"
    delay = 0.0
    postings = POSTINGS
    hits = 0

    def handle_error(self, request: object, client_address: object) -> None:
        """The crawler hangs up on answers it gave up on; that is the point here."""


@pytest.fixture
def boards() -> Iterator:
    """Start boards on 127.0.0.1 ports of their own (each its own host for the crawler)."""
    started: list[BoardServer] = []

    def start(mode: str = "good", **attributes: object) -> BoardServer:
        server = BoardServer(("127.0.0.1", 0), Board)
        server.mode = mode
        for name, value in attributes.items():
            setattr(server, name, value)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.shutdown()
        server.server_close()


def board_url(server: BoardServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/v0/postings/acme?mode=json&limit={PAGE}"


def add_source(
    sessions: so.sessionmaker[so.Session], server: BoardServer, company: str = "Acme AI"
) -> int:
    with sessions() as session:
        source = sources.add(session, sources.validate("lever", board_url(server), company))
        session.commit()
        return source.id


def count(sessions: so.sessionmaker[so.Session], column) -> int:
    with sessions() as session:
        return session.scalar(sa.select(sa.func.count(column)))


def crawler_pids() -> list[int]:
    """The crawler child processes of this test process."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and b"scraper.crawl" in cmdline:
            found.append(int(stat.parent.name))
    return found


def kill_mid_ingest(sessions: so.sessionmaker[so.Session], crawler: threading.Thread) -> None:
    """SIGKILL the crawler at a random moment after its first batch and before its last."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and crawler.is_alive():
        if count(sessions, Job.id) >= PAGE and (pids := crawler_pids()):
            time.sleep(random.uniform(0, 0.5))  # inside a batch's transaction, or between two
            for pid in pids:
                os.kill(pid, signal.SIGKILL)
            return
        time.sleep(0.02)
    raise AssertionError("the crawl was never caught mid-ingest")


def test_a_crawler_killed_mid_ingest_loses_and_duplicates_nothing_when_rerun(
    boards, sessions, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ingest calls of 500 postings: the kill lands between two of them, or inside one.
    settings = FAST_CRAWL | {"INGEST_BATCH_SIZE": 500}
    monkeypatch.setenv("JOBBOARD_CRAWL_SETTINGS", json.dumps(settings))
    board = boards(delay=0.1)
    source = add_source(sessions, board)
    summaries: list = []
    crawler = threading.Thread(
        target=lambda: summaries.extend(crawl([source], database_url=db_url))
    )
    crawler.start()
    kill_mid_ingest(sessions, crawler)
    crawler.join(60)
    [killed] = summaries
    assert killed.status == RunStatus.FAILED
    assert killed.errors[0].startswith("crawler exited with code -9")
    stored_when_killed = count(sessions, Job.id)
    assert PAGE <= stored_when_killed < POSTINGS
    board.delay = 0
    [rerun] = crawl([source], database_url=db_url)
    assert rerun.status == RunStatus.SUCCEEDED
    assert rerun.counts["created"] == POSTINGS - stored_when_killed
    with sessions() as session:
        assert session.scalar(sa.select(sa.func.count(Job.id))) == POSTINGS
        assert session.scalar(sa.select(sa.func.count(sa.distinct(Job.fingerprint)))) == POSTINGS
        assert session.scalar(sa.select(sa.func.count(Listing.id))) == POSTINGS
        assert (
            session.scalar(sa.select(sa.func.count(sa.distinct(Listing.external_id)))) == POSTINGS
        )
        runs = session.execute(sa.select(CrawlRun.id, CrawlRun.status).order_by(CrawlRun.id)).all()
    assert [status for _, status in runs] == [RunStatus.FAILED, RunStatus.SUCCEEDED]


FAULTS = {
    "garbage": "malformed JSON from ",
    "10MB": "malformed JSON from ",
    "oversized": "DownloadCancelledError fetching ",
    "loop": "IgnoreRequest fetching ",  # "max redirections reached"
    "trickle": "timed out fetching ",
    "silent": "timed out fetching ",
}


@pytest.fixture
def sqlite_sessions(sqlite_db_url: str) -> Iterator[so.sessionmaker[so.Session]]:
    engine = sa.create_engine(sqlite_db_url)
    yield so.sessionmaker(engine, expire_on_commit=False)
    engine.dispose()


def test_broken_boards_fail_within_their_timeout_and_close_nothing(
    boards, sqlite_sessions, sqlite_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each board first crawls cleanly with a few postings, then breaks in its own way."""
    settings = FAST_CRAWL | {"DOWNLOAD_TIMEOUT": 2}
    monkeypatch.setenv("JOBBOARD_CRAWL_SETTINGS", json.dumps(settings))
    servers = {fault: boards(postings=3) for fault in FAULTS}
    ids = [add_source(sqlite_sessions, server, f"{fault} AI") for fault, server in servers.items()]
    assert {s.status for s in crawl(ids, database_url=sqlite_db_url)} == {RunStatus.SUCCEEDED}
    for fault, server in servers.items():
        server.mode, server.hits = fault, 0
    started = time.monotonic()
    summaries = crawl(ids, database_url=sqlite_db_url, timeout=60)
    took = time.monotonic() - started
    assert took < 30  # DOWNLOAD_TIMEOUT 2 s, 2 retries, boards crawled side by side
    assert servers["loop"].hits == 1 + 5  # REDIRECT_MAX_TIMES
    for (fault, start), summary in zip(FAULTS.items(), summaries, strict=True):
        assert summary.status == RunStatus.FAILED, fault
        assert summary.errors[0].startswith(start), (fault, summary.errors)
        assert summary.counts["closed"] == 0, fault
    with sqlite_sessions() as session:
        statuses = session.scalars(sa.select(Job.status)).all()
        open_listings = session.scalar(
            sa.select(sa.func.count(Listing.id)).where(Listing.closed_at.is_(None))
        )
    assert statuses == [JobStatus.PUBLISHED] * 3 * len(FAULTS)
    assert open_listings == 3 * len(FAULTS)
