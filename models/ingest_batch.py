"""How one validated batch of postings is written, in a stable order, in few statements.

Companies by slug, then each posting's job: the one its listing points to, else the open
job with its fingerprint, else a new one (all new jobs in one INSERT, their search
documents with them on PostgreSQL), then updates by id (an edited or re-keyed job takes its
new fingerprint when no other open job holds it; a crawled job that a changed fingerprint
rule re-keys onto another open job's merges into it), sightings, and listings by key.
Sorted writes make concurrent ingests of the same postings wait on each other instead
of deadlocking; the unique indexes make the loser's inserts no-ops.
"""

from __future__ import annotations

import dataclasses
import secrets
from datetime import datetime
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from models import lifecycle, search
from models import normalize as nz
from models.db import dialect_of
from models.outcomes import IngestCounts
from models.schemas import Posting
from models.tables import Company, CrawlRun, Job, JobStatus, Listing, Origin, Source, Sponsor
from models.types import utcnow
from models.upsert import insert_rows

_OPEN_JOBS = sa.text("status IN ('pending', 'published')")


@dataclasses.dataclass(frozen=True)
class Owner:
    """Whose postings these are, as plain values: no lazy loads from the writer thread."""

    source_id: int | None
    sponsor_id: int | None
    run_id: int | None
    trusted: bool

    @classmethod
    def of(cls, source: Source | None, sponsor: Sponsor | None, run: CrawlRun | None) -> Owner:
        return cls(
            source.id if source else None,
            sponsor.id if sponsor else None,
            run.id if run else None,
            bool(sponsor and sponsor.trusted),
        )

    @property
    def is_sponsor(self) -> bool:
        return self.sponsor_id is not None

    @property
    def column(self) -> sa.orm.InstrumentedAttribute[Any]:
        return Listing.sponsor_id if self.is_sponsor else Listing.source_id

    @property
    def id(self) -> int:
        return self.sponsor_id if self.is_sponsor else self.source_id  # type: ignore[return-value]

    @property
    def origin(self) -> str:
        return Origin.SPONSOR if self.is_sponsor else Origin.SCRAPED

    @property
    def company_details(self) -> str:
        """How this owner's postings may change a company's website and logo.

        A trusted sponsor owns its company's details ("own"); a crawl fills in what is
        missing ("fill"); anyone unreviewed changes nothing seekers see ("held": a
        moderator's approval applies them, see `models.sponsor_postings`).
        """
        if not self.is_sponsor:
            return "fill"
        return "own" if self.trusted else "held"

    @property
    def new_status(self) -> str:
        if self.is_sponsor and not self.trusted:
            return JobStatus.PENDING
        return JobStatus.PUBLISHED


