"""Lever postings API: GET /v0/postings/{site}?mode=json, a bare array paged by skip/limit.

`createdAt` is epoch milliseconds, `workplaceType` one of onsite/on-site/remote/
hybrid/unspecified, `salaryRange` {min, max, currency, interval: "per-year-salary"...}.
`categories.location` is the primary place, `categories.allLocations` every place; the
top-level `country` is the primary place's.
The page size is the source URL's `limit` (default 100); the API may hold fewer per page,
so each page starts where the last one ended, and paging ends at an empty or a short page.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from models.normalize import join_places
from scraper.items import RawPosting
from scraper.spiders.base import SourceSpider, identifier, listed, text_of

PAGE_SIZE = 100


class LeverSpider(SourceSpider):
    name = "lever"
    listing_params = {"mode": "json"}
    largest_page = 0  # most postings a page of this crawl held

    async def start(self) -> Any:
        yield self.page(0)

    def page(self, skip: int) -> scrapy.Request:
        limit = self.query_int("limit", PAGE_SIZE)
        return self.listing_request(self.with_params(skip=skip, limit=limit), skip=skip)

    def parse_listing(self, response: Response, skip: int) -> Iterator[RawPosting | scrapy.Request]:
        postings = self.read_listing(response)
        if postings is None:
            return
        items = self.objects(postings, response.url)
        yield from self.readable(items, self.to_posting, response.url)
        if self.more_listed(len(postings)) and self.next_page_wanted(response, postings):
            yield self.page(skip + len(postings))

    def more_listed(self, count: int) -> bool:
        """Whether postings may lie past a page of `count`: the next skip is what it held.

        The API may hold fewer per page than `limit` asks: stepping by `limit`, or stopping
        at the first page short of it, missed postings and the run closed their jobs. So a
        short page ends the listing only when an earlier page held more (the server's page
        size is known then); otherwise the next page is asked for, and an empty one ends it.
        """
        largest = self.largest_page
        self.largest_page = max(largest, count)
        if count == 0:
            return False
        return count >= self.query_int("limit", PAGE_SIZE) or count >= largest

    def to_posting(self, posting: dict[str, Any]) -> RawPosting:
        categories = posting.get("categories") or {}
        salary = posting.get("salaryRange") or {}
        workplace = text_of(posting.get("workplaceType"))
        return self.posting(
            posting,
            external_id=identifier(posting.get("id")),
            title=posting.get("text"),
            url=posting.get("hostedUrl"),
            apply_url=posting.get("applyUrl") or posting.get("hostedUrl"),
            location=join_places(
                [categories.get("location"), *listed(categories.get("allLocations"))],
                remote=workplace,
            ),
            country=text_of(posting.get("country")),
            remote=None if workplace == "unspecified" else workplace,
            employment_type=text_of(categories.get("commitment")),
            salary=text_of(posting.get("salaryDescriptionPlain")),
            salary_min=salary.get("min"),
            salary_max=salary.get("max"),
            salary_currency=salary.get("currency"),
            salary_period=salary.get("interval"),
            description_html=_description(posting),
            posted_at=posting.get("createdAt"),
        )


def _description(posting: dict[str, Any]) -> str:
    """Lever splits the text into an opening, titled lists and a closing part."""
    parts = [posting.get("description") or ""]
    for section in posting.get("lists") or ():
        if isinstance(section, dict):
            title = html.escape(section.get("text") or "")
            parts.append(f"<h3>{title}</h3><ul>{section.get('content') or ''}</ul>")
    parts.append(posting.get("additional") or "")
    return "".join(parts)
