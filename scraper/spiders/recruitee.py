"""Recruitee careers API: GET https://{company}.recruitee.com/api/offers/.

Dates come as "2024-01-31 09:12:44 UTC", which the spider rewrites as ISO 8601;
pay is `salary` {min, max, currency, period} when the company publishes it. `location`
is the offer's place as its page shows it, `locations` every place it is offered in, each
{name, city, state, country, country_code}; the top-level `country_code` is the primary's.
"""

from __future__ import annotations

from typing import Any

from models.normalize import join_places
from scraper.items import RawPosting
from scraper.spiders.base import SourceSpider, flag, identifier, listed, place_named, text_of


class RecruiteeSpider(SourceSpider):
    name = "recruitee"
    listing_key = "offers"

    def to_posting(self, offer: dict[str, Any]) -> RawPosting:
        salary = offer.get("salary") or {}
        remote = _workplace(offer)
        return self.posting(
            offer,
            external_id=identifier(offer.get("id")),
            title=offer.get("title"),
            url=offer.get("careers_url"),
            apply_url=offer.get("careers_apply_url") or offer.get("careers_url"),
            location=join_places([offer.get("location"), *_places(offer)], remote=remote),
            country=text_of(offer.get("country_code")) or text_of(offer.get("country")),
            remote=remote,
            employment_type=text_of(offer.get("employment_type_code")),
            seniority=text_of(offer.get("experience_code")),
            salary_min=salary.get("min"),
            salary_max=salary.get("max"),
            salary_currency=salary.get("currency"),
            salary_period=salary.get("period"),
            description_html=(offer.get("description") or "") + (offer.get("requirements") or ""),
            posted_at=iso_time(offer.get("published_at") or offer.get("created_at")),
        )


def _places(offer: dict[str, Any]) -> list[str | None]:
    """Each place of `locations` as "City, State, Country" (its name when it gives no parts),
    a state named as its city ("Berlin, Berlin") said once."""
    places = (place for place in listed(offer.get("locations")) if isinstance(place, dict))
    return [
        place_named(p.get("city"), p.get("state"), p.get("country")) or text_of(p.get("name"))
        for p in places
    ]


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
