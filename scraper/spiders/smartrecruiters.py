"""SmartRecruiters posting API: GET /v1/companies/{id}/postings, paged by offset/limit.

The list holds summaries only; each posting's detail (`.../postings/{postingId}`)
carries the job ad sections and the public `postingUrl`/`applyUrl`. An unknown
company answers 200 with `totalFound: 0`, which the crawl run refuses to take as
proof that every job closed. The page size is the source URL's `limit` (default 100);
the API may hold fewer per page, so each page starts where the last one ended.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import scrapy
from scrapy.http import Response

from scraper.items import RawPosting
from scraper.spiders.base import SourceSpider, flag, identifier, text_of

PAGE_SIZE = 100
SECTIONS = ("companyDescription", "jobDescription", "qualifications", "additionalInformation")


class SmartRecruitersSpider(SourceSpider):
    name = "smartrecruiters"

    async def start(self) -> Any:
        yield self.page(0)

    def page(self, offset: int) -> scrapy.Request:
        limit = self.query_int("limit", PAGE_SIZE)
        return self.listing_request(self.with_params(offset=offset, limit=limit), offset=offset)

    def parse_listing(self, response: Response, offset: int) -> Iterator[scrapy.Request]:
        payload = self.read_json(response, dict)
        summaries = None if payload is None else self.listing_items(response, payload, "content")
        if summaries is None:
            return
        for summary in self.objects(summaries, response.url):
            posting_id = identifier(summary.get("id"))
            if posting_id is None:
                self.without_id(response.url, summary.get("name"))
            else:
                yield self.request(self.detail_url(posting_id), self.parse_posting)
        more = self.more_listed(response, offset, len(summaries), payload.get("totalFound"))
        if more and self.next_page_wanted(response, summaries):
            yield self.page(offset + len(summaries))

    def more_listed(self, response: Response, offset: int, count: int, total: Any) -> bool:
        """Whether postings lie past this page: the next offset is what it held, not `limit`.

        The API caps a page (at 100) whatever `limit` asks: stepping by `limit` skipped
        postings, and the run closed their jobs. Without a `totalFound`, it pages until a
        page is empty. A page empty before `totalFound` were listed is noted: the
        postings not reached must not look closed.
        """
        if not isinstance(total, int) or isinstance(total, bool):
            return count > 0
        if count == 0 and offset < total:
            self.report.failures.append(
                f"stopped paging: {response.url} lists no postings, "
                f"but {offset} of totalFound {total} were listed"
            )
        return count > 0 and offset + count < total

    def detail_url(self, posting_id: Any) -> str:
        parts = urlsplit(self.source_url)
        return urlunsplit(
            (parts.scheme, parts.netloc, f"{parts.path.rstrip('/')}/{posting_id}", "", "")
        )

    def parse_posting(self, response: Response) -> Iterator[RawPosting]:
        detail = self.read_json(response, dict)
        if detail is not None:
            yield from self.readable([detail], self.to_posting, response.url)

    def to_posting(self, detail: dict[str, Any]) -> RawPosting:
        place = detail.get("location") or {}
        sections = (detail.get("jobAd") or {}).get("sections") or {}
        return self.posting(
            detail,
            external_id=identifier(detail.get("id")),
            title=detail.get("name"),
            url=detail.get("postingUrl"),
            apply_url=detail.get("applyUrl") or detail.get("postingUrl"),
            location=text_of(place.get("fullLocation"))
            or ", ".join(
                filter(None, (place.get("city"), place.get("region"), place.get("country")))
            )
            or None,
            country=text_of(place.get("country")),
            remote="remote"
            if flag(place.get("remote"))
            else "hybrid"
            if flag(place.get("hybrid"))
            else None,
            employment_type=text_of((detail.get("typeOfEmployment") or {}).get("label")),
            seniority=text_of((detail.get("experienceLevel") or {}).get("label")),
            description_html="".join(_section(sections.get(key)) for key in SECTIONS),
            posted_at=detail.get("releasedDate"),
        )


def _section(section: Any) -> str:
    if not isinstance(section, dict) or not text_of(section.get("text")):
        return ""
    title = html.escape(section.get("title") or "")
    return f"<h3>{title}</h3>{section['text']}" if title else section["text"]