def write_batch(
    session: so.Session, postings: list[Posting], owner: Owner, counts: IngestCounts, now: datetime
) -> None:
    """Upsert the batch's companies, jobs and listings; counts each posting's outcome."""
    company_ids = _ensure_companies(session, postings, owner.company_details)
    known = _jobs_by_listing(session, owner, [p.external_id for p in postings])
    known = {key: job for key, job in known.items() if not _left_by_crawls(job, owner)}
    returning = [p for p in postings if _reopens(known.get(p.external_id), p, owner)]
    looked_up = [p for p in postings if p.external_id not in known] + returning
    by_fingerprint = _open_jobs_by_fingerprint(session, {p.fingerprint for p in looked_up})
    reopened = _settle_returns(returning, known, by_fingerprint)
    unmatched = [p for p in postings if p.external_id not in known]
    created = _create_jobs(session, unmatched, by_fingerprint, company_ids, owner, now)
    job_ids: dict[str, int] = {}
    actions: dict[str, str] = {}
    changes: dict[int, dict[str, Any]] = {}
    renamed: dict[int, _KnownJob] = {}  # job -> as it would be keyed by its posting
    rekeyed: set[int] = set()  # of those, the ones whose content did not change
    for posting in postings:
        via_listing = posting.external_id in known
        job = known[posting.external_id] if via_listing else by_fingerprint[posting.fingerprint]
        job_ids[posting.external_id] = job.id
        if job.id in created:
            actions[posting.external_id] = "created"
        elif job.id in changes or not _should_update(job, posting, owner, via_listing=via_listing):
            actions[posting.external_id] = "unchanged"
            if job.id not in changes and _rekeys(job, posting, owner, via_listing=via_listing):
                renamed[job.id] = dataclasses.replace(job, fingerprint=posting.fingerprint)
                rekeyed.add(job.id)
        else:
            changes[job.id] = (
                _job_values(posting, company_ids, owner, now)
                | {"last_seen_at": now}
                | _reopen(job, now)
            )
            if job.id in reopened:
                changes[job.id]["fingerprint"] = reopened[job.id]
            elif posting.fingerprint != job.fingerprint:
                renamed[job.id] = dataclasses.replace(job, fingerprint=posting.fingerprint)
            actions[posting.external_id] = "updated"
    moves, merges = _settle_renames(session, renamed, rekeyed, reopened, owner)
    for posting in postings:
        merged = renamed.get(job_ids[posting.external_id])
        if merged and merged.id in merges and posting.fingerprint == merged.fingerprint:
            job_ids[posting.external_id] = merges[merged.id]
    edited = set(changes) - merges.keys()
    changes = {job_id: values for job_id, values in changes.items() if job_id not in merges}
    for job_id, fingerprint in moves.items():
        changes.setdefault(job_id, {"last_seen_at": now})["fingerprint"] = fingerprint
    _update_jobs(session, changes)
    touch_jobs(session, sorted(set(job_ids.values()) - created - changes.keys()), now)
    _upsert_listings(session, postings, job_ids, owner, now)
    _close_merged(session, merges, now)
    for key, action in actions.items():
        counts.add(key, job_ids[key], action)
    indexed_on_insert = search.document_on_insert(dialect_of(session)) is not None
    search.reindex(session, sorted(edited | (set() if indexed_on_insert else created)))


@dataclasses.dataclass
class _KnownJob:
    id: int
    content_hash: str
    origin: str
    status: str
    fingerprint: str
    published_at: datetime | None  # kept when a closed job reopens (`_reopen`)


# What the batch reads of a job it may join (`_KnownJob`), in one statement with its lookup.
_KNOWN_COLUMNS = (
    Job.id,
    Job.content_hash,
    Job.origin,
    Job.status,
    Job.fingerprint,
    Job.published_at,
)


def _ensure_companies(session: so.Session, postings: list[Posting], details: str) -> dict[str, int]:
    """Insert missing companies (sorted by slug) and set their website and logo as `details` allows.

    A company's website and logo come from the last of its postings that gives one, not
    from its last posting: a re-ingest skips unchanged postings, so "the last posting"
    would be another one and fill in, the second time, what the first left empty.
    """
    held = details == "held"
    rows: dict[str, dict[str, Any]] = {}
    for p in postings:
        row = rows.setdefault(p.company_slug, {"slug": p.company_slug, "created_at": utcnow()})
        row["name"] = p.company
        row["website"] = None if held else p.company_website or row.get("website")
        row["logo_url"] = None if held else p.company_logo_url or row.get("logo_url")
    values = [rows[slug] for slug in sorted(rows)]
    stmt, params = insert_rows(session, Company.__table__, values)
    if held:
        stmt = stmt.on_conflict_do_nothing(index_elements=["slug"])
    else:
        stmt = stmt.on_conflict_do_update(index_elements=["slug"], **_details_rule(stmt, details))
    session.execute(stmt, params)
    found = session.execute(sa.select(Company.slug, Company.id).where(Company.slug.in_(rows)))
    return {slug: company_id for slug, company_id in found}


def _details_rule(stmt: Any, details: str) -> dict[str, Any]:
    """SET and WHERE for a known company's website and logo: the posting's first ("own"),
    or ours first, the posting's only filling a gap ("fill")."""
    ours, theirs = stmt.table.c, stmt.excluded
    names = ("website", "logo_url")
    if details == "own":
        return {
            "set_": {n: sa.func.coalesce(theirs[n], ours[n]) for n in names},
            "where": sa.or_(
                *(
                    theirs[n].is_not(None) & (theirs[n] != sa.func.coalesce(ours[n], ""))
                    for n in names
                )
            ),
        }
    return {
        "set_": {n: sa.func.coalesce(ours[n], theirs[n]) for n in names},
        "where": sa.or_(*(ours[n].is_(None) & theirs[n].is_not(None) for n in names)),
    }


