"""Crawl throughput: a 10,000-posting Greenhouse board served locally, crawled by `jobboard crawl`.

The board is served the way tests/scraper's fixture server serves recorded payloads
(a ThreadingHTTPServer on 127.0.0.1), but the payload is generated: the benchmark's
data set in Greenhouse's shape, descriptions entity-escaped as Greenhouse sends them.
The crawl runs end to end as an operator would run it (CLI, child Scrapy process,
batched ingest), once on an empty database and once more unchanged. The reference
is `upsert_postings` of the same postings directly, in the same run.
"""

from __future__ import annotations

import html
import json
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bench.common import cpu_bound, cpu_meter, fresh_database, run_measuring_memory, stopwatch
from bench.dataset import postings
from models import sources
from models.db import make_engine, make_session_factory
from models.ingest import upsert_postings
from models.tables import Source

BOARD_PATH = "/v1/boards/bench/jobs"
# 10,000 postings with ~300-word descriptions are a ~36 MB answer: over the crawler's 32 MiB
# DOWNLOAD_MAXSIZE, which an operator raises for such a board the same way.
CRAWL_SETTINGS = {"DOWNLOAD_MAXSIZE": 128 * 1024 * 1024}
COMPANY = "Bench Labs"


def greenhouse_job(raw: dict[str, Any], number: int) -> dict[str, Any]:
    """One posting of the data set as Greenhouse's job board API lists it (content=true)."""
    pay = []
    if number % 3:
        low = 90_000 + (number % 40) * 2_500
        pay = [
            {
                "min_cents": low * 100,
                "max_cents": (low + 40_000) * 100,
                "currency_type": "USD",
                "title": "Annual Salary",
            }
        ]
    return {
        "id": 5_000_000 + number,
        "internal_job_id": 4_000_000 + number,
        "absolute_url": raw["apply_url"],
        "title": raw["title"],
        "company_name": COMPANY,
        "location": {"name": raw["location"]},
        "updated_at": raw["posted_at"],
        "first_published": raw["posted_at"],
        "requisition_id": f"BENCH-{number}",
        "metadata": None,
        "data_compliance": [],
        "content": html.escape(raw["description_html"]),
        "departments": [{"id": 1, "name": "Engineering", "child_ids": [], "parent_id": None}],
        "offices": [],
        "pay_input_ranges": pay,
    }


def board_payload(count: int) -> bytes:
    jobs = [greenhouse_job(raw, n) for n, raw in enumerate(postings(count, prefix="gh"))]
    return json.dumps({"jobs": jobs, "meta": {"total": count}}).encode()


@contextmanager
def serve_board(payload: bytes) -> Iterator[str]:
    """Serve the payload at BOARD_PATH on a free local port; yields the board's URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            found = self.path.split("?")[0] == BOARD_PATH
            body = payload if found else b"not found"
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{BOARD_PATH}?content=true"
    finally:
        server.shutdown()
        server.server_close()


def crawl_cli(url: str, source_id: int) -> dict[str, Any]:
    """`jobboard crawl SOURCE_ID` as a child process: its time, exit code and memory."""
    env = os.environ | {
        "DATABASE_URL": url,
        "JOBBOARD_ALLOW_PRIVATE_SOURCES": "1",
        "JOBBOARD_CRAWL_SETTINGS": json.dumps(CRAWL_SETTINGS),
    }
    result = run_measuring_memory([sys.executable, "-m", "api.cli", "crawl", str(source_id)], env)
    if result["exit_code"] != 0:
        raise RuntimeError(f"jobboard crawl failed: {result['output']}")
    return result


def direct_ingest_rate(count: int, database: str) -> float:
    """Postings/s of upsert_postings for the same postings into an empty database."""
    url = fresh_database(database)
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        source = Source(kind="greenhouse", url="https://bench.example/direct", company=COMPANY)
        session.add(source)
        session.commit()
        rows = list(postings(count, prefix="gh"))
        with stopwatch() as timer:
            upsert_postings(session, rows, source=source)
    engine.dispose()
    return count / timer["seconds"]


def run(count: int, database: str = "jobboard_bench_crawl") -> dict[str, Any]:
    """Crawl a `count`-posting board twice (new, then unchanged) and ingest it directly."""
    url = fresh_database(database)
    os.environ["JOBBOARD_ALLOW_PRIVATE_SOURCES"] = "1"  # the board is on 127.0.0.1
    engine = make_engine(url)
    with serve_board(board_payload(count)) as board_url:
        with make_session_factory(engine)() as session:
            source = sources.add(session, sources.validate("greenhouse", board_url, COMPANY))
            session.commit()
            source_id = source.id
        engine.dispose()
        with cpu_meter() as cpu:
            first = crawl_cli(url, source_id)
        again = crawl_cli(url, source_id)
    reference = direct_ingest_rate(count, database + "_direct")
    new_rate = count / first["seconds"]
    return {
        "postings": count,
        "crawl_new_per_s": round(new_rate),
        "crawl_unchanged_per_s": round(count / again["seconds"]),
        "direct_ingest_per_s": round(reference),
        "crawl_vs_direct_ingest": round(new_rate / reference, 3),
        **cpu_bound(count, cpu),
        "summary": first["output"].strip().splitlines()[-1:],
        "crawl_peak_rss_mb": max(first["own_peak_rss_mb"], first["child_peak_rss_mb"] or 0),
        "cli_peak_rss_mb": first["own_peak_rss_mb"],
        "crawler_child_peak_rss_mb": first["child_peak_rss_mb"],
    }
