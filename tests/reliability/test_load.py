"""A short run of the mixed load (bench/load.py) against gunicorn on PostgreSQL.

`python -m bench.load` runs it for two minutes (figures in bench/RESULTS.md); here it
runs for a few seconds with fewer readers, and the same promises must hold: no 5xx,
every job the sponsor API answered 201 for stored exactly once, crawls succeeding
while the board is read, and latency percentiles reported.
"""

from __future__ import annotations

from bench import load


def test_a_short_mixed_load_answers_no_5xx_and_stores_every_201_once(databases) -> None:
    result = load.run(databases(), seconds=12, readers=4, jobs=300, board=200)
    assert result["server_errors"] == 0, result["statuses"]
    assert result["sponsor"]["created"] >= 5
    assert result["sponsor"]["exactly_once"], result["sponsor"]
    assert result["crawls"] and set(result["crawls"]) == {"succeeded"}
    assert {"board", "api list", "json feed", "job page"} <= result["latency"].keys()
    assert 0 < result["latency"]["all"]["p50_ms"] <= result["latency"]["all"]["p99_ms"]
