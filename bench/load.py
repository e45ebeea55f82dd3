"""Mixed load on gunicorn and PostgreSQL: readers, a sponsor posting and a crawl, all at once.

    python -m bench.load [--seconds 120] [--readers 8] [--jobs 2000] [--board 500]

Reader threads request the board, job pages, the JSON API, the feeds and the newsletter
section; one thread posts a new job through the sponsor API about once a second; one
thread crawls a local Greenhouse-shaped board again and again (the first crawl adds
its postings, later ones find them unchanged). All traffic goes to 127.0.0.1, for a
bounded time and a bounded number of requests. Afterwards it checks that no answer
was a 5xx and that every job the API answered 201 for is stored exactly once, and
reports latency percentiles (p50, p95, p99) per kind of request. Figures: bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import threading
import time
import urllib.error
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from bench.common import fresh_database, machine
from bench.crawl import board_payload, serve_board
from bench.dataset import postings
from bench.http import WORKERS, gunicorn
from models import migrate, sources, sponsors
from models.db import make_engine, make_session_factory
from models.ingest import upsert_postings
from models.tables import Job, JobStatus, Listing, Source
from scraper.runner import crawl

MAX_REQUESTS_PER_SECOND = 500  # a bound on the whole run, whatever the machine
READS = {  # kind: (path template, weight)
    "board": ("/", 3),
    "board search": ("/?q=engineer&remote=remote", 1),
    "job page": ("/jobs/{slug}", 3),
    "api list": ("/api/v1/jobs?limit=20", 3),
    "api filtered": ("/api/v1/jobs?tag=python&sort=salary", 1),
    "api job": ("/api/v1/jobs/{id}", 2),
    "json feed": ("/feed.json", 1),
    "atom feed": ("/feed.atom", 1),
    "newsletter": ("/newsletter/jobs.md?since=30d", 1),
}


@dataclass
class Tally:
    """Every answer, thread-safe: (kind, status, milliseconds), plus the sponsor's 201 ids."""

    samples: list[tuple[str, int, float]] = field(default_factory=list)
    created: list[int] = field(default_factory=list)
    crawls: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, status: int, ms: float) -> None:
        with self.lock:
            self.samples.append((kind, status, ms))

    def reads_left(self, bound: int) -> bool:
        with self.lock:
            return len(self.samples) < bound


def prepare(url: str, jobs: int) -> tuple[str, list[tuple[int, str]]]:
    """Jobs to read and a trusted sponsor; returns its token and the jobs' (id, slug)."""
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        source = Source(kind="greenhouse", url="https://load.example/jobs", company="Load")
        session.add(source)
        session.commit()
        upsert_postings(session, postings(jobs, prefix="load"), source=source)
        _, token = sponsors.create(session, "Load Sponsor", "load@sponsor.example", trusted=True)
        session.commit()
        rows = session.execute(
            sa.select(Job.id, Job.slug).where(Job.status == JobStatus.PUBLISHED)
        ).all()
    engine.dispose()
    return token, [tuple(row) for row in rows]


def request(method: str, url: str, body: dict | None = None, headers: dict | None = None):
    """(status, milliseconds, parsed JSON body or None) of one HTTP request."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            status, payload = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, payload = exc.code, exc.read()
    ms = (time.perf_counter() - started) * 1000
    is_json = payload[:1] in (b"{", b"[")
    return status, ms, json.loads(payload) if is_json and method != "GET" else None


def reader(
    base: str, jobs: list[tuple[int, str]], until: float, bound: int, tally: Tally, seed: int
) -> None:
    """Read until `until`, or until the run has made `bound` requests in all."""
    rng = random.Random(seed)
    kinds = list(READS)
    weights = [READS[kind][1] for kind in kinds]
    while time.monotonic() < until and tally.reads_left(bound):
        kind = rng.choices(kinds, weights)[0]
        job_id, slug = rng.choice(jobs)
        status, ms, _ = request("GET", base + READS[kind][0].format(id=job_id, slug=slug))
        tally.add(kind, status, ms)


def sponsor(base: str, token: str, until: float, tally: Tally) -> None:
    """Post a new job about once a second (the API allows 60 a minute per sponsor)."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    n = 0
    while time.monotonic() < until:
        n += 1
        posting = {
            "title": f"Load Test Engineer {n}",
            "company": "Load Sponsor",
            "apply_url": f"https://sponsor.example/jobs/{n}",
            "location": "Berlin, Germany",
            "description": f"Posting number **{n}** of the load test.",
        }
        status, ms, body = request("POST", base + "/api/v1/sponsor/jobs", posting, headers)
        tally.add("sponsor post", status, ms)
        if status == 201:
            with tally.lock:
                tally.created.append(body["id"])
        time.sleep(max(0.0, 1.1 - ms / 1000))


def crawler(url: str, source_id: int, until: float, tally: Tally) -> None:
    """Crawl the local board back to back until the time is up."""
    while time.monotonic() < until:
        [summary] = crawl([source_id], database_url=url, timeout=max(30, until - time.monotonic()))
        tally.crawls.append(summary.status)


