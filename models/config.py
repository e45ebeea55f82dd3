"""Settings read from the environment in one place, shared by every process."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = ROOT / "instance"


class ConfigError(ValueError):
    """An environment variable that cannot mean anything: the process must not start with it."""


def checkout_path(name: str) -> Path:
    """A file or folder of the checkout jobboard runs from (migrations, templates, static files,
    gunicorn.conf.py). They are not packaged: jobboard is installed editable from its checkout,
    and a plain `pip install .` would find none of them beside the installed code."""
    path = ROOT / name
    if not path.exists():
        raise ConfigError(
            f"{path} is missing: jobboard runs from its source checkout; install it there with "
            "`pip install --no-deps -e .`"
        )
    return path


def database_url() -> str:
    """The configured database, defaulting to a SQLite file so a fresh checkout runs."""
    url = os.environ.get("DATABASE_URL")
    if url:
        # Heroku-style URLs name the driver-less scheme; psycopg 3 is the one we ship.
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url[len("postgres://") :]
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        if not url.startswith(("sqlite:", "sqlite+pysqlite:", "postgresql+psycopg:")):
            raise ConfigError(
                "DATABASE_URL must be a sqlite:/// or postgresql:// URL (psycopg 3 is the driver)"
            )
        return url
    INSTANCE_DIR.mkdir(exist_ok=True)
    return f"sqlite:///{INSTANCE_DIR / 'jobboard.db'}"


STALE_DAYS_RANGE = range(1, 3651)  # a day to ten years


def stale_days() -> int:
    """Days without a sighting after which a scraped job expires (unset or empty: 45).

    Checked, since `jobboard expire` and the clock's upkeep use it: "abc" was a traceback
    every 5 minutes, and 0 or a negative number expired every open job at once.
    """
    return whole_number("JOBBOARD_STALE_DAYS", 45, STALE_DAYS_RANGE, "days")


def whole_number(name: str, default: int, allowed: range, unit: str) -> int:
    """The whole number variable `name` holds (unset or empty: `default`), within `allowed`;
    anything else is a ConfigError naming the variable and its range."""
    text = os.environ.get(name, "").strip()
    try:
        number = int(text) if text else default
    except ValueError:
        number = None
    if number not in allowed:
        raise ConfigError(
            f"{name} must be a whole number of {unit} from {allowed.start} to {allowed.stop - 1},"
            f" not {os.environ[name]!r}"
        )
    return number


DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def base_url() -> str:
    """Public address of the board, used in feeds, the newsletter and the User-Agent.

    Checked, since links are this address and a path: "jobs.example.com" made every
    newsletter link relative, broken in an e-mail. No trailing slash; unset or empty is local.
    """
    text = _site_address("JOBBOARD_BASE_URL", "https://jobs.example.com") or DEFAULT_BASE_URL
    scheme, rest = text.split(":", 1)
    return f"{scheme.lower()}:{rest.rstrip('/')}"


def _site_address(name: str, example: str) -> str | None:
    """The variable's http(s) URL with a host (see `_is_site_address`), or None if it is unset
    or blank; anything else is a ConfigError naming it."""
    text = os.environ.get(name, "").strip()
    if text and not _is_site_address(text):
        raise ConfigError(
            f"{name} must be an absolute http(s) URL with a host and no spaces, "
            f"such as {example}, not {os.environ[name]!r}"
        )
    return text or None


def _is_site_address(text: str) -> bool:
    """An http(s) URL with a host (and a port that is a number), which a path can follow."""
    if " " in text or not text.isprintable() or "?" in text or "#" in text:
        return False
    parts = urlsplit(text)
    try:
        parts.port  # noqa: B018 (raises when the port is no number from 0 to 65535)
    except ValueError:
        return False
    return parts.scheme in {"http", "https"} and bool(parts.hostname) and parts.username is None


def scrapyd_url() -> str | None:
    """The scrapyd server crawls run on (JOBBOARD_SCRAPYD_URL), or None to crawl in a child
    process (unset or empty).

    Checked when a crawl or the clock starts: "scrapyd:6800", found by the first crawl, failed
    every run the clock opened, and no source was ever crawled.
    """
    text = _site_address("JOBBOARD_SCRAPYD_URL", "http://127.0.0.1:6800")
    return text.rstrip("/") if text else None


def allow_private_sources() -> bool:
    """Whether source URLs may point at private addresses (tests and local fixtures only)."""
    return os.environ.get("JOBBOARD_ALLOW_PRIVATE_SOURCES", "0").lower() in {"1", "true", "yes"}
