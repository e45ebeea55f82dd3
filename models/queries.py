"""Named queries shared by the board, the JSON API, the feeds and the newsletter.

Each function returns or refines a `Select`, so callers compose scopes
(`published_jobs()` -> `with_filters(...)` -> `ordered(...)`) instead of restating
conditions, and the board and the API can never disagree about what matches.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so

from models import id_lists, search, search_terms
from models.db import dialect_of
from models.normalize.exchange import in_usd
from models.tables import Company, Job, JobStatus
from models.types import utcnow

SORTS = ("newest", "salary", "relevance")
# A search ranks, counts and facets this many of its newest matches: bounded work for a
# common word (in most of 100k descriptions: ~0.5 s per count or facet otherwise).
SEARCH_CANDIDATES = 1000
TOP_TAGS = 15
TOP_COUNTRIES = 10


class SinceMeans:
    """Which jobs `JobFilters.since` lets through."""

    # Published or updated after it: a sync client's feed of changes (the API).
    CHANGED = "changed"
    # First published after it, and every job featured now: an issue of the newsletter, which
    # announces a job once however often it changes, and a placement in each issue it runs.
    NEW_OR_FEATURED = "new_or_featured"


@dataclass(frozen=True)
class JobFilters:
    """What a seeker (or the newsletter build) asked for; every field optional."""

    q: str | None = None
    location: str | None = None
    country: str | None = None
    remote: str | None = None
    employment_type: str | None = None
    seniority: str | None = None
    tags: tuple[str, ...] = ()
    company: str | None = None  # company slug
    salary_min: int | None = None  # yearly, in salary_currency
    salary_currency: str = "USD"  # one of normalize.CURRENCIES
    posted_within: int | None = None  # days
    since: datetime | None = None  # which jobs pass it, `since_means` says
    since_means: str = SinceMeans.CHANGED
    featured: bool | None = None
    sort: str = "newest"

    @property
    def search_text(self) -> str | None:
        """The words to search for, or None when q is blank or has no word but stop words."""
        text = (self.q or "").strip()
        return text if search_terms.has_terms(text) else None

    @property
    def salary_floor_usd(self) -> int | None:
        """salary_min on the scale jobs are compared on (`Job.salary_annual_max`)."""
        return in_usd(self.salary_min, self.salary_currency)

    @property
    def effective_sort(self) -> str:
        """Relevance needs words to rank by; without them the board falls back to newest."""
        return "newest" if self.sort == "relevance" and not self.search_text else self.sort


@dataclass(frozen=True)
class Ordering:
    """A statement of jobs (or of their scores) and its keyset: descending keys, the last one
    the job's id."""

    stmt: sa.Select
    keys: tuple[sa.ColumnElement, ...]
    sort: str


def published_jobs() -> sa.Select[tuple[Job]]:
    """Jobs seekers may see."""
    return sa.select(Job).where(Job.status == JobStatus.PUBLISHED)


def featured_rank(now: datetime) -> sa.ColumnElement[int]:
    """1 while a job's featured placement runs, else 0; featured jobs sort first."""
    return sa.case((Job.featured_until > now, 1), else_=0)


def with_filters(
    stmt: sa.Select, filters: JobFilters, *, dialect: str, now: datetime | None = None
) -> sa.Select:
    """Narrow `stmt` (a select of Job) by every filter that is set."""
    now = now or utcnow()
    if filters.search_text:
        stmt = stmt.where(search.matches(dialect, filters.search_text))
    if filters.location:
        stmt = stmt.where(Job.location.ilike(f"%{_escape_like(filters.location)}%", escape="\\"))
    for name, value in chosen_columns(filters).items():
        stmt = stmt.where(FACET_COLUMNS[name] == value)
    for tag in filters.tags:
        stmt = stmt.where(has_tag(dialect, tag))
    if filters.company:
        stmt = stmt.where(
            Job.company_id.in_(sa.select(Company.id).where(Company.slug == filters.company))
        )
    if filters.salary_min is not None:
        stmt = stmt.where(Job.salary_annual_max >= filters.salary_floor_usd)
    if filters.posted_within is not None:
        stmt = stmt.where(Job.posted_at >= now - timedelta(days=filters.posted_within))
    if filters.since is not None:
        stmt = stmt.where(_passes_since(filters.since, filters.since_means, now))
    if filters.featured is not None:
        featured = Job.featured_until > now
        stmt = stmt.where(
            featured if filters.featured else sa.or_(Job.featured_until.is_(None), ~featured)
        )
    return stmt


def _passes_since(since: datetime, means: str, now: datetime) -> sa.ColumnElement[bool]:
    """The job passes `since` as `means` (a `SinceMeans`) says: the section reads
    published_at, which no edit moves, the API updated_at, which every change does."""
    if means == SinceMeans.NEW_OR_FEATURED:
        return sa.or_(Job.published_at > since, Job.featured_until > now)
    return Job.updated_at > since


