"""Start crawls from Python: the CLI and the clock call `crawl(source_ids)`.

The parent opens one run per source (the crawl lease: a source with a live run
is skipped, not crawled twice), crawls them all in one child process
(`python -m scraper.crawl`), then reads the verdicts back from the run rows. A run
the child left `running` (it crashed, was killed or timed out) is failed here.
With JOBBOARD_SCRAPYD_URL set, the runs are crawled as scrapyd jobs instead
(scraper.scrapyd), recorded the same way.

Across processes, each source is crawled under its lock (models.locks), held from
before its run opens until its verdict is recorded: a second clock or a manual
`jobboard crawl` skips a source whose lock is taken. On PostgreSQL a dead crawler's
lock is gone at once, so a running run whose heartbeat stopped is failed and taken
over after ORPHAN_AFTER instead of the lease's STALE_AFTER.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so

from models import config, crawl_runs, locks
from models.db import make_engine, writer_session_factory
from models.tables import CrawlRun, RunStatus, Source
from models.types import utcnow
from scraper import lifeline
from scraper.overrides import overrides

SKIPPED = "skipped"
LOG_TAIL_LINES = 5
POLL_SECONDS = 0.5  # how soon a stop request or a timeout kills the crawler
KEEPALIVE_SECONDS = 30.0  # the runs' heartbeat while this process waits for their crawler
ORPHAN_AFTER = timedelta(seconds=90)  # three missed heartbeats (HEARTBEAT_SECONDS is 30)
SQLITE_WRITE_ATTEMPTS = 3


class UnknownSources(ValueError):
    """Source ids that are not in the sources table."""


@dataclass(frozen=True)
class RunSummary:
    """How one source's crawl went, read back from its crawl_runs row."""

    source_id: int
    run_id: int | None
    status: str  # a RunStatus, or "skipped" when another crawl of the source is running
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    run_token: str | None = None

    @classmethod
    def of(cls, run: CrawlRun) -> RunSummary:
        counts = {name: getattr(run, name) for name in crawl_runs.COUNT_FIELDS}
        return cls(run.source_id, run.id, run.status, counts, list(run.errors or []), run.token)


def crawl(
    source_ids: list[int],
    *,
    database_url: str | None = None,
    timeout: float | None = None,
    show_log: bool = False,
    stop: threading.Event | None = None,
) -> list[RunSummary]:
    """Crawl the sources in one child process; one summary per source, in the given order.

    Setting `stop` (the clock does on SIGTERM) kills the crawler within POLL_SECONDS;
    its runs are then recorded as failed.
    """
    source_ids = list(dict.fromkeys(source_ids))
    overrides()  # a bad JOBBOARD_CRAWL_SETTINGS is one BadOverrides, before any run opens
    config.base_url()  # the crawler's User-Agent names it: a bad one is a ConfigError here
    config.stale_days()  # the ingest reads it to date sightings (lifecycle.sighting_resolution)
    config.scrapyd_url()  # where the runs are crawled
    url = database_url or config.database_url()
    engine = make_engine(url)
    sessions = writer_session_factory(engine)
    try:
        with locks.SourceLocks(url) as held:
            summaries = _open_runs(sessions, source_ids, held)
            keys = [
                (s.run_id, s.run_token) for s in summaries.values() if s.status == RunStatus.RUNNING
            ]
            if keys:
                cut_short = _keeping_alive(sessions, keys, _cut_short_by(timeout, stop))
                problem = _crawl_runs(sessions, url, keys, show_log, cut_short)
                with sessions() as session:
                    summaries |= _read_back(session, keys, problem)
                    session.commit()
        return [_gone_if_running(summaries[source_id]) for source_id in source_ids]
    finally:
        engine.dispose()


def _open_runs(
    sessions: so.sessionmaker[so.Session], source_ids: list[int], held: locks.SourceLocks
) -> dict[int, RunSummary]:
    """Fail dead runs and open the new ones in one transaction.

    SQLite refuses at once ("database is locked") a write from a transaction that began
    reading before another crawl's start committed; tried again, it sees that crawl's
    run and skips the source.
    """
    for attempt in itertools.count(1):
        with sessions() as session:
            try:
                crawl_runs.fail_stale(session)
                summaries = _start_runs(session, source_ids, held)
                session.commit()
                return summaries
            except sa.exc.OperationalError:
                if session.get_bind().dialect.name != "sqlite" or attempt == SQLITE_WRITE_ATTEMPTS:
                    raise


def _start_runs(
    session: so.Session, source_ids: list[int], held: locks.SourceLocks
) -> dict[int, RunSummary]:
    """Lock each source and open its run; a source being crawled gets a `skipped` summary."""
    known = set(session.scalars(sa.select(Source.id).where(Source.id.in_(source_ids))))
    unknown = [source_id for source_id in source_ids if source_id not in known]
    if unknown:
        raise UnknownSources(f"no source with id {', '.join(map(str, unknown))}")
    summaries = {}
    for source_id in source_ids:
        if not held.acquire(source_id):
            summaries[source_id] = _locked_elsewhere(session, source_id)
            continue
        if held.exclusive:
            _fail_orphan(session, source_id)
        try:
            run = crawl_runs.start(session, source_id)
        except crawl_runs.AlreadyRunning as exc:
            summaries[source_id] = RunSummary(source_id, exc.run_id, SKIPPED, errors=[str(exc)])
            continue
        summaries[source_id] = RunSummary.of(run)
    return summaries