def _jobs_by_listing(session: so.Session, owner: Owner, keys: list[str]) -> dict[str, _KnownJob]:
    stmt = (
        sa.select(Listing.external_id, *_KNOWN_COLUMNS)
        .join(Job, Job.id == Listing.job_id)
        .where(owner.column == owner.id, Listing.external_id.in_(keys))
    )
    return {key: _KnownJob(*rest) for key, *rest in session.execute(stmt)}


def _open_jobs_by_fingerprint(session: so.Session, fingerprints: set[str]) -> dict[str, _KnownJob]:
    if not fingerprints:
        return {}
    stmt = sa.select(*_KNOWN_COLUMNS).where(
        Job.fingerprint.in_(fingerprints), Job.status.in_(JobStatus.OPEN)
    )
    jobs = (_KnownJob(*row) for row in session.execute(stmt))
    return {job.fingerprint: job for job in jobs}


def _left_by_crawls(job: _KnownJob, owner: Owner) -> bool:
    """A crawl's listing leaves a sponsor's job that is off the board for good, to be matched
    anew: one a moderator rejected, its sponsor withdrew, or that expired.

    Anyone may post an opening before its company's board is crawled, and a trusted
    sponsor's posting takes over the crawled copy of its opening; either way the crawl's
    listing joins the sponsor's job, whose fields win. Were it to stay when that job ends
    while the company's own board still lists the opening, the opening would never be on
    the board again.
    """
    return (
        not owner.is_sponsor and job.origin == Origin.SPONSOR and job.status not in JobStatus.OPEN
    )


def _reopens(job: _KnownJob | None, posting: Posting, owner: Owner) -> bool:
    """The posting's listing points to a closed job that the posting would open again."""
    return (
        job is not None
        and job.status in JobStatus.ENDED
        and _should_update(job, posting, owner, via_listing=True)
    )


def _settle_returns(
    returning: list[Posting], known: dict[str, _KnownJob], by_fingerprint: dict[str, _KnownJob]
) -> dict[int, str]:
    """Which closed jobs reopen, and under which fingerprint; the others' listings move.

    While a job was closed, another source may have opened the same opening: reopening
    it too would put two open jobs on one fingerprint. A returning listing joins the open
    job that holds its posting's fingerprint (it leaves `known`); otherwise its job
    reopens under that fingerprint, and later postings of the batch with it join it.
    """
    reopened: dict[int, str] = {}
    for posting in sorted(returning, key=lambda p: (known[p.external_id].id, p.external_id)):
        job = known[posting.external_id]
        if job.id in reopened:
            continue  # another listing of this job reopens it
        if posting.fingerprint in by_fingerprint:
            del known[posting.external_id]
        else:
            reopened[job.id] = posting.fingerprint
            by_fingerprint[posting.fingerprint] = job
    return reopened


