"""`python -m bench.statements [--postings N]`: where a new ingest's time goes, by SQL statement.

Ingests N postings of the benchmark's data set into a fresh PostgreSQL database, as the
ingest benchmark does (autoanalyze replayed), and prints the rate, then the time each kind
of SQL statement took per posting, measured around the cursor on the writer's
connection: the server's work on it and the round trip. The writer thread waits on these;
the reading of the next batch runs beside them.
"""

from __future__ import annotations

import argparse
import collections
import time
from typing import Any

from sqlalchemy import event

from bench.common import drop_database, fresh_database, stopwatch
from bench.dataset import postings
from bench.ingest import ingest_like_autovacuum
from models.db import make_engine, make_session_factory
from models.tables import Source

DATABASE = "jobboard_bench_statements"
SHOWN = 10


def run(count: int) -> tuple[float, list[tuple[str, int, float]]]:
    """Postings/s, and (statement, executions, us per posting) by time spent, largest first."""
    url = fresh_database(DATABASE)
    rows = list(postings(count))
    engine = make_engine(url)
    spent: dict[str, list[Any]] = collections.defaultdict(lambda: [0, 0.0])

    @event.listens_for(engine, "before_cursor_execute")
    def started(conn: Any, *_: Any) -> None:
        conn.info["started"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def ended(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        kind = " ".join(statement.split())[:70]
        spent[kind][0] += 1
        spent[kind][1] += time.perf_counter() - conn.info["started"]

    with make_session_factory(engine)() as session:
        source = Source(kind="greenhouse", url="https://bench.example/statements", company="bench")
        session.add(source)
        session.commit()
        with stopwatch() as timer:
            ingest_like_autovacuum(session, rows, source)
    engine.dispose()
    drop_database(DATABASE)
    by_time = sorted(spent.items(), key=lambda item: -item[1][1])
    return count / timer["seconds"], [(k, n, s * 1e6 / count) for k, (n, s) in by_time]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postings", type=int, default=20_000)
    count = parser.parse_args().postings
    rate, statements = run(count)
    print(f"{count:,} new postings: {rate:,.0f}/s")
    for statement, executions, micros in statements[:SHOWN]:
        print(f"{micros:8.1f} us/posting {executions:6d}x  {statement}")


if __name__ == "__main__":
    main()
