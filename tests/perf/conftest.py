"""Performance-contract fixtures: the feeds area's jobs (real ingest path) and query counting."""

from tests.feeds.conftest import add_jobs, count_queries, edit, postings, source

__all__ = ["add_jobs", "count_queries", "edit", "postings", "source"]
