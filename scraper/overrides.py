"""JOBBOARD_CRAWL_SETTINGS: the Scrapy settings one crawl changes, as a JSON object.

Read by the crawler (child process or scrapyd job). The runner checks that it is a JSON
object before it opens any run, and the crawler reads each value as Scrapy will before
crawling, so a typo is one clear message (on the CLI, or on each failed run) instead of
a fragment of a traceback.
"""

from __future__ import annotations

import json
import logging
import math
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scrapy.settings import Settings

ENV = "JOBBOARD_CRAWL_SETTINGS"

# Settings whose value Scrapy reads in a way its default does not show (an empty list, None).
STATUS_CODE_LISTS = frozenset({"RETRY_HTTP_CODES", "HTTPERROR_ALLOWED_CODES"})
STRING_LISTS = frozenset({"SPIDER_MODULES", "MEMUSAGE_NOTIFY_MAIL", "STATSMAILER_RCPTS"})
_COMPONENT_KINDS = ("ADDONS", "DOWNLOADER_MIDDLEWARES", "EXTENSIONS", "ITEM_PIPELINES")
COMPONENTS = frozenset(
    kind + suffix
    for kind in (*_COMPONENT_KINDS, "SPIDER_CONTRACTS", "SPIDER_MIDDLEWARES")
    for suffix in ("", "_BASE")
)
OBJECT_PATHS = frozenset({"ASYNCIO_EVENT_LOOP"})
HANDLERS = frozenset({"DOWNLOAD_HANDLERS", "DOWNLOAD_HANDLERS_BASE"})
# Counts a crawl cannot run with none of (0 waited for the crawl timeout; -1 crashed it).
AT_LEAST_ONE = frozenset(
    {"CONCURRENT_ITEMS", "CONCURRENT_REQUESTS", "CONCURRENT_REQUESTS_PER_DOMAIN"}
    | {"REACTOR_THREADPOOL_MAXSIZE"}
)
_UNREADABLE = (TypeError, ValueError, ImportError, AttributeError, NameError)


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


@dataclass(frozen=True)
class Kind:
    """What a setting must be: its Settings getter, and a check of what that reads."""

    expected: str  # for the message
    getter: str | None = None
    check: Callable[[Any], object] | None = None


def apply(settings: Settings, defaults: Settings) -> None:
    """Set each override, read back as Scrapy will, so a timeout of "abc" is named at once.

    Scrapy converts most settings only where it uses them, deep inside a download or
    while a crawler starts, which fails the run with a message that names neither the
    setting nor the variable ("crawler ended without recording this run"). A number is
    handed on as a number: Scrapy reads some as integers, which text such as "1e3" is not.
    """
    for name, given in overrides().items():
        kind = _kind(name, defaults.get(name))
        try:
            value = _number(given) if kind.getter == "getfloat" else given
            settings.set(name, value, priority="cmdline")
            read = getattr(settings, kind.getter)(name) if kind.getter else value
            if kind.check:
                kind.check(read)
        except _UNREADABLE as exc:
            why = f" (cannot import it: {exc})" if isinstance(exc, ImportError) else ""
            raise BadOverrides(
                f"{ENV}: {name} must be {kind.expected}, not {given!r}{why}"
            ) from exc
    _check_http_auth(settings)


def _check_http_auth(settings: Settings) -> None:
    """Scrapy refuses to start with credentials for no domain: say so before it does."""
    given = [name for name in ("HTTPAUTH_USER", "HTTPAUTH_PASS") if settings.get(name)]
    if given and not settings.get("HTTPAUTH_DOMAIN"):
        raise BadOverrides(
            f"{ENV}: {' and '.join(given)} need HTTPAUTH_DOMAIN, the domain they are sent to"
        )


def _kind(name: str, default: object) -> Kind:
    """How Scrapy reads a setting, as far as its name and default tell."""
    if name == "LOG_LEVEL":
        return Kind("a logging level (DEBUG, INFO, WARNING, ERROR or CRITICAL)", None, _level)
    if name == "LOG_FORMAT":
        return Kind("a logging format such as '%(levelname)s: %(message)s'", None, _log_format)
    if name == "REFERRER_POLICY":
        return Kind("a referrer policy name or class path", None, _referrer_policy)
    if name in COMPONENTS:
        return Kind("a JSON object of class paths to numbers or null", "getdict", _components)
    if name in HANDLERS:
        return Kind("a JSON object of URL schemes to class paths or null", "getdict", _handlers)
    if name in STATUS_CODE_LISTS:
        codes = "a list of HTTP status codes (whole numbers 100 to 599)"
        return Kind(codes, "getlist", _each(_status_code))
    if name in STRING_LISTS:
        return Kind("a list of strings", "getlist", _each(_string))
    if name in OBJECT_PATHS:
        return Kind("the import path of a class, or null", None, _optional_object)
    if _is_object_path(default):
        return Kind("the import path of a class", None, _object)
    if isinstance(default, bool):
        return Kind("true or false", "getbool")
    if isinstance(default, int | float):
        return _number_kind(name)
    if isinstance(default, list | tuple):
        return _list_kind(default)
    if default is not None and not isinstance(default, str):  # dict-like (BaseSettings)
        return Kind("a JSON object", "getdict")
    return Kind("a value Scrapy accepts")


