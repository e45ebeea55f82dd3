"""Marshmallow schemas of the HTTP layer, built once at import: query args and job JSON."""

from __future__ import annotations

import contextlib
import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import marshmallow as ma
from flask import current_app, g, request
from marshmallow import validate

from api.database import db_session
from models import featuring, newsletter
from models import normalize as nz
from models import sponsor_postings as postings
from models.normalize.exchange import UNITS_PER_USD
from models.queries import SORTS, JobFilters
from models.schemas import DESCRIPTION_MAX
from models.tables import MOST_SALARY, Job, Listing
from models.types import utcnow


def no_nul(value: str) -> None:
    """No filter holds a NUL character, and PostgreSQL text cannot: bad input, not a 500."""
    if "\x00" in value:
        raise ma.ValidationError("Must not contain NUL characters.")


def _names_a_company(value: str) -> None:
    if not nz.company_slug(value):
        raise ma.ValidationError("Must contain letters or digits.")


class QueryArgs(ma.Schema):
    """Query-string parameters: unknown ones are ignored, bad ones are 422."""

    class Meta:
        unknown = ma.EXCLUDE

    @ma.pre_load
    def _drop_blanks(self, data: Any, **_: Any) -> Any:
        """An empty form control means "any", not an invalid value."""
        if hasattr(data, "to_dict"):
            data = self._one_value_each(data)
        data = {k: _without_blanks(v) if k == "tag" else v for k, v in data.items()}
        return {k: v for k, v in data.items() if not _blank(v) and v != []}

    def _one_value_each(self, args: Any) -> dict[str, Any]:
        """A query string's parameters, a list for `tag` and one value for the others.

        A parameter given twice with different values (`remote=remote&remote=hybrid`) is
        an error: taking either would answer another question than the one asked.
        """
        values: dict[str, Any] = {}
        conflicting = {}
        for key in args:
            given = args.getlist(key)
            if key == "tag":
                values[key] = given
                continue
            filled = [value for value in given if not _blank(value)]
            if key in self.load_fields and len({value.strip() for value in filled}) > 1:
                conflicting[key] = ["Given more than once, with different values: give one."]
            values[key] = filled[0] if filled else given[0]
        if conflicting:
            raise ma.ValidationError(conflicting)
        return values


class CurrencyCode(ma.fields.String):
    """An ISO 4217 code the board can convert, in any case ("gbp" is GBP)."""

    default_error_messages = {"unknown": f"Must be one of: {', '.join(nz.CURRENCIES)}."}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        code = super()._deserialize(value, attr, data, **kwargs).strip().upper()
        if code not in nz.CURRENCIES:
            raise self.make_error("unknown")
        return code


class Country(ma.fields.String):
    """A country as a seeker names it: an ISO 3166 code in any case, or a name or alias
    ("Germany", "UK"). "UK", the code most people write for Britain, is not ISO's (GB): taken
    as a code, it matched no job and said nothing."""

    default_error_messages = {
        "unknown": "Not a country: use its name or ISO 3166 two-letter code, e.g. Germany or DE."
    }

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        code = nz.country_code(text) if len(text) <= 60 else None
        if code is None:
            raise self.make_error("unknown")
        return code


MOST_SALARY_FLOOR_USD = 10_000_000  # salary_min's cap, in any currency's equivalent


class JobQueryArgs(QueryArgs):
    """The board's filters (DESIGN.md)."""

    q = ma.fields.String(validate=[validate.Length(max=200), no_nul])
    location = ma.fields.String(validate=[validate.Length(max=100), no_nul])
    country = Country(
        metadata={
            "description": 'ISO 3166 two-letter code (any case) or name: "DE", "Germany", "UK".'
        },
    )
    remote = ma.fields.String(validate=validate.OneOf(nz.REMOTE_POLICIES))
    type = ma.fields.String(validate=validate.OneOf(nz.EMPLOYMENT_TYPES))
    seniority = ma.fields.String(validate=validate.OneOf(nz.SENIORITIES))
    tag = ma.fields.List(
        ma.fields.String(validate=[validate.Length(1, 60), no_nul]),
        validate=validate.Length(max=10, error="At most {max} tags."),
    )
    company = ma.fields.String(validate=[validate.Length(max=200), no_nul, _names_a_company])
    salary_min = ma.fields.Integer(
        strict=False,
        validate=validate.Range(min=0),
        metadata={
            "description": "A yearly pay floor in salary_currency, at most the equivalent of "
            f"{MOST_SALARY_FLOOR_USD:,} US dollars (more is a 422)."
        },
    )
    salary_currency = CurrencyCode(
        metadata={
            "description": "The currency of salary_min (default USD), one of "
            f"{', '.join(nz.CURRENCIES)}; jobs paid in others are compared at approximate rates."
        }
    )
    posted_within = ma.fields.Integer(validate=validate.Range(1, 365))
    sort = ma.fields.String(load_default="newest", validate=validate.OneOf(SORTS))
    cursor = ma.fields.String(validate=[validate.Length(max=500), no_nul])

    @ma.validates_schema
    def _floor_some_job_pays(self, data: dict[str, Any], **_: Any) -> None:
        """The floor's cap is in US dollars: capped at 10,000,000 units of any currency, a
        floor of ¥12,000,000 (about $80,000) or ₩100,000,000 was refused."""
        currency = data.get("salary_currency", "USD")
        most = round(MOST_SALARY_FLOOR_USD * UNITS_PER_USD[currency])
        if data.get("salary_min", 0) > most:
            dollars = "" if currency == "USD" else f" ({MOST_SALARY_FLOOR_USD:,} US dollars)"
            raise ma.ValidationError(f"Must be at most {most:,} {currency}{dollars}.", "salary_min")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _without_blanks(values: Any) -> Any:
    return [v for v in values if not _blank(v)] if isinstance(values, list) else values


