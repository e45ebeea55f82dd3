"""Greenhouse job board API: GET /v1/boards/{token}/jobs?content=true.

`content` is entity-escaped HTML. Pay ranges (`pay_input_ranges`, in cents) come
only with the per-job endpoint's `pay_transparency=true`; when a listing carries
them they are mapped, otherwise the posting has no structured salary.
Greenhouse has no period field: the range's title ("Annual Salary", "Hourly
Rate") is passed as the period hint. `absolute_url` keeps its `gh_jid`, which
selects the job on embedded boards.
"""

from __future__ import annotations

import html
from typing import Any

from scraper.items import RawPosting
from scraper.spiders.base import SourceSpider, first, identifier, text_of


class GreenhouseSpider(SourceSpider):
    name = "greenhouse"
    listing_key = "jobs"
    listing_params = {"content": "true"}

    def to_posting(self, job: dict[str, Any]) -> RawPosting:
        pay = first(job.get("pay_input_ranges")) or {}
        location = job.get("location") or {}
        return self.posting(
            job,
            external_id=identifier(job.get("id")),
            title=job.get("title"),
            url=job.get("absolute_url"),
            apply_url=job.get("absolute_url"),
            location=text_of(location.get("name")),
            description_html=html.unescape(job.get("content") or ""),
            posted_at=job.get("first_published") or job.get("updated_at"),
            salary_min=_units(pay.get("min_cents")),
            salary_max=_units(pay.get("max_cents")),
            salary_currency=pay.get("currency_type"),
            salary_period=(text_of(pay.get("title")) or "")[:50] or None,  # "Annual Salary"...
        )


def _units(cents: Any) -> float | None:
    """Greenhouse sends pay in cents; the posting wants whole currency units."""
    return cents / 100 if isinstance(cents, int | float) and not isinstance(cents, bool) else None