def has_tag(dialect: str, tag: str) -> sa.ColumnElement[bool]:
    """The job carries `tag`: JSONB containment (GIN-indexed) on PostgreSQL, json_each on SQLite."""
    if dialect == "postgresql":
        return Job.tags.op("@>")(sa.func.jsonb_build_array(tag))
    each = sa.select(sa.literal(1)).select_from(sa.func.json_each(Job.tags).table_valued("value"))
    return sa.exists(each.where(sa.literal_column("value") == tag))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def sort_keys(sort: str, now: datetime) -> tuple[sa.ColumnElement, ...]:
    """The keyset columns of a column sort, all descending, ending in the unique id."""
    if sort == "salary":
        # A literal -1 (not a bound parameter) so PostgreSQL matches the expression index.
        unknown = sa.literal_column("-1", sa.BigInteger)
        return (sa.func.coalesce(Job.salary_annual_max, unknown), Job.id)
    return (featured_rank(now), Job.posted_at, Job.id)


def ordered(stmt: sa.Select, sort: str, now: datetime) -> sa.Select:
    """Featured first then newest (or by salary): the order of the board, API and newsletter."""
    return stmt.order_by(*(key.desc() for key in sort_keys(sort, now)))


def board_order(
    filters: JobFilters,
    *,
    dialect: str,
    now: datetime,
    candidates: Sequence[int] | None = None,
) -> Ordering:
    """The published jobs matching `filters`, with the keyset of their sort.

    Relevance ranks the newest SEARCH_CANDIDATES matches: `candidates` if the caller
    found them already, else found here.
    """
    stmt = with_filters(published_jobs(), filters, dialect=dialect, now=now)
    sort = filters.effective_sort
    if sort != "relevance":
        return Ordering(stmt, sort_keys(sort, now), sort)
    newest = newest_matches(filters, dialect=dialect, now=now) if candidates is None else candidates
    scored = search.scored(dialect, filters.search_text or "", newest)
    return Ordering(sa.select(scored), (scored.c.score, scored.c.id), sort)


def newest_matches(filters: JobFilters, *, dialect: str, now: datetime) -> sa.Select:
    """Ids of the newest SEARCH_CANDIDATES published jobs matching `filters`."""
    return (
        with_filters(published_jobs(), filters, dialect=dialect, now=now)
        .with_only_columns(Job.id)
        .order_by(Job.posted_at.desc(), Job.id.desc())
        .limit(SEARCH_CANDIDATES)
    )


def matches_posted_since(
    spans: Mapping[JobFilters, datetime], *, dialect: str, now: datetime
) -> sa.Select:
    """Ids of the published jobs matching any of these searches (the same words, other filters
    of their own) posted at or after its moment, in no particular order.

    Asked for no order, PostgreSQL can AND the full-text index with the posted_at one, or
    with a column's own index by date (migration 0023), and read only the rows both hold;
    `newest_matches` walks down posted_at and reads every job it passes, ~7 for each match
    of a word in 15% of the jobs. The searches' spans are ORed under the words, so the
    words' index entries are read once for all of them.
    """
    words = next(iter(spans)).search_text or ""
    each = [
        with_filters(sa.select(Job.id), replace(filters, q=None), dialect=dialect, now=now)
        .where(Job.posted_at >= since)
        .whereclause
        for filters, since in spans.items()
    ]
    stmt = published_jobs().with_only_columns(Job.id).where(search.matches(dialect, words))
    return stmt.where(sa.or_(*each))


def matched_among(q: str, ids: Sequence[int], *, dialect: str) -> sa.Select:
    """Which of these published jobs the words of q match, in no particular order."""
    stmt = published_jobs().with_only_columns(Job.id).where(search.matches(dialect, q))
    return stmt.where(id_lists.one_of(Job.id, ids, dialect=dialect))


def word_in_use(word: str, *, dialect: str) -> sa.Select[tuple[bool]]:
    """Whether some published job has this word (as a search for it alone finds it)."""
    jobs = published_jobs().with_only_columns(Job.id).where(search.matches(dialect, word))
    return sa.select(jobs.exists())


def counted_jobs(filters: JobFilters, *, dialect: str, now: datetime) -> sa.Select:
    """The published jobs that facets count: every match, or a search's newest candidates."""
    if not filters.search_text:
        return with_filters(published_jobs(), filters, dialect=dialect, now=now)
    return published_jobs().where(Job.id.in_(newest_matches(filters, dialect=dialect, now=now)))


def after(stmt: sa.Select, keys: tuple[sa.ColumnElement, ...], values: tuple) -> sa.Select:
    """Rows strictly after the cursor in the keys' (descending) order: keyset, never OFFSET."""
    bound = (sa.literal(value, key.type) for value, key in zip(values, keys, strict=True))
    return stmt.where(sa.tuple_(*keys) < sa.tuple_(*bound))


# The facets that are columns of jobs, by the board's name for them.
FACET_COLUMNS: dict[str, sa.orm.InstrumentedAttribute] = {
    "remote": Job.remote,
    "type": Job.employment_type,
    "seniority": Job.seniority,
    "country": Job.country,
}
FACET_LIMITS = {"country": TOP_COUNTRIES}
Facets = dict[str, list[tuple[str, int]]]