def _settle_renames(
    session: so.Session,
    renamed: dict[int, _KnownJob],
    rekeyed: set[int],
    reopened: dict[int, str],
    owner: Owner,
) -> tuple[dict[int, str], dict[int, int]]:
    """Which re-keyed jobs move to their new fingerprint, and which merge into its holder.

    A job whose title, company or place changed through its listing, or whose key a release
    changed (`_rekeys`), takes its new fingerprint, so other copies of the opening join it.
    When another open job holds that fingerprint already and a release changed the key (the
    posting itself did not change: `rekeyed`), the two are one opening stored apart under
    the older rule: a crawl's listing joins the holder and its own job closes as merged into
    it (`_close_merged`). An edit onto a held fingerprint keeps its old one instead: other
    sources' listings that joined the edited job stay on it, and merging would let two
    sources swapping titles fold two openings into one. Nor does a job merge when that
    would take a published job off the board for one awaiting review, nor for a sponsor,
    whose own posting stays where its manage link points; nor into a job that itself moves
    in this batch, nor into an untrusted sponsor's job (see `_untrusted_sponsors_jobs`).
    Lowest job id first, so one batch settles each fingerprint once. Returns
    ({job: new fingerprint}, {job: the job it merges into}).
    """
    holders = _open_jobs_by_fingerprint(session, {job.fingerprint for job in renamed.values()})
    for job_id, fingerprint in reopened.items():
        holders[fingerprint] = _KnownJob(job_id, "", "", JobStatus.PUBLISHED, fingerprint, None)
    untrusted = _untrusted_sponsors_jobs(session, list(holders.values()))
    moves: dict[int, str] = {}
    merges: dict[int, int] = {}
    for job_id, job in sorted(renamed.items()):
        holder = holders.get(job.fingerprint)
        if holder is None:
            moves[job_id] = job.fingerprint
            holders[job.fingerprint] = job  # one job per fingerprint within the batch too
        elif (
            job_id in rekeyed
            and holder.id not in untrusted
            and _merges(job, holder, renamed.get(holder.id, holder), owner)
        ):
            merges[job_id] = holder.id
    return moves, merges


def _untrusted_sponsors_jobs(session: so.Session, jobs: list[_KnownJob]) -> set[int]:
    """Those of `jobs` an untrusted sponsor lists. A crawled job merged into one would be the
    sponsor's to send back to review with an edit, or to close, though its source lists
    it: such a sponsor may not take over an opening on the board (see `sponsor_postings`)."""
    sponsors_jobs = sorted(job.id for job in jobs if job.origin == Origin.SPONSOR)
    if not sponsors_jobs:
        return set()
    stmt = (
        sa.select(Listing.job_id)
        .join(Sponsor, Sponsor.id == Listing.sponsor_id)
        .where(Listing.job_id.in_(sponsors_jobs), ~Sponsor.trusted)
    )
    return set(session.scalars(stmt))


def _merges(job: _KnownJob, holder: _KnownJob, holder_after: _KnownJob, owner: Owner) -> bool:
    """Whether a crawl's re-keyed job merges into the open job that holds its new key."""
    stays = holder_after.fingerprint == job.fingerprint  # the holder does not move away
    in_view = holder.status == JobStatus.PUBLISHED or job.status == JobStatus.PENDING
    return not owner.is_sponsor and stays and in_view


def _close_merged(session: so.Session, merges: dict[int, int], now: datetime) -> None:
    """Close each merged job that no listing holds any more; its links then lead to the
    job it merged into. One another source still lists stays open until that source's
    copy moves too.

    A merged job another ingest is writing meanwhile is left open: that ingest is most
    likely merging its own job into this one while holding the job this one merged into,
    so waiting would deadlock, and its listing will keep this job open. (Another writer,
    such as a moderator's edit, leaves it open without listings until it expires.)
    """
    if not merges:
        return
    free = session.scalars(
        sa.select(Job.id)
        .where(Job.id.in_(sorted(merges)))
        .order_by(Job.id)
        .with_for_update(key_share=True, skip_locked=True)
    )
    for job_id in sorted(set(free)):
        holder_id = merges[job_id]
        featured_until = session.scalar(
            sa.update(Job)
            .where(Job.id == job_id, Job.status.in_(JobStatus.OPEN), ~lifecycle.STILL_LISTED)
            .values(
                status=JobStatus.CLOSED,
                ended_in_review=Job.status == JobStatus.PENDING,
                closed_at=now,
                updated_at=now,
                merged_into_id=holder_id,
            )
            .returning(Job.featured_until)
        )
        if featured_until is not None and featured_until > now:
            _carry_featuring(session, holder_id, featured_until, now)


def _carry_featuring(session: so.Session, job_id: int, until: datetime, now: datetime) -> None:
    """The job merged into takes over a running featured placement, if it lasts longer:
    a placement a moderator gave (or a sponsor paid for) must not end with a merge."""
    session.execute(
        sa.update(Job)
        .where(Job.id == job_id, sa.or_(Job.featured_until.is_(None), Job.featured_until < until))
        .values(featured_until=until, updated_at=now)
    )


