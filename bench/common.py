"""Shared benchmark plumbing: throwaway PostgreSQL databases, timers and percentiles."""

from __future__ import annotations

import gc
import os
import platform
import resource
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from models import migrate

ADMIN_URL = os.environ.get("JOBBOARD_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def database_url(name: str) -> str:
    """The URL of database `name` on the benchmark's PostgreSQL server."""
    return ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def fresh_database(name: str) -> str:
    """Drop and re-create database `name`, migrate it, and return its URL."""
    drop_database(name)
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = database_url(name)
    migrate.upgrade(url)
    return url


def drop_database(name: str) -> None:
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def vacuum_analyze(url: str) -> None:
    """VACUUM ANALYZE, as autovacuum does soon after a bulk load: statistics, visibility map."""
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text("VACUUM ANALYZE"))
    engine.dispose()


@contextmanager
def stopwatch() -> Any:
    """Yields a dict whose "seconds" is filled in when the block ends."""
    result: dict[str, float] = {}
    start = time.perf_counter()
    yield result
    result["seconds"] = time.perf_counter() - start


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": round(statistics.median(ordered), 2), "p95_ms": round(p95, 2)}


def time_calls(
    call: Callable[[], Any],
    repeat: int,
    warmup: int = 2,
    prepare: Callable[[], Any] | None = None,
) -> dict[str, float]:
    """p50/p95 in milliseconds of `call` over `repeat` runs after a warm-up; `prepare`, if
    given, runs untimed before each, for a call that must find what it needs made anew.

    A full collection first: this one long-lived process piles up survivors that a web
    worker, with a session per request, does not (no full collection in 6,000 requests of
    a worker's app), and the 35-57 ms pause of walking the app's ~130,000 objects would
    otherwise land on whichever case happened to set it off.
    """
    gc.collect()
    samples = []
    for run in range(warmup + repeat):
        if prepare is not None:
            prepare()
        start = time.perf_counter()
        call()
        if run >= warmup:
            samples.append((time.perf_counter() - start) * 1000)
    return percentiles(samples)


@contextmanager
def cpu_meter() -> Iterator[dict[str, float | None]]:
    """Yields a dict filled in when the block ends with the CPU seconds spent in it: by this
    process (all its threads) and the children it waited for ("python"), and by PostgreSQL's
    processes on this machine ("postgresql", None when none is seen: a server elsewhere).

    Wall time alone cannot tell a slow ingest from a busy machine. CPU seconds per posting,
    set against the machine's cores, give the fastest rate the work could ever reach here.
    """
    result: dict[str, float | None] = {}
    python, postgresql = _own_cpu_seconds(), _postgres_cpu_seconds()
    yield result
    result["python"] = _own_cpu_seconds() - python
    after = _postgres_cpu_seconds()
    result["postgresql"] = None if after is None or postgresql is None else after - postgresql


def _own_cpu_seconds() -> float:
    own, waited = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + waited.ru_utime + waited.ru_stime


def _postgres_cpu_seconds() -> float | None:
    """User and system CPU seconds of PostgreSQL's processes: every live one, and through
    the server's own count of its waited-for children, the backends that have exited."""
    ticks, seen = 0, False
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # exited meanwhile
        name, _, rest = text.partition(" (")[2].rpartition(") ")
        if name == "postgres":
            fields = rest.split()
            ticks += sum(map(int, fields[11:15]))  # utime, stime, cutime, cstime: proc(5)
            seen = True
    return ticks / os.sysconf("SC_CLK_TCK") if seen else None


def cpu_bound(count: int, cpu: dict[str, float | None]) -> dict[str, Any]:
    """CPU milliseconds per item, by side, and the rate this machine's cores bound it to."""
    python, postgresql = cpu["python"] or 0.0, cpu["postgresql"]
    total = python + (postgresql or 0.0)
    return {
        "cpu_ms_python": round(python * 1000 / count, 3),
        "cpu_ms_postgresql": None if postgresql is None else round(postgresql * 1000 / count, 3),
        "cpu_bound_per_s": round((os.cpu_count() or 1) * count / total) if total else None,
    }


def machine(url: str) -> dict[str, Any]:
    """What the figures were measured on: cores, memory, PostgreSQL, and how busy the box was."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        version = conn.execute(sa.text("SHOW server_version")).scalar()
    engine.dispose()
    return {
        "nproc": os.cpu_count(),
        "ram_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "postgresql": version,
        "python": platform.python_version(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def peak_rss_mb(pid: int) -> float | None:
    """A live process's peak resident set (VmHWM) in MiB, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def children(pid: int) -> list[int]:
    """Direct children of a live process (Linux /proc)."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as listing:
            return [int(child) for child in listing.read().split()]
    except OSError:
        return []


def descendants(pid: int) -> list[int]:
    """Children, grandchildren and so on of a live process."""
    found = children(pid)
    return found + [grandchild for child in found for grandchild in descendants(child)]


def run_measuring_memory(argv: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Run a command to its end: seconds, exit code, and the peak RSS of it and its children.

    The command and its descendants (e.g. the crawler process `jobboard crawl` starts) are
    sampled every 50 ms while they live; VmHWM is a high-water mark, so a sample after the
    peak sees it. (os.wait4's ru_maxrss would not do: it counts the memory a forked child
    shared with this big benchmark process before its exec.)
    """
    child_peaks: dict[int, float] = {}
    own_peak = 0.0
    with tempfile.TemporaryFile() as log, stopwatch() as timer:
        process = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT)
        while _alive(process.pid):
            for child in descendants(process.pid):
                peak = peak_rss_mb(child)
                if peak is not None:
                    child_peaks[child] = max(peak, child_peaks.get(child, 0.0))
            own_peak = peak_rss_mb(process.pid) or own_peak
            time.sleep(0.05)
        process.wait()
        log.seek(0)
        output = log.read().decode(errors="replace")
    return {
        "seconds": timer["seconds"],
        "exit_code": process.returncode,
        "output": output,
        "own_peak_rss_mb": own_peak,
        "child_peak_rss_mb": max(child_peaks.values(), default=None),
    }


def _alive(pid: int) -> bool:
    """The process has not exited (a zombie awaiting its wait counts as exited)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
