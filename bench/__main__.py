"""`python -m bench [--quick] [--only NAME ...]`: run the benchmarks, write bench/out/*.json
and regenerate the figures section of bench/RESULTS.md.

The full run builds 100,000 jobs through the real ingest path (that build is the ingest
benchmark), then times the board's queries and the HTTP endpoints on that database,
and crawls a 10,000-posting board. `--quick` does the same at 10,000 jobs, a 2,000-posting
crawl and 3-second wrk runs, in under two minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import crawl, http, ingest, queries, report
from bench.common import database_url, machine, vacuum_analyze

OUT = Path(__file__).parent / "out"
DATABASE = "jobboard_bench"


@dataclass(frozen=True)
class Sizes:
    jobs: int
    crawl: int
    wrk_seconds: int
    repeat: int


FULL = Sizes(jobs=100_000, crawl=10_000, wrk_seconds=10, repeat=30)
QUICK = Sizes(jobs=10_000, crawl=2_000, wrk_seconds=3, repeat=10)
SUITE = ("ingest", "queries", "http", "crawl")


def run_suite(
    sizes: Sizes, only: tuple[str, ...] = SUITE, database: str = DATABASE, out: Path | None = None
) -> dict:
    """Every benchmark asked for, in order; queries and HTTP reuse the ingested database.

    With `out`, each benchmark's figures are written there as soon as it ends.
    """
    url = database_url(database)
    results = _Results(out)
    needs_jobs = any(name in only for name in ("queries", "http"))
    if "ingest" in only or (needs_jobs and not _has_jobs(url)):
        results["ingest"] = ingest.run(sizes.jobs, database=database)
        vacuum_analyze(url)  # what autovacuum does after a bulk load
        queries.feature_some(url)
    if "queries" in only:
        results["queries"] = queries.run(url, repeat=sizes.repeat)
    if "http" in only:
        results["http"] = http.run(url, seconds=sizes.wrk_seconds)
    if "crawl" in only:
        results["crawl"] = crawl.run(sizes.crawl, database=f"{database}_crawl")
    results["machine"] = machine(url)
    return dict(results)


class _Results(dict):
    """Figures by benchmark name, saved to `out` (if any) as each one is set."""

    def __init__(self, out: Path | None) -> None:
        super().__init__()
        self.out = out

    def __setitem__(self, name: str, figures: Any) -> None:
        super().__setitem__(name, figures)
        if self.out is not None:
            write(self.out, {name: figures})


def _has_jobs(url: str) -> bool:
    try:
        return queries.job_count(url) > 0
    except Exception:  # no such database yet
        return False


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10k jobs, short runs (< 2 min)")
    parser.add_argument("--only", nargs="+", choices=SUITE, default=list(SUITE))
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    started = datetime.now(UTC)
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    run = {
        "command": shlex.join(["python", "-m", "bench", *(argv or sys.argv[1:])]),
        "started": started.isoformat(timespec="seconds"),
        "load_average_at_start": load_at_start,
        "sizes": asdict(sizes),
    }
    if set(args.only) == set(SUITE):
        for stale in OUT.glob("*.json"):
            stale.unlink()  # a full run replaces every figure
    write(OUT, {"run": run})
    run_suite(sizes, tuple(args.only), out=OUT)
    report.update_results_md(OUT)
    print(report.summary(OUT))


def write(out: Path, results: dict[str, Any]) -> None:
    """One JSON file per benchmark (and the run's own), read back by bench.report."""
    out.mkdir(exist_ok=True)
    for name, figures in results.items():
        (out / f"{name}.json").write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
