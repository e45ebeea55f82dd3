"""JOBBOARD_CRAWL_SETTINGS: the Scrapy settings one crawl changes, as a JSON object.

Read by the crawler (child process or scrapyd job). The runner checks that it is a JSON
object before it opens any run, and the crawler reads each value as Scrapy will before
crawling, so a typo is one clear message (on the CLI, or on each failed run) instead of
a fragment of a traceback.
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy.settings import Settings

ENV = "JOBBOARD_CRAWL_SETTINGS"


class BadOverrides(ValueError):
    """JOBBOARD_CRAWL_SETTINGS is not a JSON object, or gives a setting a value it cannot take."""


def overrides() -> dict[str, object]:
    """The settings to change, e.g. {"DOWNLOAD_MAXSIZE": 134217728}; {} when unset."""
    text = os.environ.get(ENV) or "{}"
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise BadOverrides(f"{ENV} is not JSON ({exc}): {text[:80]!r}") from exc
    if not isinstance(value, dict):
        raise BadOverrides(f"{ENV} must be a JSON object of Scrapy settings, not {text[:80]!r}")
    return value


def apply(settings: Settings, defaults: Settings) -> None:
    """Set each override, read back as Scrapy will, so a timeout of "abc" is named at once.

    Scrapy converts most settings only where it uses them, deep inside a download, which
    fails the run with a message that names neither the setting nor the variable.
    """
    for name, value in overrides().items():
        reader, kind = _reader(defaults.get(name))
        try:
            settings.set(name, value, priority="cmdline")
            if reader:
                getattr(settings, reader)(name)
        except (TypeError, ValueError) as exc:
            raise BadOverrides(f"{ENV}: {name} must be {kind}, not {value!r}") from exc


def _reader(default: object) -> tuple[str | None, str]:
    """The Settings getter that reads a setting like its default, and what it expects.

    Numbers are read as floats, which every numeric setting accepts; a setting without
    a default, or with a text one, is taken as given.
    """
    if isinstance(default, bool):
        return "getbool", "true or false"
    if isinstance(default, int | float):
        return "getfloat", "a number"
    if isinstance(default, list | tuple):
        return "getlist", "a list"
    if default is not None and not isinstance(default, str):  # dict-like (BaseSettings)
        return "getdict", "a JSON object"
    return None, "a value Scrapy accepts"
