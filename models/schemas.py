"""The incoming posting: one marshmallow schema for spiders, sponsors and the demo.

`JobIn` validates a raw posting dict and, in its post-load hook, normalizes it
into a `Posting` ready for `models.ingest`. Raw values stay in `Posting.raw`
so a later normalizer can re-derive fields from the listing's payload.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from functools import cached_property
from typing import Any

import marshmallow as ma
from marshmallow import validate

from models import normalize as nz


class Timestamp(ma.fields.Field):
    """ISO 8601 text, a date, or epoch seconds/milliseconds (Lever sends ms), always UTC out."""

    default_error_messages = {"invalid": "Not a valid date or time."}

    def __init__(self, *, end_of_day: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.end_of_day = end_of_day

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        try:
            return _parse_timestamp(value, end_of_day=self.end_of_day)
        except (TypeError, ValueError, OverflowError, OSError) as exc:
            raise self.make_error("invalid") from exc


def _parse_timestamp(value: Any, *, end_of_day: bool = False) -> datetime:
    """A date without a time ("2026-12-04", a `date`) is the start of its day (UTC), or with
    `end_of_day` its last microsecond: a posting valid through a day is valid all of it, not
    expired from its midnight on. A date and time is read as given."""
    day = None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        day = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        parsed = datetime.fromtimestamp(value / 1000 if value > 1e11 else value, UTC)
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        try:
            day = date.fromisoformat(text)
        except ValueError:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    else:
        raise ValueError(value)
    if day is not None:
        parsed = datetime(day.year, day.month, day.day)
        if end_of_day:
            parsed = parsed.replace(hour=23, minute=59, second=59, microsecond=999_999)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    if not 1990 <= parsed.year <= 2200:
        raise ValueError(value)
    return parsed.astimezone(UTC)


class Number(ma.fields.Field):
    """A salary bound given as a number or as text ("150000", "150,000"); nonsense is an error."""

    default_error_messages = {"invalid": "Not a valid number."}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> float:
        if isinstance(value, bool):
            raise self.make_error("invalid")
        try:
            number = float(str(value).replace(",", "").replace("_", "").strip())
        except ValueError as exc:
            raise self.make_error("invalid") from exc
        if not 0 <= number < 1e10:
            raise self.make_error("invalid")
        return number


@dataclass(frozen=True)
class Posting:
    """A normalized posting: every field in the form the jobs table stores."""

    external_id: str | None
    url: str | None
    apply_url: str
    title: str
    company: str
    company_slug: str
    company_website: str | None
    company_logo_url: str | None
    description_html: str
    description_text: str
    location: str | None
    country: str | None
    remote: str | None
    remote_note: str | None
    employment_type: str | None
    seniority: str | None
    salary_min: float | None
    salary_max: float | None
    salary_currency: str | None
    salary_period: str | None
    salary_annual_min: int | None
    salary_annual_max: int | None
    tags: list[str]
    posted_at: datetime | None
    valid_through: datetime | None
    raw: dict[str, Any] = field(default_factory=dict)
    payload_hash: str = ""  # of the raw dict as received; set by models.ingest

    @cached_property
    def fingerprint(self) -> str:
        """Same opening, whoever lists it (see `opening_fingerprint`).

        Cached, as is `content_hash`: an ingest asks for each several times, and hashing
        a whole description costs as much as writing it.
        """
        return opening_fingerprint(self.company_slug, self.title, self.remote, self.location)

    @cached_property
    def content_hash(self) -> str:
        """Changes exactly when a stored job field would, so unchanged re-ingests skip writes."""
        return stable_hash({name: getattr(self, name) for name in _CONTENT_FIELDS})


def opening_fingerprint(
    company_slug: str, title: str, remote: str | None, location: str | None
) -> str:
    """Company + title (without a last part naming its own place, which some boards add) +
    where it is (its towns, or remote, and the country its location
    names, so "Paris, France" and "Paris, Texas" or "Remote - US" and "Remote - UK" stay
    two openings). A country a source sends apart is left out: a sponsor's "Remote" must
    still join a source's "Remote" that comes with a country field.

    Takes a stored job's columns as well as a posting's, so stored fingerprints can be
    recomputed when this rule changes.
    """
    where = "remote" if remote == "remote" else nz.place_key(location)
    named_country = nz.parse_location(location).country or ""
    title = nz.title_key(nz.title_without_place(title, location))
    key = "|".join((company_slug, title, where, named_country))
    return hashlib.sha1(key.encode()).hexdigest()


_CONTENT_FIELDS = tuple(
    f.name for f in fields(Posting) if f.name not in {"raw", "payload_hash", "external_id", "url"}
)


def stable_hash(value: Any) -> str:
    """A hash of JSON-able data that is equal exactly when the data is (keys sorted)."""
    return hashlib.sha1(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


_text = {"allow_none": True, "load_default": None}
DESCRIPTION_MAX = 200_000  # characters of sanitized HTML


class JobIn(ma.Schema):
    """A raw posting as a spider or sponsor hands it in (see README, "Adding a spider")."""

    class Meta:
        unknown = ma.EXCLUDE

    external_id = ma.fields.String(validate=validate.Length(1, 300), **_text)
    url = ma.fields.String(validate=validate.Length(max=2000), **_text)
    apply_url = ma.fields.String(required=True, validate=validate.Length(1, 2000))
    title = ma.fields.String(required=True, validate=validate.Length(1, 300))
    company = ma.fields.String(required=True, validate=validate.Length(1, 200))
    company_website = ma.fields.String(validate=validate.Length(max=2000), **_text)
    company_logo_url = ma.fields.String(validate=validate.Length(max=2000), **_text)
    location = ma.fields.String(validate=validate.Length(max=500), **_text)
    country = ma.fields.String(validate=validate.Length(max=100), **_text)
    remote = ma.fields.Raw(**_text)  # text like "on-site", or a boolean some APIs send
    remote_note = ma.fields.String(validate=validate.Length(max=200), **_text)
    employment_type = ma.fields.String(validate=validate.Length(max=100), **_text)
    seniority = ma.fields.String(validate=validate.Length(max=100), **_text)
    salary = ma.fields.String(validate=validate.Length(max=300), **_text)
    salary_min = Number(**_text)
    salary_max = Number(**_text)
    salary_currency = ma.fields.String(validate=validate.Length(max=10), **_text)
    salary_period = ma.fields.String(validate=validate.Length(max=50), **_text)
    # Raw HTML may be long with what sanitizing drops (images pasted as data: URIs); the
    # sanitized description is what must fit (DESCRIPTION_MAX).
    description_html = ma.fields.String(validate=validate.Length(max=2_000_000), **_text)
    tags = ma.fields.List(ma.fields.String(validate=validate.Length(max=60)), **_text)
    posted_at = Timestamp(**_text)
    valid_through = Timestamp(end_of_day=True, **_text)
    raw = ma.fields.Dict(**_text)

    @ma.validates("apply_url")
    def _apply_target(self, value: str, **_: Any) -> None:
        if nz.canonical_apply_target(value) is None:
            raise ma.ValidationError("Must be an http(s) URL or an e-mail address.")

    @ma.validates("title")
    def _title_has_text(self, value: str, **_: Any) -> None:
        if not nz.clean_title(value):
            raise ma.ValidationError("Must not be blank.")

    @ma.validates("company")
    def _company_has_text(self, value: str, **_: Any) -> None:
        if not nz.company_slug(value):
            raise ma.ValidationError("Must contain letters or digits.")

    @ma.validates("description_html")
    def _fits_once_sanitized(self, value: str | None, **_: Any) -> None:
        # Sanitizing rarely lengthens HTML, so only a long raw description is sanitized here.
        if (
            value
            and len(value) > DESCRIPTION_MAX
            and len(nz.sanitize_html(value)) > DESCRIPTION_MAX
        ):
            raise ma.ValidationError(f"Longer than {DESCRIPTION_MAX:,} characters once sanitized.")

    @ma.validates_schema
    def _pay_a_job_pays(self, data: dict[str, Any], **_: Any) -> None:
        """Salary bounds no job pays ($180,000 an hour) are refused: a sponsor is told, a
        scraped posting goes in without them (see models.ingest). Pay in text is read later,
        and only kept when plausible."""
        given = {name: data.get(name) for name in ("salary_min", "salary_max")}
        currency = nz.normalize_currency(data.get("salary_currency"))
        period = nz.normalize_period(data.get("salary_period"))
        if not nz.plausible_pay(*given.values(), currency=currency, period=period):
            message = "No job pays this: check the amount, its currency and its period."
            raise ma.ValidationError(
                {name: [message] for name, v in given.items() if v is not None}
            )

    @ma.post_load
    def _normalize(self, data: dict[str, Any], **_: Any) -> Posting:
        return normalize_posting(data)


def normalize_posting(data: dict[str, Any]) -> Posting:
    """Turn validated raw fields into stored fields; the one place normalizing happens."""
    title = nz.clean_title(data["title"], 300) or ""
    company = nz.clean_text(data["company"], 200) or ""
    description_html = nz.sanitize_html(data.get("description_html"))
    remote_hint = data.get("remote")
    if isinstance(remote_hint, bool):
        remote_hint = "remote" if remote_hint else "onsite"
    elif remote_hint is not None:
        remote_hint = str(remote_hint)
    remote = nz.parse_remote(remote_hint, data.get("location"), title, place=data.get("location"))
    location = nz.parse_location(data.get("location"), country=data.get("country"))
    description_text = nz.sanitized_to_text(description_html)
    salary = _salary(data, description_text, location.country)
    return Posting(
        external_id=data.get("external_id"),
        url=nz.canonical_url(data.get("url")),
        apply_url=nz.canonical_apply_target(data["apply_url"]) or "",
        title=title,
        company=company,
        company_slug=nz.company_slug(company),
        company_website=nz.canonical_url(data.get("company_website")),
        company_logo_url=nz.canonical_url(data.get("company_logo_url")),
        description_html=description_html,
        description_text=description_text,
        location=location.display,
        country=location.country,
        remote=remote.policy,
        remote_note=nz.clean_text(data.get("remote_note"), 200) or remote.note,
        employment_type=nz.parse_employment_type(data.get("employment_type"), title),
        seniority=nz.parse_seniority(title, data.get("seniority")),
        salary_min=salary.min,
        salary_max=salary.max,
        salary_currency=salary.currency,
        salary_period=salary.period,
        salary_annual_min=_yearly_usd(salary.min, salary),
        # What the board filters and sorts by: the top of the range, or a floor given alone.
        salary_annual_max=_yearly_usd(_top(salary), salary),
        tags=nz.extract_tags(title, description_text, extra=data.get("tags") or ()),
        posted_at=data.get("posted_at"),
        valid_through=data.get("valid_through"),
        raw=data.get("raw") or {},
    )


def _salary(data: dict[str, Any], description_text: str, country: str | None) -> nz.Salary:
    """The pay the salary fields give, else what the description states (Greenhouse boards
    mostly publish pay only there, as "The annual base salary range ... is $X - $Y")."""
    if all(data.get(name) in (None, "") for name in ("salary", "salary_min", "salary_max")):
        return nz.salary_in_description(description_text, country)
    return nz.parse_salary(
        data.get("salary"),
        minimum=data.get("salary_min"),
        maximum=data.get("salary_max"),
        currency=data.get("salary_currency"),
        period=data.get("salary_period"),
        country=country,
    )


def _yearly_usd(amount: float | None, salary: nz.Salary) -> int | None:
    """A year's pay in US dollars: one scale for jobs paid in different currencies."""
    return nz.in_usd(nz.annualize(amount, salary.comparable_period), salary.currency)


def _top(salary: nz.Salary) -> float | None:
    return salary.min if salary.max is None else salary.max


job_in = JobIn()
