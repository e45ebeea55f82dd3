"""The benchmark suite still runs end to end (tiny sizes, no wrk), so it cannot rot unnoticed."""

import uuid

import pytest

from bench import __main__ as suite
from bench import report
from bench.common import drop_database
from tests.conftest import PG_ADMIN_URL


@pytest.fixture
def bench_database(monkeypatch):
    """A throwaway database name for the suite (and its crawl databases), dropped afterwards."""
    monkeypatch.setattr("bench.common.ADMIN_URL", PG_ADMIN_URL)
    name = f"jobboard_bench_smoke_{uuid.uuid4().hex[:8]}"
    yield name
    for suffix in ("", "_crawl", "_crawl_direct"):
        drop_database(name + suffix)


def test_the_suite_measures_and_reports_at_a_tiny_size(bench_database, tmp_path):
    sizes = suite.Sizes(jobs=300, crawl=120, wrk_seconds=1, repeat=2)
    results = suite.run_suite(sizes, ("ingest", "queries", "crawl"), database=bench_database)
    assert results["ingest"]["new_per_s"] > 0 and results["ingest"]["copy_per_s"] > 0
    assert results["ingest"]["schema_floor_per_s"] > 0
    assert results["crawl"]["crawl_new_per_s"] > 0
    for measured in (results["ingest"], results["crawl"]):  # PostgreSQL runs on this machine
        assert measured["cpu_ms_python"] > 0 and measured["cpu_ms_postgresql"] > 0
        assert measured["cpu_bound_per_s"] > 0
    assert "created 120" in results["crawl"]["summary"][0]
    assert set(results["queries"]["cases"]) >= {"no filter", "q rare", "deep cursor"}
    suite.write(tmp_path, results | {"run": {"command": "python -m bench --smoke"}})
    results_md = tmp_path / "RESULTS.md"
    results_md.write_text(f"# Results\n\nkept\n\n{report.START}\nold\n{report.END}\n\nalso kept\n")
    report.update_results_md(tmp_path, results_md)
    text = results_md.read_text()
    assert "kept" in text and "also kept" in text and "old" not in text
    assert "### Ingest (300 postings)" in text and "### Board queries" in text
    assert "| CPU ms per new posting: PostgreSQL |" in text
