"""Sponsor postings from the web form and the token API, through the one ingest path.

A sponsor hands in the fields of a raw posting (with the description in
Markdown); this module turns them into the raw posting dict of `models.schemas`,
checks it completely before anything is written, and ingests it under the
sponsor, so a sponsor's job is normalized, sanitized and deduplicated exactly
like a scraped one.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from markdown_it import MarkdownIt

from models import lifecycle, moderation, netsafety, sponsors
from models import normalize as nz
from models.ingest import storable, upsert_postings
from models.schemas import job_in
from models.tables import Company, Job, JobStatus, Listing, Sponsor
from models.types import utcnow

# Raw markup is shown as text, never passed through; the result is sanitized again by nh3.
_markdown = MarkdownIt("commonmark", {"html": False})


class InvalidPosting(ValueError):
    """The posting cannot be stored; `messages` names each bad field."""

    def __init__(self, messages: Mapping[str, list[str]]) -> None:
        super().__init__("invalid posting")
        self.messages = dict(messages)


class PostingConflict(ValueError):
    """The request clashes with the job's state or with another sponsor's posting."""


@dataclass(frozen=True)
class SponsorJob:
    job: Job
    listing: Listing


def render_markdown(text: str | None) -> str:
    """A sponsor's Markdown description as sanitized HTML (also used for the form preview)."""
    return nz.sanitize_html(_markdown.render(text or ""))


def to_raw(fields: Mapping[str, Any], external_id: str) -> dict[str, Any]:
    """The raw posting dict of a sponsor's fields: blanks dropped, Markdown rendered."""
    raw = {k: v for k, v in storable(fields).items() if v not in (None, "", [])}
    if "description" in raw:
        raw["description_markdown"] = raw.pop("description")
        raw["description_html"] = render_markdown(raw["description_markdown"])
    raw["external_id"] = external_id
    return raw


def check_fields(fields: Mapping[str, Any]) -> dict[str, list[str]]:
    """Every problem of a sponsor's fields as typed, before the posting has an id."""
    return check(to_raw(fields, external_id="check"))


def check(raw: Mapping[str, Any]) -> dict[str, list[str]]:
    """Every problem of a raw sponsor posting, by field; empty when it can be stored."""
    errors: dict[str, list[str]] = dict(job_in.validate(raw))
    for name in ("company_website", "company_logo_url"):
        value = raw.get(name)
        if value and nz.canonical_url(str(value)) is None and name not in errors:
            errors[name] = ["Must be an http(s) URL."]
    apply_url = raw.get("apply_url")
    if apply_url and "apply_url" not in errors and netsafety.names_private_host(str(apply_url)):
        errors["apply_url"] = [
            "Must be on a public host: applicants' browsers would open "
            "their own network (a private address or a local name)."
        ]
    currency = raw.get("salary_currency")
    if currency and "salary_currency" not in errors and nz.normalize_currency(currency) is None:
        errors["salary_currency"] = ["Not a known currency: use an ISO 4217 code such as EUR."]
    until = raw.get("valid_through")
    if until and "valid_through" not in errors and _timestamp(until) <= utcnow():
        errors["valid_through"] = ["Must be in the future."]
    low, high = raw.get("salary_min"), raw.get("salary_max")
    if low is not None and high is not None and "salary_max" not in errors:
        try:
            if float(low) > float(high):
                errors["salary_max"] = ["Must not be less than the minimum."]
        except (TypeError, ValueError):
            pass
    if "description_html" in errors and "description_markdown" in raw:
        errors["description"] = errors.pop("description_html")
    return errors


def _timestamp(value: Any) -> datetime:
    return job_in.fields["valid_through"].deserialize(value)


