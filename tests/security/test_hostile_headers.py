"""Headers from a crawled board are untrusted: an odd one is ignored, never an exception."""

from __future__ import annotations

import pytest
from scrapy.http import Response

from scraper.middlewares import retry_after


@pytest.mark.parametrize("header", [b"\xb2", b"\xb9\xb3", b"1\xb2"])  # latin-1 superscripts
def test_a_retry_after_of_superscript_digits_is_ignored(header: bytes) -> None:
    """They pass str.isdigit but not float(): the retry was lost to a ValueError."""
    response = Response("https://board.example/jobs", status=503, headers={"Retry-After": header})
    assert retry_after(response) is None
