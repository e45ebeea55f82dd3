"""The item every spider yields: a raw posting dict as `models.schemas.JobIn` reads it.

Spiders only map payload fields onto these keys, copying values as the ATS sends
them; `models.ingest` validates and normalizes. Every key but the three required
ones may be left out or None.
"""

from __future__ import annotations

from typing import Any, TypedDict


class RawPosting(TypedDict, total=False):
    external_id: str  # required: the ATS's own id of the posting, stable across crawls
    apply_url: str  # required: where to apply, http(s) or mailto:, tracking parameters welcome
    title: str  # required: the job title as listed
    company: str  # required: the source's company name
    url: str | None  # the posting's public page
    company_website: str | None
    company_logo_url: str | None
    location: str | None  # free text, e.g. "London, UK" or "Remote - Europe"
    country: str | None  # ISO code or country name
    remote: str | bool | None  # the ATS's workplace field ("on-site", "Hybrid", True...)
    remote_note: str | None  # a restriction the ATS states separately, e.g. "UK time zones"
    employment_type: str | None  # as sent: "Full-time", "FULL_TIME", "fulltime"...
    seniority: str | None  # the ATS's experience level, e.g. "Mid-Senior level"
    salary: str | None  # free pay text when the ATS has one
    salary_min: float | str | None  # structured bounds, in the currency's units (not cents)
    salary_max: float | str | None
    salary_currency: str | None  # as sent: "USD", "eur", "£"
    salary_period: str | None  # as sent: "per-year-salary", "1 YEAR", "HOUR"...
    description_html: str | None  # HTML, unescaped once if the API entity-escapes it
    tags: list[str] | None
    posted_at: str | int | None  # ISO 8601 text or epoch seconds/milliseconds
    valid_through: str | None  # ISO 8601; postings past it are dropped before ingest
    raw: dict[str, Any]  # the ATS item exactly as received, kept on the listing
