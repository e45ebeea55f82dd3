"""Performance-contract fixtures: the feeds area's jobs, made through the real ingest path."""

from tests.feeds.conftest import add_jobs, edit, postings, source

__all__ = ["add_jobs", "edit", "postings", "source"]