def _locked_elsewhere(session: so.Session, source_id: int) -> RunSummary:
    """The summary of a source whose lock another process holds."""
    run_id = session.scalar(
        sa.select(CrawlRun.id).where(
            CrawlRun.source_id == source_id, CrawlRun.status == RunStatus.RUNNING
        )
    )
    holder = f"run #{run_id}" if run_id else "another process"
    return RunSummary(
        source_id,
        run_id,
        SKIPPED,
        errors=[f"source {source_id} is already being crawled by {holder}"],
    )


def _fail_orphan(session: so.Session, source_id: int) -> None:
    """Under the source's lock, a running run whose heartbeat stopped has lost its crawler."""
    orphans = session.scalars(
        sa.select(CrawlRun).where(
            CrawlRun.source_id == source_id,
            CrawlRun.status == RunStatus.RUNNING,
            CrawlRun.heartbeat_at < utcnow() - ORPHAN_AFTER,
        )
    )
    for run in orphans:
        crawl_runs.fail(run, "crawler died: its process no longer holds the source's lock")
    session.flush()


def _crawl_runs(
    sessions: so.sessionmaker[so.Session],
    url: str,
    keys: list[crawl_runs.RunKey],
    show_log: bool,
    cut_short: Callable[[], str | None],
) -> str | None:
    """Crawl on scrapyd if JOBBOARD_SCRAPYD_URL names one, else in a child process."""
    server = config.scrapyd_url()
    if not server:
        return _run_child(url, keys, show_log, cut_short)
    from scraper import scrapyd  # needs the `scrapyd` extra (requests)

    with sessions() as session:  # closed before waiting: it must hold no lock during the crawl
        runs = list(session.scalars(sa.select(CrawlRun).where(crawl_runs.those(keys))))
    return scrapyd.crawl(server, runs, cut_short)


def _run_child(
    url: str, keys: list[crawl_runs.RunKey], show_log: bool, cut_short: Callable[[], str | None]
) -> str | None:
    """Run the crawler process; returns why it did not end normally, or None."""
    argv = [sys.executable, "-m", "scraper.crawl", *(f"{id_}:{token}" for id_, token in keys)]
    env = {**os.environ, "DATABASE_URL": url, **lifeline.parent_env()}
    output = None if show_log else subprocess.PIPE
    with subprocess.Popen(
        argv, env=env, cwd=config.ROOT, stdout=output, stderr=output, text=True
    ) as child:
        while True:
            try:
                _, stderr = child.communicate(timeout=POLL_SECONDS)
                break
            except subprocess.TimeoutExpired:
                if (cut := cut_short()) is not None:
                    child.kill()
                    child.communicate()
                    return cut
    if child.returncode == 0:
        return None
    tail = " | ".join((stderr or "").strip().splitlines()[-LOG_TAIL_LINES:])
    return f"crawler exited with code {child.returncode}" + (f": {tail}" if tail else "")


def _cut_short_by(timeout: float | None, stop: threading.Event | None) -> Callable[[], str | None]:
    """A check of why a crawl still running must end now (None while it may go on)."""
    deadline = None if timeout is None else time.monotonic() + timeout

    def cut_short() -> str | None:
        if stop is not None and stop.is_set():
            return "crawl stopped: the process running it is shutting down"
        if deadline is not None and time.monotonic() >= deadline:
            return f"crawl timed out after {timeout:g} s and was stopped"
        return None

    return cut_short


def _keeping_alive(
    sessions: so.sessionmaker[so.Session],
    keys: list[crawl_runs.RunKey],
    cut_short: Callable[[], str | None],
) -> Callable[[], str | None]:
    """`cut_short`, beating the runs' heartbeat every KEEPALIVE_SECONDS on the way.

    A run is alive while this process waits for its crawler. Its spider beats only once
    it opens: a run queued behind a slow source of its host (or in scrapyd's queue) would
    otherwise be failed as dead after STALE_AFTER, and its source crawled a second time.
    """
    last = time.monotonic()

    def check() -> str | None:
        nonlocal last
        if time.monotonic() - last >= KEEPALIVE_SECONDS:
            with sessions() as session:
                crawl_runs.beat(session, keys)
                session.commit()
            last = time.monotonic()
        return cut_short()

    return check


def _read_back(
    session: so.Session, keys: list[crawl_runs.RunKey], problem: str | None
) -> dict[int, RunSummary]:
    """The runs' verdicts; one the child left running is failed with the child's problem."""
    runs = session.scalars(sa.select(CrawlRun).where(crawl_runs.those(keys))).all()
    for run in runs:
        if run.status == RunStatus.RUNNING:
            crawl_runs.fail(run, problem or "crawler ended without recording this run")
    session.flush()
    return {run.source_id: RunSummary.of(run) for run in runs}


def _gone_if_running(summary: RunSummary) -> RunSummary:
    """A run that vanished during the crawl: its source was removed meanwhile."""
    if summary.status != RunStatus.RUNNING:
        return summary
    return RunSummary(
        summary.source_id, summary.run_id, RunStatus.FAILED, errors=["source removed"]
    )
