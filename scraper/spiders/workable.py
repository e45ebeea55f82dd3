"""Workable widget API: GET /api/v1/widget/accounts/{slug}?details=true.

With `details=true` each job carries its `description`; `telecommuting` marks
remote jobs, `experience` the level ("Mid-Senior level"). Workable publishes no pay.
`locations` lists every place the job is offered in, the primary first (its `countryCode`
is the job's country, its parts as the top-level city/state/country); a further one
marked `hidden` is one the company keeps off its job page, so it stays off ours too.
"""

from __future__ import annotations

from typing import Any

from models.normalize import join_places
from scraper.items import RawPosting
from scraper.spiders.base import SourceSpider, flag, identifier, listed, place_named, text_of


class WorkableSpider(SourceSpider):
    name = "workable"
    listing_key = "jobs"
    listing_params = {"details": "true"}

    def to_posting(self, job: dict[str, Any]) -> RawPosting:
        place, *others = [p for p in listed(job.get("locations")) if isinstance(p, dict)] or [{}]
        shown = [_place(other) for other in others if not flag(other.get("hidden"))]
        primary = (
            text_of(place.get("city")) or text_of(job.get("city")),
            text_of(place.get("region")) or text_of(job.get("state")),
            text_of(place.get("country")) or text_of(job.get("country")),
        )
        remote = "remote" if flag(job.get("telecommuting")) else None
        url = job.get("url") or job.get("shortlink")
        return self.posting(
            job,
            external_id=identifier(job.get("shortcode")),
            title=job.get("title"),
            url=url,
            apply_url=job.get("application_url") or url,
            location=join_places([place_named(*primary), *shown], remote=remote),
            country=text_of(place.get("countryCode")) or primary[2],
            remote=remote,
            employment_type=text_of(job.get("employment_type")),
            seniority=text_of(job.get("experience")),
            description_html="".join(
                text_of(job.get(key)) or "" for key in ("description", "requirements", "benefits")
            ),
            posted_at=job.get("published_on") or job.get("created_at"),
        )


def _place(place: dict[str, Any]) -> str | None:
    return place_named(place.get("city"), place.get("region"), place.get("country"))