def stored_once(url: str, created: list[int]) -> dict[str, Any]:
    """Whether each job the API created exists once, with one sponsor listing."""
    engine = make_engine(url)
    with engine.connect() as conn:
        jobs = conn.scalar(sa.select(sa.func.count(Job.id)).where(Job.id.in_(created)))
        listings = conn.scalar(
            sa.select(sa.func.count(Listing.id)).where(Listing.sponsor_id.is_not(None))
        )
        titles = conn.scalar(
            sa.select(sa.func.count(sa.distinct(Job.title))).where(Job.title.like("Load Test %"))
        )
    engine.dispose()
    n = len(created)
    return {
        "created": n,
        "distinct_ids": len(set(created)),
        "jobs": jobs,
        "sponsor_listings": listings,
        "distinct_titles": titles,
        "exactly_once": len(set(created)) == jobs == listings == titles == n,
    }


def percentile(ordered: list[float], share: float) -> float:
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1)


def latency(samples: list[tuple[str, int, float]]) -> dict[str, dict[str, float]]:
    by_kind: dict[str, list[float]] = defaultdict(list)
    for kind, _, ms in samples:
        by_kind[kind].append(ms)
        by_kind["all"].append(ms)
    return {
        kind: {
            "requests": len(values),
            "p50_ms": round(statistics.median(values), 1),
            "p95_ms": percentile(sorted(values), 0.95),
            "p99_ms": percentile(sorted(values), 0.99),
        }
        for kind, values in sorted(by_kind.items())
    }


def run(url: str, seconds: float = 120, readers: int = 8, jobs: int = 2000, board: int = 500):
    """Run the mixed load against `url` (an empty database, migrated here) and report on it."""
    os.environ["JOBBOARD_ALLOW_PRIVATE_SOURCES"] = "1"  # the crawled board is on 127.0.0.1
    migrate.upgrade(url)
    token, readable = prepare(url, jobs)
    tally = Tally()
    env = {"DATABASE_URL": url, "SECRET_KEY": "load", "JOBBOARD_BASE_URL": "http://127.0.0.1"}
    with (
        serve_board(board_payload(board)) as board_url,
        gunicorn("api:create_app()", env) as (
            base,
            _,
        ),
    ):
        engine = make_engine(url)
        with make_session_factory(engine)() as session:
            spec = sources.validate("greenhouse", board_url, "Bench Labs")
            source_id = sources.add(session, spec).id
            session.commit()
        engine.dispose()
        until = time.monotonic() + seconds
        bound = MAX_REQUESTS_PER_SECOND * seconds
        threads = [
            threading.Thread(target=reader, args=(base, readable, until, bound, tally, n))
            for n in range(readers)
        ]
        threads += [
            threading.Thread(target=sponsor, args=(base, token, until, tally)),
            threading.Thread(target=crawler, args=(url, source_id, until, tally)),
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        took = time.monotonic() - started
    statuses = Counter(status for _, status, _ in tally.samples)
    return {
        "seconds": round(took, 1),
        "readers": readers,
        "workers": WORKERS,
        "jobs": jobs,
        "requests": len(tally.samples),
        "requests_per_s": round(len(tally.samples) / took, 1),
        "readers_stopped_at_bound": len(tally.samples) >= bound,
        "statuses": dict(sorted(statuses.items())),
        "server_errors": sum(n for status, n in statuses.items() if status >= 500),
        "sponsor": stored_once(url, tally.created),
        "crawls": dict(Counter(tally.crawls)),
        "latency": latency(tally.samples),
    }


def markdown(result: dict[str, Any], command: str, box: dict[str, Any]) -> str:
    """The "Load" section of bench/RESULTS.md."""
    rows = "\n".join(
        f"| {kind} | {v['requests']} | {v['p50_ms']} | {v['p95_ms']} | {v['p99_ms']} |"
        for kind, v in result["latency"].items()
    )
    return (
        f"Command: `{command}`. Machine: {box['nproc']} cores, {box['ram_gb']} GB RAM, "
        f"PostgreSQL {box['postgresql']}, load average {box['load_average']} at the start.\n\n"
        f"{result['readers']} reader threads, one sponsor posting about once a second, crawls "
        f"back to back; gunicorn with {result['workers']} workers; {result['jobs']} jobs.\n\n"
        f"- {result['requests']} requests in {result['seconds']} s "
        f"({result['requests_per_s']}/s), statuses {result['statuses']}, "
        f"**{result['server_errors']} 5xx**\n"
        f"- sponsor: {result['sponsor']}\n- crawls: {result['crawls']}\n\n"
        "| requests | count | p50 ms | p95 ms | p99 ms |\n|---|---:|---:|---:|---:|\n" + rows
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--jobs", type=int, default=2000)
    parser.add_argument("--board", type=int, default=500, help="postings on the crawled board")
    args = parser.parse_args()
    url = fresh_database("jobboard_bench_load")
    box = machine(url)
    result = run(url, args.seconds, args.readers, args.jobs, args.board)
    print(json.dumps(result, indent=2))
    command = f"python -m bench.load --seconds {args.seconds:g}"
    print("\n" + markdown(result, command, box))
    if result["server_errors"] or not result["sponsor"]["exactly_once"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
