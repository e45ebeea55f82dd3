"""The newsletter's "Job opportunities" section: which jobs, and their lines in Markdown or HTML.

One line per job, `[**Title @ Company** (Location, remote note)](tracked link)`, featured
jobs first, then newest. The link is the board's own /j/<code> redirect tagged
`via=newsletter`, so newsletter clicks are counted apart. Shared by the
/newsletter/jobs.* endpoints and `jobboard newsletter`; no flask here.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlencode

import sqlalchemy.orm as so

from models import pagination, where
from models.queries import JobFilters, SinceMeans
from models.tables import Job
from models.types import utcnow

FORMATS = ("md", "html")
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
LED_BY_POLICY = ("remote", "hybrid")  # policies a line says before the place (see details)
_SPAN = re.compile(r"^\s*(\d{1,4})\s*([hdw])\s*$", re.IGNORECASE)
_SPAN_UNITS = {"h": "hours", "d": "days", "w": "weeks"}
# Characters CommonMark (and GFM) could read as markup inside a link text.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]()<>&~|!#])")


class SinceOutOfRange(ValueError):
    """An ISO time with no UTC form (0001-01-01T00:00+01:00): well written, yet unusable."""


def parse_span(text: str) -> timedelta | None:
    """A span back from now, `36h`, `7d` or `2w`; None when the text is not one."""
    span = _SPAN.match(text)
    if not span:
        return None
    amount, unit = int(span.group(1)), _SPAN_UNITS[span.group(2).lower()]
    return timedelta(**{unit: amount})


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """An ISO 8601 time (UTC if it names no zone) or a span back from now: `36h`, `7d`, `2w`."""
    span = parse_span(text)
    if span is not None:
        return since_time(span, now)
    parsed = datetime.fromisoformat(text.strip())  # ValueError on anything else
    try:
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except OverflowError as exc:  # e.g. 0001-01-01T00:00+01:00 has no UTC form
        raise SinceOutOfRange(f"{text!r} has no UTC form") from exc


def since_time(since: datetime | timedelta, now: datetime | None = None) -> datetime:
    """A `since` as a time; a span counts back from `now`, so keep spans and resolve them late."""
    return (now or utcnow()) - since if isinstance(since, timedelta) else since


def section_filters(asked: JobFilters) -> JobFilters:
    """The section of the jobs `asked` selects (the board's filters, `since`, tags): `since`
    lets through the jobs first published after it and every job featured now, so an edit,
    a re-read, a placement ending or a close and return never announces a job again; the
    order is the section's, featured first then newest."""
    return dataclasses.replace(asked, since_means=SinceMeans.NEW_OR_FEATURED, sort="newest")


def select_jobs(
    session: so.Session,
    asked: JobFilters,
    *,
    limit: int = DEFAULT_LIMIT,
    now: datetime | None = None,
) -> list[Job]:
    """The section's jobs (`asked`, as `section_filters` makes it), each once; one query."""
    return pagination.fetch_page(session, asked, limit=limit, now=now).items


def tracked_url(base_url: str, job: Job, via: str) -> str:
    """The board's own /j/<code> link, which counts the click under `via` and redirects."""
    return f"{base_url.rstrip('/')}/j/{quote(job.code, safe='')}?{urlencode({'via': via})}"


def details(job: Job) -> str:
    """ "Location, remote note", each said once; the policy stands in for a location that
    says no more than it ("Remote (UK time)" reads "Remote, UK time"), and for a remote or
    hybrid job's missing one ("Hybrid, 3 days in office"). A remote or hybrid job's policy
    leads what does not name it ("Remote, Berlin, Germany"): a place alone reads as an
    office to go to, a note alone ("3 days in office") hides the setup. Where the location
    or the note names it ("Remote within the EU"), it is not said again."""
    location, note = where.place(job)
    shown = ", ".join(part for part in (location, note) if part)
    policy = where.POLICY_NAMES.get(job.remote or "")
    says_policy = job.remote in LED_BY_POLICY or (location is None and bool(job.location))
    if policy and says_policy and not where.names_policy(shown, job.remote):
        return f"{policy}, {shown}" if shown else policy
    return shown


def escape_markdown(text: str) -> str:
    """Backslash-escape what Markdown would read as markup, so a title cannot add links or HTML."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def markdown_line(job: Job, base_url: str) -> str:
    title = f"**{escape_markdown(job.title)} @ {escape_markdown(job.company.name)}**"
    note = details(job)
    text = f"{title} ({escape_markdown(note)})" if note else title
    return f"[{text}]({tracked_url(base_url, job, 'newsletter')})"


def html_line(job: Job, base_url: str) -> str:
    title = f"<strong>{html.escape(job.title)} @ {html.escape(job.company.name)}</strong>"
    note = details(job)
    text = f"{title} ({html.escape(note)})" if note else title
    href = html.escape(tracked_url(base_url, job, "newsletter"))
    return f'<li><a href="{href}">{text}</a></li>'


def render(jobs: Sequence[Job], base_url: str, fmt: str = "md") -> str:
    """The section ready to paste: Markdown paragraphs (one line each) or an HTML list."""
    if fmt == "html":
        lines = "\n".join(html_line(job, base_url) for job in jobs)
        return f"<ul>\n{lines}\n</ul>\n" if jobs else ""
    if fmt != "md":
        raise ValueError(f"unknown newsletter format {fmt!r}; use one of {FORMATS}")
    return "\n\n".join(markdown_line(job, base_url) for job in jobs) + ("\n" if jobs else "")