# Times whose UTC form exists: 0001-01-01T00:00+01:00 would overflow when stored or compared.
SINCE_RANGE = validate.Range(
    min=datetime(1, 1, 2, tzinfo=UTC),
    max=datetime(9999, 12, 30, tzinfo=UTC),
    error="Use a time between the years 1 and 9999.",
)
_ZONE_AS_SPACE = re.compile(r"\d \d\d(?::?\d\d)?$")  # "...T09:00:00 01:00": "+01:00" unescaped


class Since(ma.fields.Field):
    """An ISO 8601 time, or a span back from now (`36h`, `7d`, `2w`) kept as a timedelta.

    Parsed query strings are remembered (api.arguments), so a span must not become a
    time here: `7d` means seven days before each request, resolved by the view.
    """

    default_error_messages = {
        "invalid": "Use an ISO 8601 time or a span such as 36h, 7d or 2w.",
        "plus": "Write the + of a time zone as %2B: a bare + in a query string is a space.",
    }

    def _deserialize(
        self, value: Any, attr: str | None, data: Any, **kwargs: Any
    ) -> datetime | timedelta:
        if not isinstance(value, str):
            raise self.make_error("invalid")
        span = newsletter.parse_span(value)
        if span is not None:
            return span
        try:
            return SINCE_RANGE(newsletter.parse_since(value))
        except newsletter.SinceOutOfRange as exc:
            raise ma.ValidationError(SINCE_RANGE.error) from exc
        except ValueError as exc:
            plus_sent_bare = _ZONE_AS_SPACE.search(value) is not None
            raise self.make_error("plus" if plus_sent_bare else "invalid") from exc


class ApiJobQueryArgs(JobQueryArgs):
    since = Since(
        metadata={
            "type": "string",
            "example": "2026-11-20T00:00:00Z",
            "description": "Jobs published or updated after this ISO time (no zone: UTC) or "
            "span back from now (36h, 7d, 2w).",
        },
    )
    featured = ma.fields.Boolean()
    limit = ma.fields.Integer(load_default=20, validate=validate.Range(1, 100))


def to_filters(args: dict[str, Any]) -> JobFilters:
    """Parsed query args as the models' filter object."""
    return JobFilters(
        q=args.get("q"),
        location=args.get("location"),
        country=args.get("country"),
        remote=args.get("remote"),
        employment_type=args.get("type"),
        seniority=args.get("seniority"),
        tags=tuple(nz.tag_key(t) for t in args.get("tag", ())),
        company=nz.company_slug(args["company"]) if args.get("company") else None,
        salary_min=args.get("salary_min"),
        salary_currency=args.get("salary_currency", "USD"),
        posted_within=args.get("posted_within"),
        since=None if args.get("since") is None else newsletter.since_time(args["since"]),
        featured=args.get("featured"),
        sort=args.get("sort", "newest"),
    )


def job_page_url(job: Job) -> str:
    return f"{current_app.config['BASE_URL']}/jobs/{job.slug}"


class CompanyOut(ma.Schema):
    name = ma.fields.String()
    slug = ma.fields.String()
    website = ma.fields.String(allow_none=True)
    logo_url = ma.fields.String(allow_none=True)


class SalaryOut(ma.Schema):
    min = ma.fields.Float(allow_none=True)
    max = ma.fields.Float(allow_none=True)
    currency = ma.fields.String(allow_none=True)
    period = ma.fields.String(allow_none=True)