def _create_jobs(
    session: so.Session,
    postings: list[Posting],
    by_fingerprint: dict[str, _KnownJob],
    company_ids: dict[str, int],
    owner: Owner,
    now: datetime,
) -> set[int]:
    """Insert one job per new fingerprint; a concurrent ingest's row wins and we join it."""
    new = {p.fingerprint: p for p in reversed(postings) if p.fingerprint not in by_fingerprint}
    if not new:
        return set()
    published_at = lifecycle.first_published_at(owner.new_status, None, now)
    values = []
    for fingerprint, posting in sorted(new.items()):
        row = _job_values(posting, company_ids, owner, now)
        row |= {
            "posted_at": _posted_at(posting, now) or now,  # an undated update keeps the job's
            "slug": _slug(posting),
            "code": secrets.token_urlsafe(6),
            "status": owner.new_status,
            "published_at": published_at,
            "fingerprint": fingerprint,
            "first_seen_at": now,
            "last_seen_at": now,
        }
        values.append(row)
    document = search.document_on_insert(dialect_of(session))
    if document:
        values = [document.row(row) for row in values]
    stmt, params = insert_rows(
        session,
        Job.__table__,
        values,
        computed=document and document.computed,
        inputs=document.inputs if document else (),
    )
    stmt = stmt.on_conflict_do_nothing(
        index_elements=["fingerprint"], index_where=_OPEN_JOBS
    ).returning(stmt.table.c.id, stmt.table.c.fingerprint)
    inserted = {fp: job_id for job_id, fp in session.execute(stmt, params) if job_id is not None}
    for fingerprint, job_id in inserted.items():
        posting = new[fingerprint]
        by_fingerprint[fingerprint] = _KnownJob(
            job_id, posting.content_hash, owner.origin, owner.new_status, fingerprint, published_at
        )
    # Only the rows a concurrent ingest inserted first need looking up.
    by_fingerprint.update(_open_jobs_by_fingerprint(session, set(new) - inserted.keys()))
    return set(inserted.values())


def _slug(posting: Posting) -> str:
    base = nz.slugify(f"{posting.title} {posting.company}", max_length=100) or "job"
    return f"{base}-{secrets.token_hex(3)}"


def _should_update(job: _KnownJob, posting: Posting, owner: Owner, *, via_listing: bool) -> bool:
    """Content changed, or a closed opening reappeared.

    A sponsor's fields win over any scraped copy, and a second source that merely
    shares the fingerprint attaches its listing without rewriting the job, so two
    sources of one opening never flip its content back and forth.
    """
    if not _rewrites(job, owner, via_listing=via_listing):
        return False
    return job.content_hash != posting.content_hash or job.status in JobStatus.ENDED


def _rewrites(job: _KnownJob, owner: Owner, *, via_listing: bool) -> bool:
    """Whether this posting may rewrite its job: a sponsor's always, a source's through its
    own listing unless the job is a sponsor's."""
    return owner.is_sponsor or (job.origin != Origin.SPONSOR and via_listing)


def _rekeys(job: _KnownJob, posting: Posting, owner: Owner, *, via_listing: bool) -> bool:
    """An unchanged posting keyed otherwise than its job: a release changed the fingerprint
    rule, and re-reads every payload once. The job moves to the new key (its updated_at
    stays), or other sources' copies of the opening, keyed the new way, never find it."""
    return posting.fingerprint != job.fingerprint and _rewrites(job, owner, via_listing=via_listing)


# A closed job listed again is open as itself: no longer merged into another job, or its
# links would lead there once it closed again.
_REOPENED = {
    "status": JobStatus.PUBLISHED,
    "closed_at": None,
    "ended_in_review": False,
    "merged_into_id": None,
}


def _reopen(job: _KnownJob, now: datetime) -> dict[str, Any]:
    """The columns a returning job's update sets: open again, and published since it first was
    (or from now, if it ended in review and so never was)."""
    if job.status not in JobStatus.ENDED:
        return {}
    published_at = lifecycle.first_published_at(JobStatus.PUBLISHED, job.published_at, now)
    return _REOPENED | {"published_at": published_at}


