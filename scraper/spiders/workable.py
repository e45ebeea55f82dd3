"""Workable widget API: GET /api/v1/widget/accounts/{slug}?details=true.

With `details=true` each job carries its `description`; `telecommuting` marks
remote jobs, `experience` the level ("Mid-Senior level"). Workable publishes no pay.
"""

from __future__ import annotations

from typing import Any

from scraper.items import RawPosting
from scraper.spiders.base import SourceSpider, first, flag, identifier, text_of


class WorkableSpider(SourceSpider):
    name = "workable"
    listing_key = "jobs"
    listing_params = {"details": "true"}

    def to_posting(self, job: dict[str, Any]) -> RawPosting:
        place = first(job.get("locations")) or {}
        city = text_of(place.get("city")) or text_of(job.get("city"))
        region = text_of(place.get("region")) or text_of(job.get("state"))
        country = text_of(place.get("country")) or text_of(job.get("country"))
        url = job.get("url") or job.get("shortlink")
        return self.posting(
            job,
            external_id=identifier(job.get("shortcode")),
            title=job.get("title"),
            url=url,
            apply_url=job.get("application_url") or url,
            location=", ".join(filter(None, (city, region, country))) or None,
            country=text_of(place.get("countryCode")) or country,
            remote="remote" if flag(job.get("telecommuting")) else None,
            employment_type=text_of(job.get("employment_type")),
            seniority=text_of(job.get("experience")),
            description_html="".join(
                text_of(job.get(key)) or "" for key in ("description", "requirements", "benefits")
            ),
            posted_at=job.get("published_on") or job.get("created_at"),
        )
