"""`jobboard crawl` (Scrapy in a child process) and `jobboard runs` (recent crawl runs)."""

from __future__ import annotations

import contextlib
import math
import signal
import threading
from collections.abc import Iterator

import click

from api.commands import ROW_ID
from api.commands.sources import cli_session
from models import crawl_runs, sources
from models.tables import CrawlRun, RunStatus, Source
from scraper import runner
from scraper.overrides import BadOverrides

MAX_ERRORS_SHOWN = 5


def counts_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {counts.get(name, 0)}" for name in crawl_runs.COUNT_FIELDS)


@click.command("crawl")
@click.option("--all", "crawl_all", is_flag=True, help="Crawl every enabled source.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Stop the crawl after this many seconds.",
)
@click.option("--log", "show_log", is_flag=True, help="Show Scrapy's log while crawling.")
@click.argument("source_ids", nargs=-1, type=ROW_ID)
def crawl(
    crawl_all: bool, timeout: float | None, show_log: bool, source_ids: tuple[int, ...]
) -> None:
    """Crawl SOURCE_IDS (or --all) now; exits 1 if any source's run failed."""
    if timeout is not None and not math.isfinite(timeout):
        raise click.BadParameter("must be a number of seconds", param_hint="--timeout")
    if crawl_all == bool(source_ids):
        raise click.UsageError("give SOURCE_IDS or --all (not both)")
    with cli_session() as session:
        query = sources.enabled_sources() if crawl_all else sources.all_sources()
        known = {source.id: source for source in session.scalars(query)}
    ids = list(known) if crawl_all else list(source_ids)
    if not ids:
        click.echo("no enabled sources to crawl")
        return
    stop = threading.Event()
    try:
        with _stopping_on_signals(stop):
            summaries = runner.crawl(ids, timeout=timeout, show_log=show_log, stop=stop)
    except (runner.UnknownSources, BadOverrides) as exc:
        raise click.ClickException(str(exc)) from exc
    for summary in summaries:
        echo_summary(summary, known[summary.source_id])
    if any(summary.status == RunStatus.FAILED for summary in summaries):
        raise SystemExit(1)


@contextlib.contextmanager
def _stopping_on_signals(stop: threading.Event) -> Iterator[None]:
    """Ctrl-C or SIGTERM stops the crawl the way the clock's shutdown does: the crawler is
    killed and its runs are recorded as failed, not left `running` for the next crawl to
    skip. A second Ctrl-C interrupts at once."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def request_stop(signum: int, _frame: object) -> None:
        click.echo("stopping the crawl...", err=True)
        stop.set()
        signal.signal(signum, previous[signum])

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def echo_summary(summary: runner.RunSummary, source: Source) -> None:
    run = f"run {summary.run_id}" if summary.run_id else "no run"
    click.echo(
        f"source {source.id} {source.company} ({source.kind}): {summary.status} "
        f"[{run}] {counts_text(summary.counts)}"
    )
    for error in summary.errors[:MAX_ERRORS_SHOWN]:
        click.echo(f"    {error}")
    if len(summary.errors) > MAX_ERRORS_SHOWN:
        click.echo(f"    ... {len(summary.errors) - MAX_ERRORS_SHOWN} more (see `jobboard runs`)")


@click.command("runs")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
def runs(limit: int) -> None:
    """Recent crawl runs, newest first; runs whose crawler died are failed first."""
    with cli_session() as session:
        stale = crawl_runs.fail_stale(session)
        session.flush()
        rows = session.scalars(crawl_runs.recent(limit)).all()
        if stale:
            click.echo(f"{stale} run(s) without a heartbeat marked failed")
        for run in rows:
            click.echo(describe_run(run))
            if run.errors:
                click.echo(f"    {run.errors[0]}")
        if not rows:
            click.echo("no crawl runs yet")


def describe_run(run: CrawlRun) -> str:
    took = f"{(run.finished_at - run.started_at).total_seconds():.0f}s" if run.finished_at else "-"
    counts = {name: getattr(run, name) for name in crawl_runs.COUNT_FIELDS}
    return (
        f"run {run.id:>5}  {run.started_at:%Y-%m-%d %H:%M}  {run.status:<9} {took:>6}  "
        f"source {run.source_id} {run.source.company} ({run.source.kind})  {counts_text(counts)}"
    )


def register(main: click.Group) -> None:
    main.add_command(crawl)
    main.add_command(runs)