def _salary(job: Job) -> dict[str, Any] | None:
    if job.salary_min is None and job.salary_max is None:
        return None
    return {
        "min": _number(job.salary_min),
        "max": _number(job.salary_max),
        "currency": job.salary_currency,
        "period": job.salary_period,
    }


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


# OpenAPI shape of the computed salary object (a Function field documents nothing by itself).
_SALARY_DOC = {
    "type": "object",
    "properties": {
        "min": {"type": ["number", "null"]},
        "max": {"type": ["number", "null"]},
        "currency": {"type": ["string", "null"], "description": "ISO 4217"},
        "period": {"type": ["string", "null"], "enum": [*nz.SALARY_PERIODS, None]},
    },
}


class JobOut(ma.Schema):
    """The job JSON of DESIGN.md."""

    id = ma.fields.Integer()
    url = ma.fields.Function(
        job_page_url,
        metadata={"type": "string", "format": "uri", "description": "The job's page on the board."},
    )
    apply_url = ma.fields.String(metadata={"description": "The employer's canonical apply URL."})
    title = ma.fields.String()
    company = ma.fields.Nested(CompanyOut)
    location = ma.fields.String(allow_none=True)
    country = ma.fields.String(allow_none=True)
    remote = ma.fields.String(allow_none=True)
    remote_note = ma.fields.String(allow_none=True)
    employment_type = ma.fields.String(allow_none=True)
    seniority = ma.fields.String(allow_none=True)
    salary = ma.fields.Function(_salary, allow_none=True, metadata=_SALARY_DOC)
    tags = ma.fields.List(ma.fields.String())
    description_html = ma.fields.String()
    posted_at = ma.fields.AwareDateTime()
    updated_at = ma.fields.AwareDateTime()
    published_at = ma.fields.AwareDateTime(
        allow_none=True,
        metadata={
            "description": "When the job first went on the board (null until a posting "
            "waiting for review is first approved); edits, re-reads and reopening never move it."
        },
    )
    valid_through = ma.fields.AwareDateTime(allow_none=True)
    featured = ma.fields.Function(
        lambda job: job.is_featured(utcnow()),
        metadata={"type": "boolean", "description": "Featured placement runs now."},
    )
    origin = ma.fields.String()


class JobPageOut(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(JobOut))
    next_cursor = ma.fields.String(allow_none=True)


job_out = JobOut()
job_query_args = JobQueryArgs()


class NewsletterArgs(JobQueryArgs):
    """What the newsletter build asks for: the board's filters (a section of remote jobs only,
    say), and `since`, `limit` and `tag`; bad values are 422 with the field. The section's
    order is its own and it is one page, so `sort` and `cursor` are none of its parameters."""

    class Meta(JobQueryArgs.Meta):
        exclude = ("sort", "cursor")

    since = Since(
        metadata={
            "type": "string",
            "example": "7d",
            "description": "Jobs first published on the board after this ISO time or span "
            "(h, d, w), and every job featured now; an edit never brings a job back.",
        },
    )
    limit = ma.fields.Integer(
        load_default=newsletter.DEFAULT_LIMIT, validate=validate.Range(1, newsletter.MAX_LIMIT)
    )


class DayOrZonedTime(ma.fields.AwareDateTime):
    """A day, through whose end (UTC) a posting is valid, as sponsors mostly know it, or a
    time with its zone: a time without one would mean a different moment to each reader."""

    default_error_messages = {
        "invalid": "Use a date (2027-01-31: all of that day, UTC) "
        "or a time with its zone (2027-01-31T18:00:00Z).",
    }
    default_error_messages["invalid_awareness"] = default_error_messages["invalid"]

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                return datetime.combine(date.fromisoformat(value.strip()), time.max, UTC)
        return super()._deserialize(value, attr, data, **kwargs)


def _optional(field: type[ma.fields.Field], **kwargs: Any) -> ma.fields.Field:
    return field(allow_none=True, **kwargs)


