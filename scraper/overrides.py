"""JOBBOARD_CRAWL_SETTINGS: the Scrapy settings one crawl changes, as a JSON object.

Read by the crawler (child process or scrapyd job) and checked by the runner before it
opens any run, so a typo in it is one clear message instead of every run failing with
a fragment of the child's traceback.
"""

from __future__ import annotations

import json
import os

ENV = "JOBBOARD_CRAWL_SETTINGS"


class BadOverrides(ValueError):
    """JOBBOARD_CRAWL_SETTINGS is set to something other than a JSON object."""


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
