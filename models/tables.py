"""The tables of DESIGN.md as typed SQLAlchemy 2.x models.

Models hold data and named constants only; state changes live in
`models.lifecycle` and writes of jobs in `models.ingest`, and nothing here commits.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from models.types import JSONType, UTCDateTime, utcnow


class Base(so.DeclarativeBase):
    metadata = sa.MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class JobStatus:
    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"
    CLOSED = "closed"
    EXPIRED = "expired"
    ALL = (PENDING, PUBLISHED, REJECTED, CLOSED, EXPIRED)
    OPEN = (PENDING, PUBLISHED)  # a new sighting with the same fingerprint joins an open job
    ENDED = (CLOSED, EXPIRED)  # no longer on the board; a new sighting of its listing reopens it


class Origin:
    SCRAPED = "scraped"
    SPONSOR = "sponsor"


class RunStatus:
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    PARTIAL = "partial"
    ALL = (RUNNING, SUCCEEDED, FAILED, PARTIAL)


SOURCE_KINDS = (
    "greenhouse",
    "lever",
    "ashby",
    "workable",
    "smartrecruiters",
    "recruitee",
    "jsonld",
)

MAX_ID = 2**31 - 1  # ids are INTEGER columns: a larger one can name no row
OPEN_JOB_CLAUSE = "status IN ('pending', 'published')"


class Company(Base):
    __tablename__ = "companies"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    slug: so.Mapped[str] = so.mapped_column(sa.String(200), unique=True)
    website: so.Mapped[str | None] = so.mapped_column(sa.String(2000))
    logo_url: so.Mapped[str | None] = so.mapped_column(sa.String(2000))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)


# Digits of a stored pay amount, two of them cents: a year's pay in dong or rupiah runs to
# hundreds of billions.
SALARY_DIGITS = 14
MOST_SALARY = 10 ** (SALARY_DIGITS - 2) - 1  # the largest whole amount the columns hold

# The board's column facets, in the order of their indexes.
FACET_COLUMN_NAMES = ("remote", "employment_type", "seniority", "country")


def _published_index(name: str, *columns: Any, **options: Any) -> sa.Index:
    """An index of published jobs only: what the board reads, a fraction of all rows."""
    published = sa.text("status = 'published'")
    return sa.Index(name, *columns, postgresql_where=published, sqlite_where=published, **options)


# A crawl finding a posting unchanged writes only that it was seen: the listing's last_seen_at
# and run (and closed_at, cleared), and the job's last_seen_at once it is a day old
# (`lifecycle.sighting_resolution`). No index holds those columns,
# so PostgreSQL rewrites such a row in place, with no new index entries (a HOT update), as
# long as its page has room: half of each page is kept free, since one crawl rewrites every
# row of a page in one transaction (migration 0022).
ROOM_FOR_SIGHTINGS = {"postgresql_with": {"fillfactor": 50}}


class Job(Base):
    __tablename__ = "jobs"
    __table_args__ = (
        # One open job per fingerprint: concurrent ingests of one opening converge on one row.
        sa.Index(
            "uq_jobs_open_fingerprint",
            "fingerprint",
            unique=True,
            postgresql_where=sa.text(OPEN_JOB_CLAUSE),
            sqlite_where=sa.text(OPEN_JOB_CLAUSE),
        ),
        # Keyset pagination of the board: newest published first.
        _published_index("ix_jobs_published_posted", "posted_at", "id"),
        _published_index("ix_jobs_published_salary", "salary_annual_max", "id"),
        # sort=salary walks this (migration 0004) instead of sorting every published job.
        _published_index(
            "ix_jobs_published_salary_sort", sa.text("coalesce(salary_annual_max, -1)"), "id"
        ),
        # Facet counts as index-only scans on PostgreSQL (migration 0004).
        _published_index(
            "ix_jobs_published_facets",
            *FACET_COLUMN_NAMES,
            postgresql_include=["tags", "posted_at", "salary_annual_max", "company_id"],
        ),
        # The column facets alone (migration 0008): deduplicated, a fraction of the above.
        _published_index("ix_jobs_published_facet_columns", *FACET_COLUMN_NAMES),
        # A search narrowed by a column reads only its matches with that value posted within its
        # candidates' span, not every match holding it (migration 0023).
        *(
            _published_index(f"ix_jobs_published_{column}_posted", column, "posted_at", "id")
            for column in FACET_COLUMN_NAMES
        ),
        # The newsletter section's `since` (migration 0021): the week's new jobs, then filters.
        _published_index("ix_jobs_published_published_at", "published_at"),
        sa.Index("ix_jobs_featured_until", "featured_until"),
        sa.Index("ix_jobs_company_id", "company_id"),
        sa.Index("ix_jobs_updated_at", "updated_at", "id"),
        ROOM_FOR_SIGHTINGS,
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    slug: so.Mapped[str] = so.mapped_column(sa.String(160), unique=True)
    code: so.Mapped[str] = so.mapped_column(sa.String(16), unique=True)  # short id of /j/<code>
    company_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("companies.id"))
    title: so.Mapped[str] = so.mapped_column(sa.String(300))
    description_html: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    description_text: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    apply_url: so.Mapped[str] = so.mapped_column(sa.String(2000))
    location: so.Mapped[str | None] = so.mapped_column(sa.String(300))
    country: so.Mapped[str | None] = so.mapped_column(sa.String(2))
    remote: so.Mapped[str | None] = so.mapped_column(sa.String(10))
    remote_note: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    employment_type: so.Mapped[str | None] = so.mapped_column(sa.String(20))
    seniority: so.Mapped[str | None] = so.mapped_column(sa.String(20))
    salary_min: so.Mapped[Decimal | None] = so.mapped_column(sa.Numeric(SALARY_DIGITS, 2))
    salary_max: so.Mapped[Decimal | None] = so.mapped_column(sa.Numeric(SALARY_DIGITS, 2))
    salary_currency: so.Mapped[str | None] = so.mapped_column(sa.String(3))
    salary_period: so.Mapped[str | None] = so.mapped_column(sa.String(10))
    # Annualized bounds in US dollars (normalize/exchange.py), for the salary filter and sort:
    # one scale for jobs paid in different currencies. Null when the currency has no rate.
    salary_annual_min: so.Mapped[int | None] = so.mapped_column(sa.BigInteger)
    salary_annual_max: so.Mapped[int | None] = so.mapped_column(sa.BigInteger)
    tags: so.Mapped[list[str]] = so.mapped_column(JSONType, default=list)
    status: so.Mapped[str] = so.mapped_column(sa.String(12), default=JobStatus.PUBLISHED)
    origin: so.Mapped[str] = so.mapped_column(sa.String(10), default=Origin.SCRAPED)
    featured_until: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    posted_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    first_seen_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    valid_through: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    closed_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    # Closed or expired while waiting for review: its text was never public, nor is its page.
    ended_in_review: so.Mapped[bool] = so.mapped_column(server_default=sa.false())
    # Closed because a crawl found it is the same opening as this job (an id of jobs, which
    # are never deleted; migration 0015): its links lead there.
    merged_into_id: so.Mapped[int | None]
    updated_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    # When it first went on the board (`lifecycle.first_published_at`), null while it never
    # has: unlike updated_at, no edit, re-read or reopening moves it (migration 0021).
    published_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    fingerprint: so.Mapped[str] = so.mapped_column(sa.String(40))
    content_hash: so.Mapped[str] = so.mapped_column(sa.String(40))

    company: so.Mapped[Company] = so.relationship(lazy="joined", innerjoin=True)

    def is_featured(self, now: datetime) -> bool:
        """Featured placement ends by itself when featured_until passes."""
        return self.featured_until is not None and self.featured_until > now


class Source(Base):
    __tablename__ = "sources"
    __table_args__ = (sa.UniqueConstraint("kind", "url"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    kind: so.Mapped[str] = so.mapped_column(sa.String(20))
    url: so.Mapped[str] = so.mapped_column(sa.String(2000))
    company: so.Mapped[str] = so.mapped_column(sa.String(200))
    enabled: so.Mapped[bool] = so.mapped_column(default=True)
    interval_minutes: so.Mapped[int] = so.mapped_column(default=360)
    last_success_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)


class Sponsor(Base):
    __tablename__ = "sponsors"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    email: so.Mapped[str] = so.mapped_column(sa.String(320))
    api_token_hash: so.Mapped[str | None] = so.mapped_column(sa.String(64), unique=True)
    active: so.Mapped[bool] = so.mapped_column(default=True)
    trusted: so.Mapped[bool] = so.mapped_column(default=False)  # trusted sponsors auto-publish
    featured_quota: so.Mapped[int] = so.mapped_column(default=0)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)


class CrawlRun(Base):
    __tablename__ = "crawl_runs"
    __table_args__ = (
        sa.Index("ix_crawl_runs_source_started", "source_id", "started_at"),
        # The crawl lease: at most one running run per source (see models.crawl_runs).
        sa.Index(
            "uq_crawl_runs_source_running",
            "source_id",
            unique=True,
            postgresql_where=sa.text("status = 'running'"),
            sqlite_where=sa.text("status = 'running'"),
        ),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    source_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("sources.id", ondelete="CASCADE"))
    started_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    heartbeat_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    finished_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    status: so.Mapped[str] = so.mapped_column(sa.String(10), default=RunStatus.RUNNING)
    finish_reason: so.Mapped[str | None] = so.mapped_column(sa.String(100))
    scraped: so.Mapped[int] = so.mapped_column(default=0)
    created: so.Mapped[int] = so.mapped_column(default=0)
    updated: so.Mapped[int] = so.mapped_column(default=0)
    unchanged: so.Mapped[int] = so.mapped_column(default=0)
    closed: so.Mapped[int] = so.mapped_column(default=0)
    rejected: so.Mapped[int] = so.mapped_column(default=0)
    errors: so.Mapped[list[Any]] = so.mapped_column(JSONType, default=list)
    # Names the run to its crawler: SQLite gives a new run the id of one removed with its source.
    token: so.Mapped[str | None] = so.mapped_column(
        sa.String(32), default=lambda: secrets.token_hex(16)
    )

    source: so.Mapped[Source] = so.relationship(lazy="joined")


class Listing(Base):
    """One sighting of a job in one source (or one sponsor posting); a job may have several."""

    __tablename__ = "listings"
    __table_args__ = (
        sa.UniqueConstraint("source_id", "external_id"),
        sa.UniqueConstraint("sponsor_id", "external_id"),
        sa.Index("ix_listings_job_id", "job_id"),
        ROOM_FOR_SIGHTINGS,
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    job_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("jobs.id", ondelete="CASCADE"))
    source_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("sources.id", ondelete="CASCADE")
    )
    sponsor_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("sponsors.id", ondelete="CASCADE")
    )
    external_id: so.Mapped[str] = so.mapped_column(sa.String(300))
    url: so.Mapped[str | None] = so.mapped_column(sa.String(2000))
    payload: so.Mapped[dict[str, Any]] = so.mapped_column(JSONType, default=dict)
    payload_hash: so.Mapped[str] = so.mapped_column(sa.String(40))
    first_seen_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    last_run_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("crawl_runs.id", ondelete="SET NULL")
    )
    closed_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    # sha256 of the secret /manage/<token> link of a form posting; the token itself is never kept.
    manage_token_hash: so.Mapped[str | None] = so.mapped_column(sa.String(64), unique=True)


class Click(Base):
    """Apply clicks per job per day and channel (board, newsletter, feed)."""

    __tablename__ = "clicks"
    __table_args__ = (sa.UniqueConstraint("job_id", "day", "via"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    job_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("jobs.id", ondelete="CASCADE"))
    day: so.Mapped[date] = so.mapped_column(sa.Date)
    via: so.Mapped[str] = so.mapped_column(sa.String(20), default="board")
    count: so.Mapped[int] = so.mapped_column(default=0)


class AdminUser(Base):
    __tablename__ = "admin_users"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    username: so.Mapped[str] = so.mapped_column(sa.String(80), unique=True)
    password_hash: so.Mapped[str] = so.mapped_column(sa.String(300))
    # Sessions carry the generation they began in; logging out starts the next one, so every
    # copy of an earlier session cookie stops working (see models.admin_users.end_sessions).
    session_generation: so.Mapped[int] = so.mapped_column(server_default=sa.text("0"))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
