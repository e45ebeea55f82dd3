"""Start crawls from Python: the CLI and the clock call `crawl(source_ids)`.

The parent opens one run per source (the crawl lease: a source with a live run
is skipped, not crawled twice), crawls them all in one child process
(`python -m scraper.crawl`), then reads the verdicts back from the run rows. A run
the child left `running` (it crashed, was killed or timed out) is failed here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field

import sqlalchemy as sa
import sqlalchemy.orm as so

from models import config, crawl_runs
from models.db import make_engine, make_session_factory
from models.tables import CrawlRun, RunStatus, Source

SKIPPED = "skipped"
LOG_TAIL_LINES = 5


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

    @classmethod
    def of(cls, run: CrawlRun) -> RunSummary:
        counts = {name: getattr(run, name) for name in crawl_runs.COUNT_FIELDS}
        return cls(run.source_id, run.id, run.status, counts, list(run.errors or []))


def crawl(
    source_ids: list[int],
    *,
    database_url: str | None = None,
    timeout: float | None = None,
    show_log: bool = False,
) -> list[RunSummary]:
    """Crawl the sources in one child process; one summary per source, in the given order."""
    source_ids = list(dict.fromkeys(source_ids))
    url = database_url or config.database_url()
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    try:
        with sessions() as session:
            crawl_runs.fail_stale(session)
            summaries = _start_runs(session, source_ids)
            session.commit()
        run_ids = [s.run_id for s in summaries.values() if s.status == RunStatus.RUNNING]
        if run_ids:
            problem = _run_child(url, run_ids, timeout, show_log)
            with sessions() as session:
                summaries |= _read_back(session, run_ids, problem)
                session.commit()
        return [_gone_if_running(summaries[source_id]) for source_id in source_ids]
    finally:
        engine.dispose()


def _start_runs(session: so.Session, source_ids: list[int]) -> dict[int, RunSummary]:
    """Open a run per source; a source already being crawled gets a `skipped` summary."""
    known = set(session.scalars(sa.select(Source.id).where(Source.id.in_(source_ids))))
    unknown = [source_id for source_id in source_ids if source_id not in known]
    if unknown:
        raise UnknownSources(f"no source with id {', '.join(map(str, unknown))}")
    summaries = {}
    for source_id in source_ids:
        try:
            run = crawl_runs.start(session, source_id)
        except crawl_runs.AlreadyRunning as exc:
            summaries[source_id] = RunSummary(source_id, exc.run_id, SKIPPED, errors=[str(exc)])
            continue
        summaries[source_id] = RunSummary(source_id, run.id, run.status)
    return summaries


def _run_child(url: str, run_ids: list[int], timeout: float | None, show_log: bool) -> str | None:
    """Run the crawler process; returns why it did not end normally, or None."""
    argv = [sys.executable, "-m", "scraper.crawl", *map(str, run_ids)]
    env = {**os.environ, "DATABASE_URL": url}
    output = None if show_log else subprocess.PIPE
    try:
        child = subprocess.run(
            argv, env=env, cwd=config.ROOT, stdout=output, stderr=output, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return f"crawl timed out after {timeout:g} s and was stopped"
    if child.returncode == 0:
        return None
    tail = " | ".join((child.stderr or "").strip().splitlines()[-LOG_TAIL_LINES:])
    return f"crawler exited with code {child.returncode}" + (f": {tail}" if tail else "")


def _read_back(
    session: so.Session, run_ids: list[int], problem: str | None
) -> dict[int, RunSummary]:
    """The runs' verdicts; one the child left running is failed with the child's problem."""
    runs = session.scalars(sa.select(CrawlRun).where(CrawlRun.id.in_(run_ids))).all()
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