def _job_values(
    posting: Posting, company_ids: dict[str, int], owner: Owner, now: datetime
) -> dict[str, Any]:
    return {
        "company_id": company_ids[posting.company_slug],
        "title": posting.title,
        "description_html": posting.description_html,
        "description_text": posting.description_text,
        "apply_url": posting.apply_url,
        "location": posting.location,
        "country": posting.country,
        "remote": posting.remote,
        "remote_note": posting.remote_note,
        "employment_type": posting.employment_type,
        "seniority": posting.seniority,
        "salary_min": posting.salary_min,
        "salary_max": posting.salary_max,
        "salary_currency": posting.salary_currency,
        "salary_period": posting.salary_period,
        "salary_annual_min": posting.salary_annual_min,
        "salary_annual_max": posting.salary_annual_max,
        "tags": posting.tags,
        "origin": owner.origin,
        "valid_through": posting.valid_through,
        "updated_at": now,
        "content_hash": posting.content_hash,
    } | ({} if _posted_at(posting, now) is None else {"posted_at": posting.posted_at})


def _posted_at(posting: Posting, now: datetime) -> datetime | None:
    """The posting's date, or None when it lies in the future (a wrong zone, a typo, a year
    ahead on purpose): stored, it would keep the job first among the newest for that long."""
    return posting.posted_at if posting.posted_at and posting.posted_at <= now else None


def _update_jobs(session: so.Session, changes: dict[int, dict[str, Any]]) -> None:
    """Write the batch's job updates; moves to a fingerprint taken meanwhile are dropped.

    Between this batch's lookups and its UPDATE a concurrent ingest may open a job on a
    fingerprint a job here moves or reopens to, and the unique index refuses the batch.
    Those jobs are then updated without moving (a returning job stays closed); the next
    ingest sees the other job and settles them, as the lookups would have.
    """
    if not any("fingerprint" in values for values in changes.values()):
        _execute_updates(session, changes)
        return
    try:
        with session.begin_nested():
            _execute_updates(session, changes)
    except sa.exc.IntegrityError:
        for values in changes.values():
            if values.pop("fingerprint", None) is not None:
                for name in (*_REOPENED, "published_at"):
                    values.pop(name, None)
        _execute_updates(session, changes)


def _execute_updates(session: so.Session, changes: dict[int, dict[str, Any]]) -> None:
    if changes:
        session.execute(
            sa.update(Job), [{"id": job_id, **values} for job_id, values in sorted(changes.items())]
        )


def touch_jobs(session: so.Session, job_ids: list[int], now: datetime) -> None:
    """Record the sighting of jobs not seen for `lifecycle.sighting_resolution`; updated_at
    stays put so unchanged jobs keep their ETag."""
    if job_ids:
        unseen = Job.last_seen_at < now - lifecycle.sighting_resolution()
        session.execute(sa.update(Job).where(Job.id.in_(job_ids), unseen).values(last_seen_at=now))


def _upsert_listings(
    session: so.Session,
    postings: list[Posting],
    job_ids: dict[str, int],
    owner: Owner,
    now: datetime,
) -> None:
    owner_key = "sponsor_id" if owner.is_sponsor else "source_id"
    values = [
        {
            owner_key: owner.id,
            "external_id": p.external_id,
            "job_id": job_ids[p.external_id],
            "url": p.url,
            "payload": p.raw,
            "payload_hash": p.payload_hash,
            "first_seen_at": now,
            "last_seen_at": now,
            "last_run_id": owner.run_id,
            "closed_at": None,
        }
        for p in postings
    ]
    stmt, params = insert_rows(session, Listing.__table__, values)
    table = Listing.__table__
    payload_changed = stmt.excluded.payload_hash != table.c.payload_hash
    stmt = stmt.on_conflict_do_update(
        index_elements=[owner_key, "external_id"],
        set_={
            "job_id": stmt.excluded.job_id,
            "url": stmt.excluded.url,
            "payload": sa.case((payload_changed, stmt.excluded.payload), else_=table.c.payload),
            "payload_hash": stmt.excluded.payload_hash,
            "last_seen_at": stmt.excluded.last_seen_at,
            "last_run_id": stmt.excluded.last_run_id,
            "closed_at": None,
        },
    )
    session.execute(stmt, params)