def chosen_columns(filters: JobFilters) -> dict[str, str]:
    """The facet columns the seeker filtered on, with the value each must equal."""
    chosen = {
        "remote": filters.remote,
        "type": filters.employment_type,
        "seniority": filters.seniority,
        "country": filters.country.upper() if filters.country else None,
    }
    return {name: value for name, value in chosen.items() if value}


def without_columns(filters: JobFilters) -> JobFilters:
    """`filters` but the facet columns: the jobs every column facet counts within."""
    return replace(filters, remote=None, employment_type=None, seniority=None, country=None)


def column_facets(filters: JobFilters, *, dialect: str, now: datetime) -> sa.Select:
    """(remote, type, seniority, country, count) per combination, for `tally_columns`.

    Each facet counts the jobs matching every filter but its own ("what choosing it
    would give"). One scan grouped by all four columns holds every facet at once: the
    jobs matching the other filters, filtered on the four columns in Python. A job
    that misses two chosen values counts in no facet, so the scan skips it.
    """
    stmt = counted_jobs(without_columns(filters), dialect=dialect, now=now)
    chosen = chosen_columns(filters)
    if len(chosen) > 1:
        stmt = stmt.where(
            sa.or_(
                *(
                    sa.and_(*(FACET_COLUMNS[o] == chosen[o] for o in chosen if o != name))
                    for name in chosen
                )
            )
        )
    columns = [column.label(name) for name, column in FACET_COLUMNS.items()]
    return stmt.with_only_columns(*columns, sa.func.count().label("count")).group_by(
        *FACET_COLUMNS.values()
    )


def tally_columns(rows: Iterable[sa.Row], filters: JobFilters) -> Facets:
    """Each column facet's (value, count), commonest first, from `column_facets` rows."""
    chosen = chosen_columns(filters)
    totals: dict[str, Counter[str]] = {name: Counter() for name in FACET_COLUMNS}
    for row in rows:
        values = row._mapping
        for name, tally in totals.items():
            value = values[name]
            if value is not None and all(
                values[other] == wanted for other, wanted in chosen.items() if other != name
            ):
                tally[value] += values["count"]
    return {
        name: sorted(tally.items(), key=lambda item: (-item[1], item[0]))[: FACET_LIMITS.get(name)]
        for name, tally in totals.items()
    }


def tag_facet(filters: JobFilters, *, dialect: str, now: datetime) -> sa.Select:
    """The commonest tags among the matching jobs: tags narrow (AND), so all filters apply.

    Jobs are first counted per distinct tag list (far fewer than jobs), and only those
    lists are unnested: a third cheaper than unnesting every job's tags.
    """
    stmt = counted_jobs(filters, dialect=dialect, now=now)
    lists = (
        stmt.with_only_columns(Job.tags.label("tags"), sa.func.count().label("jobs"))
        .group_by(Job.tags)
        .subquery("tag_lists")
    )
    tag = tag_elements(dialect, lists.c.tags)
    count = sa.cast(sa.func.sum(lists.c.jobs), sa.Integer).label("count")
    return (
        sa.select(tag.c.value.label("value"), count)
        .select_from(lists)
        .join(tag, sa.true())
        .group_by(tag.c.value)
        .order_by(count.desc(), tag.c.value)
        .limit(TOP_TAGS)
    )


def tag_elements(dialect: str, tags: sa.ColumnElement) -> sa.TableValuedAlias:
    """The tags of a JSON list column as a table with one `value` per tag, to join beside it."""
    elements = "jsonb_array_elements_text" if dialect == "postgresql" else "json_each"
    return getattr(sa.func, elements)(tags).table_valued("value").alias("tag")


def facet_counts(
    session: so.Session, filters: JobFilters, *, now: datetime | None = None
) -> Facets:
    """Every facet of the board for one query: two queries, whatever the page size."""
    dialect = dialect_of(session)
    now = now or utcnow()
    columns = session.execute(column_facets(filters, dialect=dialect, now=now))
    facets = tally_columns(columns, filters)
    tags = session.execute(tag_facet(filters, dialect=dialect, now=now))
    return {**facets, "tag": [(value, count) for value, count in tags]}


def similar_jobs(job: Job, *, dialect: str, now: datetime, limit: int = 5) -> sa.Select:
    """Open jobs like `job` (sharing a tag, or at the same company), for its "closed" page."""
    alike = [has_tag(dialect, tag) for tag in job.tags[:5]] + [Job.company_id == job.company_id]
    stmt = published_jobs().where(Job.id != job.id, sa.or_(*alike))
    return ordered(stmt, "newest", now).limit(limit)


def job_by_slug(slug: str) -> sa.Select[tuple[Job]]:
    return sa.select(Job).where(Job.slug == slug)


def job_by_code(code: str) -> sa.Select[tuple[Job]]:
    return sa.select(Job).where(Job.code == code)