class SponsorJobIn(ma.Schema):
    """A sponsor's posting (POST /api/v1/sponsor/jobs); PATCH takes any subset of it.

    The description is Markdown (`description`, raw HTML shown as text) or HTML
    (`description_html`); either way it is sanitized on the way in.
    """

    class Meta:
        unknown = ma.RAISE  # a misspelled field is an error, not silently dropped

    title = ma.fields.String(required=True, validate=validate.Length(1, 300))
    company = ma.fields.String(required=True, validate=validate.Length(1, 200))
    apply_url = ma.fields.String(
        required=True,
        validate=validate.Length(1, 2000),
        metadata={"description": "An http(s) URL or an e-mail address (mailto:)."},
    )
    company_website = _optional(ma.fields.String, validate=validate.Length(max=2000))
    company_logo_url = _optional(ma.fields.String, validate=validate.Length(max=2000))
    location = _optional(ma.fields.String, validate=validate.Length(max=300))
    remote = _optional(ma.fields.String, validate=validate.OneOf(nz.REMOTE_POLICIES))
    remote_note = _optional(ma.fields.String, validate=validate.Length(max=200))
    employment_type = _optional(ma.fields.String, validate=validate.OneOf(nz.EMPLOYMENT_TYPES))
    seniority = _optional(ma.fields.String, validate=validate.OneOf(nz.SENIORITIES))
    salary_min = _optional(ma.fields.Float, validate=validate.Range(0, MOST_SALARY))
    salary_max = _optional(ma.fields.Float, validate=validate.Range(0, MOST_SALARY))
    salary_currency = _optional(
        ma.fields.String, validate=validate.Regexp(r"^[A-Za-z]{3}$", error="Use an ISO 4217 code.")
    )
    salary_period = _optional(ma.fields.String, validate=validate.OneOf(nz.SALARY_PERIODS))
    tags = _optional(
        ma.fields.List,
        cls_or_instance=ma.fields.String(validate=validate.Length(1, 60)),
        validate=validate.Length(max=10, error="At most {max} tags."),
    )
    description = _optional(ma.fields.String, validate=validate.Length(max=50_000))
    description_html = _optional(ma.fields.String, validate=validate.Length(max=DESCRIPTION_MAX))
    valid_through = _optional(
        DayOrZonedTime,
        metadata={"description": "A date (valid all that day, UTC) or a time with its zone."},
    )

    @ma.validates_schema
    def _one_description(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("description") and data.get("description_html"):
            raise ma.ValidationError(
                "Send description or description_html, not both.", "description"
            )

    def handle_error(self, error: ma.ValidationError, data: Any, **kwargs: Any) -> None:
        """A new posting's own checks (an apply URL that is no URL, a salary range upside
        down) answer with the schema's, so one request names every bad field."""
        if not isinstance(error.valid_data, dict):
            return
        self._report_with(error, data, postings.check_fields(error.valid_data))

    def _report_with(
        self, error: ma.ValidationError, data: Any, found: dict[str, list[str]]
    ) -> None:
        extra = {k: v for k, v in found.items() if k in self.fields and k not in error.messages}
        if extra and isinstance(error.messages, dict):
            raise ma.ValidationError(error.messages | extra, data=data, valid_data=error.valid_data)

    @ma.post_load
    def _json_ready(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        """Timestamps as ISO text: the raw posting is kept as JSON in its listing."""
        if data.get("valid_through") is not None:
            data["valid_through"] = data["valid_through"].isoformat()
        return data


class SponsorJobPatch(SponsorJobIn):
    """Any subset of a sponsor's posting (PATCH); null clears an optional field."""

    def handle_error(self, error: ma.ValidationError, data: Any, **kwargs: Any) -> None:
        """The edited posting's own checks (a minimum above the stored maximum) answer with
        the fields' errors, as for a new posting; someone else's job adds nothing."""
        listing = _edited_listing()
        if listing is None or not isinstance(error.valid_data, dict):
            return
        self._report_with(error, data, postings.check(postings.edited(listing, error.valid_data)))


def _edited_listing() -> Listing | None:
    """The listing that the request's sponsor edits at this URL, if it is theirs."""
    job_id = (request.view_args or {}).get("job_id")
    sponsor = g.get("sponsor")
    if sponsor is None or not isinstance(job_id, int):
        return None
    return postings.own_listing(db_session(), sponsor.id, job_id)


class SponsorJobOut(JobOut):
    """The job JSON plus what only its sponsor sees: the moderation status, and until when
    the job is featured."""

    status = ma.fields.String(
        metadata={"description": "pending, published, rejected, closed or expired."}
    )
    featured_until = ma.fields.AwareDateTime(
        allow_none=True,
        metadata={"description": "When its featured placement ends (null: not featured)."},
    )


def _a_day_to_feature(day: date) -> None:
    problem = featuring.day_problem(day, utcnow().date())
    if problem:
        raise ma.ValidationError(problem)


class FeatureIn(ma.Schema):
    """How long a sponsor features its job (PUT /api/v1/sponsor/jobs/<id>/featured)."""

    class Meta:
        unknown = ma.RAISE

    until = ma.fields.Date(
        required=True,
        validate=_a_day_to_feature,
        metadata={
            "description": "The last day of the placement (YYYY-MM-DD, UTC), from today to a "
            "year ahead; it ends when that day does."
        },
    )