def _number_kind(name: str) -> Kind:
    """A number; only a priority may be negative (a negative size or delay breaks a crawl)."""
    if "PRIORITY" in name:
        return Kind("a finite number", "getfloat")
    if name in AT_LEAST_ONE:
        return Kind("a finite number of 1 or more", "getfloat", _at_least(1))
    return Kind("a finite number of 0 or more", "getfloat", _at_least(0))


def _at_least(minimum: float) -> Callable[[float], None]:
    """A check that a number is `minimum` or more."""

    def check(number: float) -> None:
        if number < minimum:
            raise ValueError(number)

    return check


def _list_kind(default: list[Any] | tuple[Any, ...]) -> Kind:
    """A list setting's elements are read like its default's (whole numbers, class paths)."""
    if default and all(isinstance(item, int) and not isinstance(item, bool) for item in default):
        return Kind("a list of whole numbers", "getlist", _each(_whole))
    if default and all(isinstance(item, type) or _is_object_path(item) for item in default):
        return Kind("a list of import paths of classes", "getlist", _each(_object))
    if default and all(isinstance(item, str) for item in default):
        return Kind("a list of strings", "getlist", _each(_string))
    return Kind("a list", "getlist")


def _number(value: Any) -> Any:
    """A finite number, from JSON or text ("1e3"): infinity or NaN would stall or crash."""
    number = float(value) if isinstance(value, str) else value
    if not isinstance(number, int | float) or not math.isfinite(number):
        raise ValueError(value)
    if isinstance(value, str):
        return int(number) if number.is_integer() else number
    return value


def _each(check: Callable[[Any], object]) -> Callable[[Iterable[Any]], None]:
    """A check of every element of a list setting."""

    def check_all(items: Iterable[Any]) -> None:
        for item in items:
            check(item)

    return check_all


def _whole(item: Any) -> int:
    """A whole number as Scrapy's int() reads it: 500 or "500", not "x", null or true."""
    if isinstance(item, bool) or (isinstance(item, float) and not item.is_integer()):
        raise ValueError(item)
    return int(item)


def _status_code(item: Any) -> None:
    """An HTTP status code: Scrapy reads each with int(), and "x" crashed the crawler."""
    if not 100 <= _whole(item) <= 599:
        raise ValueError(item)


def _string(item: Any) -> None:
    """Text, where Scrapy calls a string method on each element."""
    if not isinstance(item, str):
        raise TypeError(item)


def _object(value: Any) -> None:
    """An import path Scrapy can load; it imports the module, as the crawler would."""
    from scrapy.utils.misc import load_object

    _string(value)
    load_object(value)


def _optional_object(value: Any) -> None:
    """An import path, or null where null means "none" (the setting's default)."""
    if value is not None:
        _object(value)


def _is_object_path(value: object) -> bool:
    """Whether a default names a class by its import path (so an override must too)."""
    if not isinstance(value, str) or "." not in value:
        return False
    try:
        _object(value)
    except _UNREADABLE:
        return False
    return True


def _components(components: dict[str, Any]) -> None:
    """A component dict: class paths to their order (a number), or null to turn one off."""
    for path, order in components.items():
        if order is None:
            continue
        if isinstance(order, bool) or not isinstance(order, int | float):
            raise TypeError(order)
        _object(path)


def _handlers(handlers: dict[str, Any]) -> None:
    """Download handlers by URL scheme: a class path, or null to turn a scheme off."""
    for path in handlers.values():
        _optional_object(path)


def _level(value: Any) -> None:
    """A level the logging module knows, spelled as it spells it ("INFO", not "info")."""
    if isinstance(value, bool) or not (
        isinstance(value, int) or value in logging.getLevelNamesMapping()
    ):
        raise ValueError(value)


def _log_format(value: Any) -> None:
    """A %-style format logging accepts: one without a field crashed the crawler at start."""
    _string(value)
    logging.Formatter(value)


def _referrer_policy(value: Any) -> None:
    """A policy name ("no-referrer", several comma-separated) or a policy class's path."""
    from scrapy.spidermiddlewares import referer

    _string(value)
    names = {policy for name, policy in vars(referer).items() if name.startswith("POLICY_")}
    if not {name.strip() for name in value.lower().split(",")} & names:
        _object(value)
