"""Ashby posting API: GET /posting-api/job-board/{board}?includeCompensation=true.

Postings with `isListed: false` are not public and are skipped. Pay is the
`Salary` component of `compensation.summaryComponents` (or of the first tier),
with `interval` like "1 YEAR" and `currencyCode`. `location` is the primary place
(`address` gives its country), `secondaryLocations` the others, each {location, address}.
"""

from __future__ import annotations

from typing import Any

from models.normalize import join_places
from scraper.items import RawPosting
from scraper.spiders.base import SourceSpider, flag, identifier, listed, text_of


class AshbySpider(SourceSpider):
    name = "ashby"
    listing_key = "jobs"
    listing_params = {"includeCompensation": "true"}

    def is_public(self, item: dict[str, Any]) -> bool:
        return flag(item.get("isListed"), default=True)

    def to_posting(self, job: dict[str, Any]) -> RawPosting:
        pay = _salary_component(job.get("compensation") or {})
        address = (job.get("address") or {}).get("postalAddress") or {}
        remote = text_of(job.get("workplaceType")) or (
            "remote" if flag(job.get("isRemote")) else None
        )
        return self.posting(
            job,
            external_id=identifier(job.get("id")),
            title=job.get("title"),
            url=job.get("jobUrl"),
            apply_url=job.get("applyUrl") or job.get("jobUrl"),
            location=join_places([job.get("location"), *_secondary(job)], remote=remote),
            country=text_of(address.get("addressCountry")),
            remote=remote,
            employment_type=text_of(job.get("employmentType")),
            salary_min=pay.get("minValue"),
            salary_max=pay.get("maxValue"),
            salary_currency=pay.get("currencyCode"),
            salary_period=pay.get("interval"),
            description_html=job.get("descriptionHtml"),
            posted_at=job.get("publishedAt"),
        )


def _secondary(job: dict[str, Any]) -> list[Any]:
    """The names of a posting's secondary places, as Ashby lists them after its primary one."""
    places = listed(job.get("secondaryLocations"))
    return [place.get("location") for place in places if isinstance(place, dict)]


def _salary_component(compensation: dict[str, Any]) -> dict[str, Any]:
    components = list(compensation.get("summaryComponents") or ())
    for tier in compensation.get("compensationTiers") or ():
        components.extend(tier.get("components") or () if isinstance(tier, dict) else ())
    salaries = [
        c for c in components if isinstance(c, dict) and c.get("compensationType") == "Salary"
    ]
    return salaries[0] if salaries else {}
