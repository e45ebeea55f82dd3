"""Recruitee careers API: GET https://{company}.recruitee.com/api/offers/.

Dates come as "2024-01-31 09:12:44 UTC", which the spider rewrites as ISO 8601;
pay is `salary` {min, max, currency, period} when the company publishes it.
"""

from __future__ import annotations

from typing import Any

from scraper.items import RawPosting
from scraper.spiders.base import SourceSpider, flag, identifier, text_of


class RecruiteeSpider(SourceSpider):
    name = "recruitee"
    listing_key = "offers"

    def to_posting(self, offer: dict[str, Any]) -> RawPosting:
        salary = offer.get("salary") or {}
        return self.posting(
            offer,
            external_id=identifier(offer.get("id")),
            title=offer.get("title"),
            url=offer.get("careers_url"),
            apply_url=offer.get("careers_apply_url") or offer.get("careers_url"),
            location=text_of(offer.get("location")),
            country=text_of(offer.get("country_code")) or text_of(offer.get("country")),
            remote=_workplace(offer),
            employment_type=text_of(offer.get("employment_type_code")),
            seniority=text_of(offer.get("experience_code")),
            salary_min=salary.get("min"),
            salary_max=salary.get("max"),
            salary_currency=salary.get("currency"),
            salary_period=salary.get("period"),
            description_html=(offer.get("description") or "") + (offer.get("requirements") or ""),
            posted_at=iso_time(offer.get("published_at") or offer.get("created_at")),
        )


def _workplace(offer: dict[str, Any]) -> str | None:
    for name, policy in (("remote", "remote"), ("hybrid", "hybrid"), ("on_site", "onsite")):
        if flag(offer.get(name)):
            return policy
    return None


def iso_time(value: Any) -> Any:
    """Recruitee's "YYYY-MM-DD HH:MM:SS UTC" as ISO 8601; anything else as it came."""
    if isinstance(value, str) and value.endswith(" UTC"):
        return value.removesuffix(" UTC").replace(" ", "T", 1) + "+00:00"
    return value
