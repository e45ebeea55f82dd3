"""Sources: the boards the crawler reads, added one by one or loaded from a TOML file.

A source is a kind (which spider maps its payload) plus the full URL of the
board's API or page, so a source can point anywhere, a local test server included.
Every URL passes `models.netsafety.check_url` before it is stored.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import sqlalchemy as sa
import sqlalchemy.orm as so

from models.netsafety import UnsafeURL, check_url
from models.tables import SOURCE_KINDS, Source

DEFAULT_INTERVAL_MINUTES = 360
ENTRY_KEYS = {"kind", "url", "company", "interval", "enabled"}


class SourceError(ValueError):
    """Bad source input; the message is meant for the person who typed it."""


@dataclass(frozen=True)
class SourceSpec:
    """A validated source definition, not yet stored."""

    kind: str
    url: str
    company: str
    interval_minutes: int = DEFAULT_INTERVAL_MINUTES
    enabled: bool = True


def validate(
    kind: str, url: str, company: str, interval_minutes: int = DEFAULT_INTERVAL_MINUTES
) -> SourceSpec:
    """Check a source definition; raises SourceError saying what is wrong."""
    kind = (kind or "").strip().lower()
    if kind not in SOURCE_KINDS:
        raise SourceError(f"unknown kind {kind!r}; expected one of: {', '.join(SOURCE_KINDS)}")
    company = (company or "").strip()
    if not company or len(company) > 200:
        raise SourceError("company must be 1 to 200 characters")
    if not company.isprintable():
        raise SourceError("company must be one line without control characters")
    url = (url or "").strip()
    if len(url) > 2000:
        raise SourceError("url is longer than 2000 characters")
    if not url.isprintable() or any(char.isspace() for char in url):
        raise SourceError("url must not contain spaces or control characters")
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # an unclosed IPv6 bracket, say
        raise SourceError(f"url refused: {exc}") from exc
    if parts.username is not None or parts.password is not None:
        raise SourceError("url refused: it must not carry a user name or password")
    # One source per board however its scheme and host are capitalised, and whatever
    # `#fragment` it carries: a fragment never reaches the server.
    url = urlunsplit(
        parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower(), fragment="")
    )
    if isinstance(interval_minutes, bool) or not isinstance(interval_minutes, int):
        raise SourceError("interval must be a whole number of minutes")
    if not 1 <= interval_minutes <= 7 * 24 * 60:
        raise SourceError("interval must be between 1 minute and 7 days")
    try:
        check_url(url)
    except UnsafeURL as exc:
        raise SourceError(f"url refused: {exc}") from exc
    return SourceSpec(kind, url, company, interval_minutes)


def find(session: so.Session, kind: str, url: str) -> Source | None:
    """The stored source of this board, with or without a trailing slash on its path."""
    return session.scalar(
        sa.select(Source)
        .where(Source.kind == kind, Source.url.in_(_spellings(url)))
        .order_by(Source.id)
        .limit(1)
    )


def _spellings(url: str) -> list[str]:
    """A board URL as typed with and without a trailing slash: one board, the same answer.

    The URL is stored as typed, since a server may need its slash; only lookups ignore it.
    """
    parts = urlsplit(url)
    bare = parts.path.rstrip("/")
    return [urlunsplit(parts._replace(path=path)) for path in (bare, bare + "/")]


def add(session: so.Session, spec: SourceSpec) -> Source:
    """Store a new source; one that exists already (same kind and URL) is an error."""
    existing = find(session, spec.kind, spec.url)
    if existing is not None:
        raise SourceError(f"source #{existing.id} already crawls {spec.kind} {spec.url}")
    source = Source(
        kind=spec.kind,
        url=spec.url,
        company=spec.company,
        interval_minutes=spec.interval_minutes,
        enabled=spec.enabled,
    )
    try:
        with session.begin_nested():
            session.add(source)
    except sa.exc.IntegrityError as exc:  # a concurrent add of the same source won the race
        raise SourceError(f"a source for {spec.kind} {spec.url} already exists") from exc
    return source


def all_sources() -> sa.Select[tuple[Source]]:
    return sa.select(Source).order_by(Source.id)


def enabled_sources() -> sa.Select[tuple[Source]]:
    return all_sources().where(Source.enabled.is_(True))


def remove(session: so.Session, source_id: int) -> Source:
    """Delete a source with its listings and runs; its jobs stay (and expire when stale)."""
    source = session.get(Source, source_id)
    if source is None:
        raise SourceError(f"no source with id {source_id}")
    session.execute(sa.delete(Source).where(Source.id == source_id))
    return source


@dataclass
class LoadResult:
    added: list[Source] = field(default_factory=list)
    existing: int = 0


def load(session: so.Session, text: str) -> LoadResult:
    """Add every `[[source]]` of a TOML file that is not stored yet; all or nothing.

    Raises SourceError listing every bad entry with its line and company, so a
    file is fixed in one go; loading the same file twice adds nothing.
    """
    specs = parse_file(text)
    result = LoadResult()
    for spec in specs:
        if find(session, spec.kind, spec.url) is None:
            result.added.append(add(session, spec))
        else:
            result.existing += 1
    return result


def parse_file(text: str) -> list[SourceSpec]:
    """Validate a sources file; SourceError names every bad entry."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(f"not valid TOML: {exc}") from exc
    entries = document.get("source")
    if not isinstance(entries, list) or not entries:
        raise SourceError("no [[source]] entries found")
    lines = _entry_lines(text, len(entries))
    specs, problems, seen = [], [], set()
    for index, entry in enumerate(entries):
        where = f"line {lines[index]}" if lines else f"entry {index + 1}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: a source must be a table ([[source]]), not {entry!r:.40}")
            continue
        label = f"{where} ({entry.get('company') or 'no company'})"
        try:
            spec = _entry_spec(entry)
        except SourceError as exc:
            problems.append(f"{label}: {exc}")
            continue
        board = (spec.kind, _spellings(spec.url)[0])
        if board in seen:
            problems.append(f"{label}: duplicate of an earlier entry")
        seen.add(board)
        specs.append(spec)
    if problems:
        raise SourceError("\n".join(problems))
    return specs


def _entry_spec(entry: dict[str, Any]) -> SourceSpec:
    unknown = sorted(set(entry) - ENTRY_KEYS)
    if unknown:
        raise SourceError(f"unknown keys: {', '.join(unknown)}")
    for key in ("kind", "url", "company"):
        if not isinstance(entry.get(key), str):
            raise SourceError(f"{key} is required and must be a string")
    enabled = entry.get("enabled", True)
    if not isinstance(enabled, bool):
        raise SourceError("enabled must be true or false")
    spec = validate(
        entry["kind"],
        entry["url"],
        entry["company"],
        entry.get("interval", DEFAULT_INTERVAL_MINUTES),
    )
    return SourceSpec(spec.kind, spec.url, spec.company, spec.interval_minutes, enabled)


_HEADER = re.compile(r"^\s*\[\[\s*source\s*\]\]")


def _entry_lines(text: str, entries: int) -> list[int]:
    """Line numbers of the `[[source]]` headers, to point at a bad entry; none when they do
    not match the entries one to one (a header-like line inside a multi-line string, or
    entries written as an inline array), so no entry is ever blamed on another's line."""
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if _HEADER.match(line)]
    return lines if len(lines) == entries else []
