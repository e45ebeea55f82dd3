"""Static files under versioned URLs, which browsers keep for a year.

Every url_for("static", ...) carries ?v=<digest of the file>, so a changed file gets a new
address; an address with the file's own digest can then be cached for good, and a page
view no longer revalidates its stylesheet and scripts one request each.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, request

ONE_YEAR = 365 * 24 * 3600


def init_app(app: Flask) -> None:
    app.url_defaults(_add_version)
    app.after_request(_cache_versioned)


def _add_version(endpoint: str, values: dict[str, Any]) -> None:
    if endpoint == "static" and "filename" in values and "v" not in values:
        version = file_version(values["filename"])
        if version:
            values["v"] = version


def file_version(filename: str) -> str | None:
    """The first 12 hex digits of the static file's SHA-256, or None if there is no such file."""
    folder = Path(current_app.static_folder or "").resolve()
    path = (folder / filename).resolve()
    if not path.is_file() or not path.is_relative_to(folder):
        return None
    stat = path.stat()
    return _digest(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=256)
def _digest(path: Path, _mtime_ns: int, _size: int) -> str:
    """Keyed by modification time and size too, so an edited file is hashed again."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def _cache_versioned(response: Response) -> Response:
    """A year for a static file asked for by its own digest; the rest revalidate as before."""
    if request.endpoint != "static" or response.status_code != 200:
        return response
    version = request.args.get("v")
    if version and version == file_version((request.view_args or {}).get("filename", "")):
        response.cache_control.no_cache = None
        response.cache_control.public = True
        response.cache_control.max_age = ONE_YEAR
        response.cache_control.immutable = True
    return response
