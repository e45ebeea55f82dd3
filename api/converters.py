"""URL converters for numbers written one way only, so each resource has one address.

Werkzeug's `int` converter matches `\\d+` and converts with int(): `/api/v1/jobs/01`, `/0001`
and `/%D9%A1` (an Arabic-Indic one) all answered as `/api/v1/jobs/1`, each a second address of
the job with its own ETag, cache entry and log line. These match only the digits `str(n)`
writes, so every other spelling is a 404, as another spelling of a job page's slug is.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

from models.tables import MAX_ID


class CanonicalInt(IntegerConverter):
    """A non-negative integer in ASCII digits without leading zeros: `<canonical_int:n>`."""

    regex = r"(?:0|[1-9][0-9]*)"


class RowId(CanonicalInt):
    """A row id, `<row_id:name>`: 1 to MAX_ID (the INTEGER columns' largest), else a 404
    rather than a driver error."""

    def __init__(self, map: Map) -> None:
        super().__init__(map, min=1, max=MAX_ID)


def init_app(app: Flask) -> None:
    """Register the converters; before any blueprint, whose rules name them."""
    app.url_map.converters.update(canonical_int=CanonicalInt, row_id=RowId)
