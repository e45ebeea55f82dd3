"""The clock as real processes (`jobboard scheduler`) on PostgreSQL against the fake ATS server."""

from __future__ import annotations

import json
import signal
import time
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

from models.locks import SourceLocks
from models.tables import CrawlRun, Job, RunStatus
from tests.ops.conftest import GREENHOUSE, Process, jobboard, store_source

SLOW_BOARD = "/slow/30/recruitee/api/offers/"  # answers after 30 s: the crawl is still running


def wait_until(condition: Callable[[], object], timeout: float, *watch: Process) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        for process in watch:
            assert process.popen.poll() is None, process.output()
        time.sleep(0.1)
    raise AssertionError(f"not within {timeout} s: {[p.output()[-2000:] for p in watch]}")


def runs(sessions) -> list[CrawlRun]:
    with sessions() as session:
        return list(session.scalars(sa.select(CrawlRun).order_by(CrawlRun.id)))


def crawler_pids(parent: int) -> list[int]:
    """Live crawler processes started by `parent` (their environment names it)."""
    marker = f"JOBBOARD_CRAWL_PARENT={parent}".encode()
    pids = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if marker in environ.read_bytes().split(b"\0"):
                pids.append(int(environ.parent.name))
        except OSError:
            continue
    return pids


def test_two_clock_processes_crawl_a_new_source_once_within_a_minute(
    pg_url, pg_sessions_of, ats, processes
) -> None:
    source = store_source(pg_sessions_of, ats.url(GREENHOUSE))
    env = {"DATABASE_URL": pg_url}
    started = time.monotonic()
    clocks = [processes(*jobboard("scheduler"), env=env, name="clock") for _ in range(2)]
    wait_until(
        lambda: any(run.status == RunStatus.SUCCEEDED for run in runs(pg_sessions_of)), 60, *clocks
    )
    assert time.monotonic() - started < 60
    time.sleep(2)  # both clocks have ticked by now; a second crawl would have begun
    assert [(run.source_id, run.status) for run in runs(pg_sessions_of)] == [
        (source, RunStatus.SUCCEEDED)
    ]
    with pg_sessions_of() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Job)) == 3
    assert all(clock.stop() < 5 for clock in clocks)
    assert [clock.popen.returncode for clock in clocks] == [0, 0]
    lines = [json.loads(line) for line in clocks[0].output().splitlines() if line.startswith("{")]
    assert {line["message"] for line in lines} >= {"clock started", "clock stopped"}


def test_sigterm_stops_the_clock_and_its_crawl_within_seconds(
    pg_url, pg_sessions_of, ats, processes
) -> None:
    store_source(pg_sessions_of, ats.url(SLOW_BOARD), kind="recruitee")
    clock = processes(*jobboard("scheduler"), env={"DATABASE_URL": pg_url}, name="clock")
    wait_until(lambda: runs(pg_sessions_of), 30, clock)
    wait_until(lambda: crawler_pids(clock.popen.pid), 10, clock)
    assert clock.stop() < 5
    assert clock.popen.returncode == 0
    [run] = runs(pg_sessions_of)
    assert run.status == RunStatus.FAILED
    assert run.errors == ["crawl stopped: the process running it is shutting down"]
    assert crawler_pids(clock.popen.pid) == []


def test_ctrl_c_on_a_manual_crawl_fails_its_run_and_stops_its_crawler(
    pg_url, pg_sessions_of, ats, processes
) -> None:
    source = store_source(pg_sessions_of, ats.url(SLOW_BOARD), kind="recruitee")
    crawl = processes(*jobboard("crawl", str(source)), env={"DATABASE_URL": pg_url}, name="crawl")
    wait_until(lambda: crawler_pids(crawl.popen.pid), 30, crawl)
    crawl.signal(signal.SIGINT)
    crawl.popen.wait(timeout=10)
    assert crawl.popen.returncode == 1  # its run failed
    [run] = runs(pg_sessions_of)
    assert run.status == RunStatus.FAILED
    assert crawler_pids(crawl.popen.pid) == []


def test_a_killed_clock_frees_its_sources_and_takes_its_crawler_with_it(
    pg_url, pg_sessions_of, ats, processes
) -> None:
    source = store_source(pg_sessions_of, ats.url(SLOW_BOARD), kind="recruitee")
    clock = processes(*jobboard("scheduler"), env={"DATABASE_URL": pg_url}, name="clock")
    wait_until(lambda: runs(pg_sessions_of), 30, clock)
    crawlers = wait_until(lambda: crawler_pids(clock.popen.pid), 10, clock)
    locks = SourceLocks(pg_url)
    try:
        assert not locks.acquire(source)
        clock.signal(signal.SIGKILL)
        clock.popen.wait()
        assert wait_until(lambda: locks.acquire(source), 2)
    finally:
        locks.release()
    wait_until(lambda: not any(Path(f"/proc/{pid}").exists() for pid in crawlers), 5)