def edited(listing: Listing, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The raw posting after a partial edit: `changes` over the stored one, None or blank clears."""
    cleared = set(changes)
    if cleared & {"description", "description_html"}:
        cleared |= {"description_markdown", "description_html"}
    raw = {k: v for k, v in listing.payload.items() if k not in cleared}
    return raw | to_raw(changes, external_id=listing.external_id)


def submit(
    session: so.Session, sponsor: Sponsor, fields: Mapping[str, Any], *, join_own: bool = True
) -> SponsorJob:
    """Ingest a new posting under `sponsor`; nothing is written when it is invalid or taken.

    With `join_own`, a posting of an opening the sponsor lists already updates that job.
    """
    raw = to_raw(fields, external_id=str(uuid.uuid4()))
    _ensure_valid(raw)
    _refuse_taken_job(session, sponsor, raw, join_own=join_own)
    return _ingest(session, sponsor, raw)


def submit_from_form(
    session: so.Session, email: str, fields: Mapping[str, Any]
) -> tuple[SponsorJob, str]:
    """A web-form posting under the poster's (never trusted) sponsor record, and its manage token.

    The token is returned once; only its hash is stored.
    """
    _ensure_valid(to_raw(fields, external_id="check"))
    sponsor = sponsors.form_sponsor(session, str(fields.get("company") or email), email)
    if not sponsor.active:
        raise InvalidPosting({"email": ["This address may no longer post."]})
    posted = submit(session, sponsor, fields, join_own=False)
    token = sponsors.issue_manage_token(posted.listing)
    session.commit()
    return posted, token


def update(
    session: so.Session, listing: Listing, changes: Mapping[str, Any], *, by_moderator: bool = False
) -> SponsorJob:
    """Re-ingest the merged posting under its listing key, so the same job is updated.

    A field given as None or blank in `changes` is cleared. A moderator's edit
    needs no further review; an untrusted sponsor's edit of a live job does.
    """
    job = session.get(Job, listing.job_id)
    if job is None or job.status not in JobStatus.OPEN:
        raise PostingConflict(f"a {job.status if job else 'deleted'} posting cannot be edited")
    raw = edited(listing, changes)
    _ensure_valid(raw)
    sponsor = session.get(Sponsor, listing.sponsor_id)
    _refuse_taken_job(session, sponsor, raw, join_own=True, reviewed=by_moderator)  # type: ignore[arg-type]
    posted = _ingest(session, sponsor, raw, reviewed=by_moderator)  # type: ignore[arg-type]
    if by_moderator and posted.job.status == JobStatus.PUBLISHED:
        _adopt_company_details(session, posted.job)
    return posted


def publish(session: so.Session, job: Job, *, reviewed: str | None = None) -> Job:
    """A moderator's approval: the job goes on the board, with the company details it gave.

    `reviewed` is the content hash of the version the moderator saw (None: no page was
    seen, as in code): a sponsor may edit the posting between the look and the click, and
    that edit must not go on the board unseen. The job's row is locked first, so an edit
    at the same moment waits, and then sends the published job back to review.

    An unreviewed posting changes no company's website or logo (see
    `models.ingest_batch.Owner.company_details`); once approved, its details are the
    company's, as a trusted sponsor's are at once. A rejected posting holds its opening no
    more: when another job lists it now (a crawl's, see `ingest_batch._left_by_crawls`, or
    another poster's), it cannot be published.
    """
    session.refresh(job, with_for_update=True)
    publishable = job.status in (JobStatus.PENDING, JobStatus.REJECTED)
    if publishable and reviewed is not None and reviewed != job.content_hash:
        raise lifecycle.TransitionError(
            "cannot publish it: the posting changed since you loaded the page; review it again"
        )
    if job.status == JobStatus.REJECTED:
        taken = session.scalar(_open_jobs_on(job.fingerprint).where(Job.id != job.id))
        if taken is not None:
            raise lifecycle.TransitionError(f"cannot publish it: job {taken} lists its opening now")
    lifecycle.publish(job)
    _adopt_company_details(session, job)
    return job


def close(job: Job) -> Job:
    """The sponsor withdraws the posting; closing a closed one again changes nothing."""
    if job.status in JobStatus.ENDED:
        return job
    try:
        return lifecycle.close(job)
    except lifecycle.TransitionError as exc:
        raise PostingConflict(str(exc)) from exc


def own_listing(session: so.Session, sponsor_id: int, job_id: int) -> Listing | None:
    """The sponsor's latest listing of a job; None when the job is not theirs."""
    return session.scalar(
        sa.select(Listing)
        .where(Listing.sponsor_id == sponsor_id, Listing.job_id == job_id)
        .order_by(Listing.id.desc())
        .limit(1)
    )


def own_job_ids(sponsor_id: int) -> sa.Select[tuple[int]]:
    """The ids of the jobs a sponsor lists, whatever their state."""
    return sa.select(Listing.job_id).where(Listing.sponsor_id == sponsor_id)


def own_jobs(sponsor_id: int) -> sa.Select[tuple[Job]]:
    """A sponsor's postings, newest first."""
    return sa.select(Job).where(Job.id.in_(own_job_ids(sponsor_id))).order_by(Job.id.desc())


def description_is_html(listing: Listing) -> bool:
    """The posting's description came as HTML (API `description_html`), not as Markdown."""
    payload = listing.payload
    return "description_markdown" not in payload and bool(payload.get("description_html"))


def form_fields(listing: Listing) -> dict[str, Any]:
    """The posting's fields as the sponsor entered them, to fill the edit form."""
    raw = dict(listing.payload)
    raw["description"] = raw.pop("description_markdown", None) or raw.get("description_html")
    return raw


def _ensure_valid(raw: Mapping[str, Any]) -> None:
    errors = check(raw)
    if errors:
        raise InvalidPosting(errors)


_ANOTHER_SPONSORS = "another sponsor already lists this job"


def _refuse_taken_job(
    session: so.Session,
    sponsor: Sponsor,
    raw: Mapping[str, Any],
    *,
    join_own: bool,
    reviewed: bool = False,
) -> None:
    """A new or edited posting must not take over an open job that is not the sponsor's.

    It would deduplicate onto the open job with its fingerprint and rewrite it. That is
    wanted for a trusted sponsor and a scraped copy of its opening (its fields win), and
    for a sponsor sending its posting again; from anyone else it would hijack the job.
    An edit into another job's opening keeps its old fingerprint instead, so the opening
    would be listed twice once approved: refused alike, unless a moderator makes it
    (`reviewed`). A form poster is known only by the address typed in, so its postings
    never join one another: a posted job is edited through its manage link.
    """
    holders = _holders(session, raw)
    if holders - {None, sponsor.id}:
        raise PostingConflict(_ANOTHER_SPONSORS)
    if sponsor.id in holders and not join_own:
        raise PostingConflict("this job is posted already: edit it through its manage link")
    if None in holders and sponsor.id not in holders and not (sponsor.trusted or reviewed):
        raise PostingConflict(
            "this job is on the board already; the moderators can make you its sponsor"
        )


def _holders(session: so.Session, raw: Mapping[str, Any]) -> set[int | None]:
    """Who lists the open job a posting would join: sponsor ids, None for a source."""
    job_ids = _open_jobs_on(job_in.load(raw).fingerprint)
    return set(session.scalars(sa.select(Listing.sponsor_id).where(Listing.job_id.in_(job_ids))))


def _open_jobs_on(fingerprint: str) -> sa.Select[tuple[int]]:
    """The id of the open job that holds this opening (one at most: a unique index)."""
    return sa.select(Job.id).where(Job.fingerprint == fingerprint, Job.status.in_(JobStatus.OPEN))


def _adopt_company_details(session: so.Session, job: Job) -> None:
    listing = session.scalar(moderation.sponsor_listing(job.id))
    if listing is None:
        return
    company = session.get(Company, job.company_id)
    for name, field in (("website", "company_website"), ("logo_url", "company_logo_url")):
        value = nz.canonical_url(listing.payload.get(field))
        if value:
            setattr(company, name, value)


def _ingest(
    session: so.Session, sponsor: Sponsor, raw: dict[str, Any], *, reviewed: bool = False
) -> SponsorJob:
    """Ingest one checked posting; an untrusted sponsor's change to a live job is re-reviewed."""
    counts = upsert_postings(session, [raw], sponsor=sponsor)
    if counts.rejected:  # check() mirrors JobIn, so this means the two drifted apart
        raise InvalidPosting({"posting": [reason for _, reason in counts.rejections]})
    (outcome,) = counts.outcomes
    job = session.get(Job, outcome.job_id, populate_existing=True)
    trusted = reviewed or sponsor.trusted
    if outcome.action == "updated" and not trusted and job.status == JobStatus.PUBLISHED:
        lifecycle.hold_for_review(job)
        session.commit()
    listing = session.scalar(
        sa.select(Listing).where(
            Listing.sponsor_id == sponsor.id, Listing.external_id == raw["external_id"]
        ),
        execution_options={"populate_existing": True},
    )
    return SponsorJob(job, listing)  # type: ignore[arg-type]
