"""Per-source crawl locks: one crawler per source across processes, freed when its holder dies."""

from __future__ import annotations

import signal
import sys
import time
from datetime import timedelta

from models.locks import SourceLocks
from models.tables import RunStatus
from scraper.runner import crawl
from tests.ops.conftest import GREENHOUSE, store_source
from tests.scraper.test_crawl_cli import open_run, run_row

HOLD_LOCK = """
import sys, time
from models.locks import SourceLocks
locks = SourceLocks(sys.argv[1])
assert locks.acquire(int(sys.argv[2]))
print("held", flush=True)
time.sleep(60)
"""


def test_a_held_source_lock_is_refused_elsewhere_until_released(pg_url) -> None:
    first, second = SourceLocks(pg_url), SourceLocks(pg_url)
    try:
        assert first.acquire(7)
        assert not second.acquire(7)
        assert second.acquire(8)  # other sources are independent
        first.release()
        assert second.acquire(7)
    finally:
        first.release()
        second.release()


def test_a_killed_holders_lock_is_free_at_once(pg_url, processes) -> None:
    holder = processes(sys.executable, "-c", HOLD_LOCK, pg_url, "7", name="holder")
    deadline = time.monotonic() + 20
    while "held" not in holder.output():
        assert time.monotonic() < deadline and holder.popen.poll() is None, holder.output()
        time.sleep(0.05)
    locks = SourceLocks(pg_url)
    try:
        assert not locks.acquire(7)
        holder.signal(signal.SIGKILL)
        holder.popen.wait()
        killed = time.monotonic()
        while not locks.acquire(7):
            assert time.monotonic() - killed < 2, "the lock outlived its holder"
            time.sleep(0.02)
    finally:
        locks.release()


def test_a_crawl_skips_a_source_another_process_has_locked(pg_url, pg_sessions_of, ats) -> None:
    source = store_source(pg_sessions_of, ats.url(GREENHOUSE))
    other = SourceLocks(pg_url)
    try:
        assert other.acquire(source)
        [summary] = crawl([source], database_url=pg_url)
    finally:
        other.release()
    assert summary.status == "skipped"
    assert summary.errors == [f"source {source} is already being crawled by another process"]
    assert ats.requests == []


def test_a_run_whose_crawler_died_is_taken_over_sooner_under_the_lock(
    db_url, sessions, add_source
) -> None:
    """PostgreSQL: no lock holder and no heartbeat for 2 minutes means the crawler is dead.

    SQLite has no lock to tell, so the run keeps its lease until the heartbeat is stale.
    """
    source = add_source("greenhouse", GREENHOUSE, "Acme AI")
    silent = open_run(sessions, source, heartbeat_age=timedelta(minutes=2))
    [summary] = crawl([source], database_url=db_url)
    if db_url.startswith("postgresql"):
        assert summary.status == RunStatus.SUCCEEDED
        orphan = run_row(sessions, silent)
        assert orphan.status == RunStatus.FAILED
        assert orphan.errors == ["crawler died: its process no longer holds the source's lock"]
    else:
        assert summary.status == "skipped"
        assert run_row(sessions, silent).status == RunStatus.RUNNING
