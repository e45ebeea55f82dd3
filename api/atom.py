"""Atom 1.0 (RFC 4287) of jobs with feedgen, paged with rel="next" links (RFC 5005)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from urllib.parse import quote

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from api.jsonfeed import tracked_apply_url
from api.schemas import job_page_url
from models.tables import Job

# Characters XML 1.0 cannot carry at all; they are dropped rather than failing the feed.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# An empty feed still needs <updated>; a fixed instant keeps its bytes (and ETag) stable.
_NEVER = datetime(1970, 1, 1, tzinfo=UTC)


class _ApplyLink(BaseEntryExtension):
    """Writes the entry's rel="related" apply link: feedgen 1.0 drops `rel` on entry links."""

    def __init__(self) -> None:
        self.href: str | None = None

    def set(self, href: str) -> None:
        self.href = href

    def extend_atom(self, entry: etree._Element) -> etree._Element:
        if self.href:
            etree.SubElement(entry, "link", href=self.href, rel="related", title="Apply")
        return entry


def render(
    jobs: Sequence[Job], *, links: dict[str, str], catalog_changed_at: datetime | None
) -> bytes:
    """The feed document; `links` holds title, description, feed_url (the first page, whose
    address is the feed's id), page_url (this page's), home_page_url and next_url.

    The feed's <updated> is when the catalog last changed: a date drawn from the jobs listed
    went back when the newest of them left the feed, and a reader took the feed for older
    than the copy it had. A job that changed since the catalog was last asked (at most
    JOBBOARD_CATALOG_RECHECK_SECONDS ago) dates it instead, so no entry is newer than the
    feed.
    """
    feed = FeedGenerator()
    feed.register_extension("apply", BaseExtension, _ApplyLink, atom=True, rss=False)
    feed.id(links["feed_url"])
    feed.title(links["title"])
    feed.subtitle(links["description"])
    feed.link(href=links["page_url"], rel="self", type="application/atom+xml")
    feed.link(href=links["home_page_url"], rel="alternate", type="text/html")
    if links["page_url"] != links["feed_url"]:
        feed.link(href=links["feed_url"], rel="first", type="application/atom+xml")
    if "next_url" in links:
        feed.link(href=links["next_url"], rel="next", type="application/atom+xml")
    newest_entry = max((job.updated_at for job in jobs), default=_NEVER)
    feed.updated(max(newest_entry, catalog_changed_at or _NEVER))
    feed.generator("jobboard")
    for job in jobs:
        _add_entry(feed, job)
    return feed.atom_str(pretty=False)


def _add_entry(feed: FeedGenerator, job: Job) -> None:
    entry = feed.add_entry(order="append")
    entry.id(job_page_url(job))
    entry.title(_xml(f"{job.title} @ {job.company.name}"))
    entry.link(href=job_page_url(job), rel="alternate")
    entry.apply.set(tracked_apply_url(job))
    website = job.company.website
    entry.author(name=_xml(job.company.name), uri=_xml_uri(website) if website else None)
    entry.published(job.posted_at)
    entry.updated(job.updated_at)
    entry.content(_xml(job.description_html or ""), type="html")
    for tag in job.tags or ():
        entry.category(term=_xml(tag))


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)


def _xml_uri(url: str) -> str:
    """The URL with what XML cannot carry percent-encoded: dropped, it would lead elsewhere.

    A crawled company website may hold such a character (U+FFFE), and lxml refuses it.
    """
    return _NOT_XML.sub(lambda found: quote(found.group(), safe="", errors="replace"), url)
