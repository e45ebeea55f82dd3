"""schema.org JobPosting data for a job page, so search engines can list the opening.

The page embeds it with Jinja's `tojson`, which escapes `<`, `>`, `&` and `'`, so a
title holding `</script>` cannot end the data block.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from api.display import country_name
from models import normalize as nz
from models import where
from models.tables import Company, Job

EMPLOYMENT_TYPES = {
    "full_time": "FULL_TIME",
    "part_time": "PART_TIME",
    "contract": "CONTRACTOR",
    "internship": "INTERN",
    "temporary": "TEMPORARY",
}
UNIT_TEXT = {period: period.upper() for period in nz.SALARY_PERIODS}


def job_posting(job: Job, *, url: str, valid_through: datetime) -> dict[str, Any]:
    """The JobPosting of an open job; `valid_through` is when the board stops listing it."""
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": job.title,
        "description": job.description_html or job.title,
        "datePosted": job.posted_at.isoformat(),
        "validThrough": valid_through.isoformat(),
        "hiringOrganization": _organization(job.company),
        "identifier": {"@type": "PropertyValue", "name": job.company.name, "value": job.code},
        "url": url,
        "directApply": False,
    }
    if job.employment_type in EMPLOYMENT_TYPES:
        data["employmentType"] = EMPLOYMENT_TYPES[job.employment_type]
    data.update(_place(job))
    salary = _base_salary(job)
    if salary:
        data["baseSalary"] = salary
    return data


def _organization(company: Company) -> dict[str, Any]:
    organization = {"@type": "Organization", "name": company.name}
    if company.website:
        organization["sameAs"] = company.website
    if company.logo_url:
        organization["logo"] = company.logo_url
    return organization


def _place(job: Job) -> dict[str, Any]:
    """Remote jobs say where applicants may live; others where the office is.

    Applicants' place is named only when it is a known country: free text such as "Remote",
    "Worldwide" or "Europe" is no place a search engine knows, so it is left out.
    """
    if job.remote == "remote":
        place: dict[str, Any] = {"jobLocationType": "TELECOMMUTE"}
        if job.country:
            place["applicantLocationRequirements"] = {
                "@type": "Country",
                "name": country_name(job.country),
            }
        return place
    towns = where.offices(job)
    if len(towns) > 1:
        # Each place its own country; the job's (the primary place's, as the ATS gave it,
        # or the one all its places share) is the first place's when its text names none.
        countries = [nz.parse_location(town).country for town in towns]
        countries[0] = countries[0] or job.country
        return {"jobLocation": [_office(*place) for place in zip(towns, countries, strict=True)]}
    address = _office(towns[0] if towns else None, job.country)
    return {"jobLocation": address} if len(address["address"]) > 1 else {}


def _office(town: str | None, country: str | None) -> dict[str, Any]:
    """A schema.org Place: the town's first part ("London" of "London, UK") and country."""
    address: dict[str, Any] = {"@type": "PostalAddress"}
    if town:
        address["addressLocality"] = town.split(",")[0].strip()
    if country:
        address["addressCountry"] = country
    return {"@type": "Place", "address": address}


def _base_salary(job: Job) -> dict[str, Any] | None:
    if not job.salary_currency or (job.salary_min is None and job.salary_max is None):
        return None
    value: dict[str, Any] = {"@type": "QuantitativeValue"}
    if job.salary_min is not None and job.salary_min == job.salary_max:
        value["value"] = _number(job.salary_min)
    else:
        if job.salary_min is not None:
            value["minValue"] = _number(job.salary_min)
        if job.salary_max is not None:
            value["maxValue"] = _number(job.salary_max)
    if job.salary_period in UNIT_TEXT:
        value["unitText"] = UNIT_TEXT[job.salary_period]
    return {"@type": "MonetaryAmount", "currency": job.salary_currency, "value": value}


def _number(amount: Decimal) -> int | float:
    """JSON numbers, not strings: whole amounts as integers."""
    return int(amount) if amount == int(amount) else float(amount)
