"""Pure normalizers shared by every ingest path: no I/O, no Flask, Scrapy or SQLAlchemy."""

from .bounds import plausible_pay
from .classify import EMPLOYMENT_TYPES, SENIORITIES, parse_employment_type, parse_seniority
from .exchange import CURRENCIES, in_usd
from .html import html_to_text, sanitize_html, sanitized_to_text
from .location import (
    Location,
    country_code,
    listed_places,
    parse_location,
    place_key,
    title_without_place,
)
from .money import normalize_currency, normalize_period
from .place_list import join_places
from .remote import REMOTE_POLICIES, Remote, parse_remote
from .salary import SALARY_PERIODS, Salary, annualize, parse_salary, salary_in_description
from .tags import TAG_VOCABULARY, extract_tags, tag_key
from .text import clean_text, clean_title, company_slug, normalize_key, slugify, title_key
from .urls import TRACKING_PARAMS, canonical_apply_target, canonical_url

__all__ = [
    "CURRENCIES",
    "EMPLOYMENT_TYPES",
    "REMOTE_POLICIES",
    "SALARY_PERIODS",
    "SENIORITIES",
    "TAG_VOCABULARY",
    "TRACKING_PARAMS",
    "Location",
    "Remote",
    "Salary",
    "annualize",
    "canonical_apply_target",
    "canonical_url",
    "clean_text",
    "clean_title",
    "company_slug",
    "country_code",
    "extract_tags",
    "html_to_text",
    "in_usd",
    "join_places",
    "listed_places",
    "normalize_currency",
    "normalize_key",
    "normalize_period",
    "parse_employment_type",
    "parse_location",
    "parse_remote",
    "parse_salary",
    "parse_seniority",
    "place_key",
    "plausible_pay",
    "salary_in_description",
    "sanitize_html",
    "sanitized_to_text",
    "slugify",
    "tag_key",
    "title_key",
    "title_without_place",
]
