"""Flask settings from the environment, in one place; tests pass overrides to create_app."""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, parse_qs, urlsplit

from limits.storage import SCHEMES as STORAGE_SCHEMES

from api.facet_indexes import MODES as FACET_INDEX_MODES
from models import config

SECRET_KEY_FILE = "secret_key"  # in the instance folder, when SECRET_KEY is unset
PROXY_HOPS_RANGE = range(0, 6)  # a load balancer, a CDN, nginx...: more is a mistake
REDIS_SCHEMES = ("redis", "rediss", "valkey", "valkeys")  # the database is the path, /0


def from_environment() -> dict[str, Any]:
    """Settings for this process; every value can be overridden by create_app(config)."""
    return {
        "DATABASE_URL": config.database_url(),
        "SECRET_KEY": os.environ.get("SECRET_KEY") or machine_secret_key(config.INSTANCE_DIR),
        "BASE_URL": config.base_url(),
        "RATELIMIT_STORAGE_URI": rate_limit_storage_uri(),
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_KEY_PREFIX": os.environ.get("RATELIMIT_KEY_PREFIX", "jobboard"),
        # A Redis outage must not take the site down: limits fall back to per-process memory.
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        # How many proxies in front of the app set X-Forwarded-For/-Proto (0: trust none).
        "PROXY_HOPS": proxy_hops(),
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        # Seconds a request's statement may run or wait for a lock: under gunicorn's worker
        # timeout (30 s), so a stuck request answers 503 instead of being killed mid-way.
        "DATABASE_STATEMENT_TIMEOUT": 20,
        "JSON_SORT_KEYS": False,
        "API_TITLE": "jobboard",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.1.0",
        "OPENAPI_URL_PREFIX": "/",
        "OPENAPI_JSON_PATH": "openapi.json",
        # A form's CSRF token lasts as long as the browser's session, not Flask-WTF's hour: a
        # sponsor who writes a posting for longer lost it all to a "token has expired" page.
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": config.base_url().startswith("https://"),
        "PAGE_SIZE": 25,
        # How often a worker asks whether the jobs changed, and how long it trusts an answer
        # it rendered when they did not (the clock alone changes some answers): see
        # api.conditional. Writes show up on every worker within CATALOG_RECHECK_SECONDS.
        "CATALOG_RECHECK_SECONDS": _seconds("JOBBOARD_CATALOG_RECHECK_SECONDS", "1"),
        "ANSWER_REUSE_SECONDS": _seconds("JOBBOARD_ANSWER_REUSE_SECONDS", "10"),
        # Board totals and facets from an in-memory index per worker (api.facet_indexes):
        # "background" (reloaded off the request path), "inline" or "off" (always SQL).
        "FACET_INDEX": _choice("JOBBOARD_FACET_INDEX", "background", FACET_INDEX_MODES),
        # Job page views are written in one go this often (see api.page_views).
        "VIEW_FLUSH_SECONDS": _seconds("JOBBOARD_VIEW_FLUSH_SECONDS", "5"),
        "SPONSOR_POST_RATE_LIMIT": "5/minute;30/day",  # form postings stored, per address
        "SPONSOR_FORM_RATE_LIMIT": "30/minute;300/day",  # form sends, previews included
        "SPONSOR_API_RATE_LIMIT": "60/minute",  # API posts, edits and closes, per sponsor
        "ADMIN_LOGIN_RATE_LIMIT": "5/minute",  # per client address
        "ADMIN_LOGIN_USER_RATE_LIMIT": "20/hour",  # per user name, against distributed guessing
    }


def proxy_hops() -> int:
    """How many proxies' X-Forwarded-For/-Proto entries to trust (unset or empty: 0).

    Checked, since ProxyFix takes any int: "abc" was a worker traceback, and -1 trusted the
    address the client wrote itself (rate limits dodged) or failed the request with a 500.
    """
    return config.whole_number("JOBBOARD_PROXY_HOPS", 0, PROXY_HOPS_RANGE, "proxies")


def rate_limit_storage_uri() -> str:
    """Where Flask-Limiter counts (unset or empty: memory://, each process on its own).

    Checked, since an unknown scheme was a worker traceback that did not name the variable
    (gunicorn then stopped: "Worker failed to boot"), and redis-py read "/abc" as database 0.
    """
    uri = os.environ.get("RATELIMIT_STORAGE_URI", "").strip() or "memory://"
    parts = urlsplit(uri)
    if "://" not in uri or parts.scheme not in STORAGE_SCHEMES or parts.scheme.startswith("async"):
        raise config.ConfigError(
            "RATELIMIT_STORAGE_URI must be a storage URI such as memory:// or "
            f"redis://host:6379/0, not {os.environ['RATELIMIT_STORAGE_URI']!r}"
        )
    if parts.scheme.removesuffix("+unix") in REDIS_SCHEMES and not _redis_numbers_read(parts):
        raise config.ConfigError(
            "RATELIMIT_STORAGE_URI must give its Redis port and database as numbers "
            f"(redis://host:6379/0), not {os.environ['RATELIMIT_STORAGE_URI']!r}"
        )
    return uri


def _redis_numbers_read(parts: SplitResult) -> bool:
    """Whether a Redis URI's port and database (its path, or ?db= on a socket) are numbers."""
    try:
        parts.port  # noqa: B018 (raises when the port is no number from 0 to 65535)
    except ValueError:
        return False
    databases = parse_qs(parts.query).get("db", [])
    if not parts.scheme.endswith("+unix"):
        databases.append(parts.path.strip("/") or "0")
    return all(database.isascii() and database.isdigit() for database in databases)


def _choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """One of `choices` from the environment, or a clear error naming the setting."""
    text = os.environ.get(name, default)
    if text not in choices:
        raise config.ConfigError(f"{name} must be one of {', '.join(choices)}, not {text!r}")
    return text


def _seconds(name: str, default: str) -> float:
    """A non-negative number of seconds from the environment, or a clear error naming it."""
    text = os.environ.get(name, default)
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise config.ConfigError(f"{name} must be a number of seconds >= 0, not {text!r}")
    return seconds


def machine_secret_key(directory: Path) -> str:
    """This machine's key, made once in `directory`: every worker must sign with the same key.

    A key drawn by each process made a form served by one worker fail its CSRF check on
    another. Unreadable or impossible to make, it is a ConfigError saying to set SECRET_KEY.
    """
    path = directory / SECRET_KEY_FILE
    try:
        if not path.exists():
            _make_key_file(path)
        key = path.read_text().strip()
    except OSError as exc:
        raise config.ConfigError(
            f"SECRET_KEY is unset and {path} cannot be made or read ({exc.strerror}): "
            "set SECRET_KEY"
        ) from exc
    if not key:
        raise config.ConfigError(f"SECRET_KEY is unset and {path} is empty: set SECRET_KEY")
    return key


def _make_key_file(path: Path) -> None:
    """Write a fresh key to a private temp file and link it into place: the first link wins."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(descriptor, "w") as out:
            out.write(secrets.token_hex(32) + "\n")
        with contextlib.suppress(FileExistsError):  # another worker's key is in place
            os.link(temp, path)
    finally:
        os.unlink(temp)
