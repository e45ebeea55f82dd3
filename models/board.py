"""What the seeker's board shows: a page of results with its facets, and jobs by slug or code."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import sqlalchemy as sa
import sqlalchemy.orm as so

from models import id_lists, pagination, queries, search_suggest
from models.db import dialect_of
from models.facet_index import FacetIndex
from models.tables import Job, JobStatus, Listing, Sponsor
from models.types import utcnow

GONE = JobStatus.ENDED  # their pages answer 410, unless they ended in review


@dataclass(frozen=True)
class Results:
    filters: queries.JobFilters
    page: pagination.Page
    total: int
    facets: dict[str, list[tuple[str, int]]]

    @property
    def counted_only_some(self) -> bool:
        """A search matched more jobs than it counts: its total and facets cover the newest."""
        return bool(self.filters.search_text) and self.total > queries.SEARCH_CANDIDATES

    @property
    def ranked_only_some(self) -> bool:
        """Relevance ranks the newest SEARCH_CANDIDATES matches; say so when there are more."""
        return self.filters.effective_sort == "relevance" and self.counted_only_some


def search(
    session: so.Session,
    filters: queries.JobFilters,
    *,
    limit: int,
    cursor: str | None = None,
    now: datetime | None = None,
    index: FacetIndex | None = None,
) -> Results:
    """One board page, how many jobs match in all, and every facet: a fixed number of queries."""
    now = now or utcnow()
    counted = counts(session, filters, now=now, index=index)
    page = page_of(session, filters, counted, limit=limit, cursor=cursor, now=now, index=index)
    return Results(filters, page, counted.total, counted.facets)


def respelling(
    session: so.Session,
    filters: queries.JobFilters,
    *,
    now: datetime | None = None,
    index: FacetIndex | None = None,
) -> str | None:
    """Search words spelt otherwise that find jobs with the same filters, for a search that
    found none ("machien lerning"); None when no respelling finds any. A word that jobs use
    is spelt right ("search", near "research"), so it stays: a query for each word that
    would change, then one count query."""
    text = filters.search_text or ""
    catalog = index.words if index else frozenset()
    catalog |= _words_in_use(session, search_suggest.doubtful(text, catalog))
    suggestion = search_suggest.respelled(text, catalog)
    if suggestion is None:
        return None
    respelt = dataclasses.replace(filters, q=suggestion)
    return suggestion if counts(session, respelt, now=now or utcnow(), index=index).total else None


def _words_in_use(session: so.Session, words: list[str]) -> frozenset[str]:
    dialect = dialect_of(session)
    return frozenset(
        word for word in words if session.scalar(queries.word_in_use(word, dialect=dialect))
    )


@dataclass(frozen=True)
class Counted:
    total: int
    facets: queries.Facets
    # A search's newest SEARCH_CANDIDATES matches, when the facet index found them: relevance
    # ranks these rather than finding them again.
    candidates: list[int] | None = None


def counts(
    session: so.Session,
    filters: queries.JobFilters,
    *,
    now: datetime,
    index: FacetIndex | None = None,
) -> Counted:
    """How many jobs match, and every facet.

    With an `index` of the current catalog version they come from it (no query, or one or
    two for a search); without, from SQL (three queries).
    """
    if index is None:
        total = pagination.count(session, filters, now=now)
        return Counted(total, queries.facet_counts(session, filters, now=now))
    if not filters.search_text:
        return Counted(index.count(filters, now), index.facets(filters, now))
    return _counted_search(session, filters, index, now)


def page_of(
    session: so.Session,
    filters: queries.JobFilters,
    counted: Counted,
    *,
    limit: int,
    cursor: str | None = None,
    now: datetime,
    index: FacetIndex | None = None,
) -> pagination.Page:
    """The page itself. A search whose counting found its newest matches takes its page from
    them: relevance ranks them, and a newest-first page lists them after the featured jobs,
    unless it reaches past them."""
    sort, candidates = filters.effective_sort, counted.candidates
    unfeatured = None
    if sort == "newest" and candidates is not None and index is not None:
        unfeatured = _unfeatured_page(index, counted, candidates, limit, cursor, now)
    return pagination.fetch_page(
        session,
        filters,
        limit=limit,
        cursor=cursor,
        now=now,
        candidates=candidates if sort == "relevance" else None,
        unfeatured=unfeatured,
    )


SPARE_ROWS = 10  # candidates a page reads beyond its own, in case some left the board


def _unfeatured_page(
    index: FacetIndex,
    counted: Counted,
    candidates: list[int],
    limit: int,
    cursor: str | None,
    now: datetime,
) -> list[int] | None:
    """The ids of a newest-first search page's jobs that are not featured, and of the first
    on the next page: the next of its candidates, as walking posted_at in SQL would find
    them (100k jobs, a word in 15% of them: ~17 ms). None if the page may need matches older
    than the candidates. A few more than the page are given, so that a job that leaves the
    board while the page is read (a crawl closing it) leaves no gap: the next takes its place."""
    after = pagination.unfeatured_resume(cursor)
    ids = index.unfeatured_after(candidates, now, after)[: limit + 1 + SPARE_ROWS].tolist()
    every_match = counted.total <= queries.SEARCH_CANDIDATES
    return ids if len(ids) > limit or every_match else None


def _counted_search(
    session: so.Session, filters: queries.JobFilters, index: FacetIndex, now: datetime
) -> Counted:
    """A search's total and facets: the index counts among the candidates the words match.

    As in SQL (`queries.counted_jobs`, `pagination.count`), the column facets count the
    newest SEARCH_CANDIDATES matches of the other filters, and the total and the tag facet
    the newest matches of all of them.
    """
    most, searches = queries.SEARCH_CANDIDATES, [queries.without_columns(filters), filters]

    def find(asked: list[queries.JobFilters]) -> list[list[int]]:
        return _newest_matches(session, asked, index, now)

    if _timeless(filters):  # the same candidates, whatever the order of the page
        remembered = [dataclasses.replace(search, sort="newest") for search in searches]
        others, matches = index.remembered(remembered, find)
    else:
        others, matches = find(searches)
    total = index.count(filters, now, among=matches)
    facets = index.facets(filters, now, among=matches[:most], columns_among=others[:most])
    return Counted(total, facets, matches[:most])


def _timeless(filters: queries.JobFilters) -> bool:
    """Whether the jobs matching `filters` can change only with the catalog, not with the
    clock (posted within days of now, featured now)."""
    return filters.posted_within is None and filters.featured is None and filters.since is None


# A search short of candidates fetches every match posted since they seem to begin only if
# at most this share of its checked ids matched. The full-text index's part of that costs
# as many entries as the words have matches across the whole catalog; past a third of the
# jobs, walking posted_at costs less (100k jobs: "python", 15% of them, 5.6 -> 3.0 ms; "llm",
# 41%, a walk of ~4 ms against 5 ms for its index entries alone).
REACH_SHARE = 1 / 3


def _newest_matches(
    session: so.Session, searches: list[queries.JobFilters], index: FacetIndex, now: datetime
) -> list[list[int]]:
    """The newest SEARCH_CANDIDATES + 1 matches of each search (all of one query's words).

    The index lists the jobs that pass each search's other filters, newest first, and one
    query asks which of the first of them (as many as are wanted) the words match: a common
    word is settled there, without SQL walking past every job the other filters reject. A
    search a few short asks about a quarter more of its ids. One further short, if no more
    than REACH_SHARE of them matched, judges from that share how far back its candidates go,
    and asks SQL for every match posted since then (`reach`: one query for all such
    searches, which reads the words' index entries once). Any other, or one the guess
    fell short of, asks SQL for its newest matches, where a rare word is quick to find
    through the full-text index and a common one by walking down posted_at. Jobs that
    earlier searches for the same words settled (`FacetIndex.ledger`) are not asked again.
    """
    dialect, wanted = dialect_of(session), queries.SEARCH_CANDIDATES + 1
    words = searches[0].search_text or ""
    ordered = {filters: index.newest(filters, now) for filters in searches}
    ledger = index.ledger(words)
    # How many of each search's first jobs are settled, as earlier searches left them.
    checked = {filters: ledger.settled(ordered[filters]) for filters in searches}

    def check(ends: dict[queries.JobFilters, int]) -> None:
        """Ask which jobs the words match, up to `ends` of each search's list: one query."""
        ends = {f: end for f, end in ends.items() if end > checked[f]}
        new = ledger.unasked(ordered[f][checked[f] : end] for f, end in ends.items())
        if new:
            stmt = queries.matched_among(words, new, dialect=dialect)
            ledger.add_matches(id_lists.id_set(session, stmt))
        checked.update(ends)

    def first(filters: queries.JobFilters) -> np.ndarray:
        return ledger.first(ordered[filters][: checked[filters]], wanted)

    def short(filters: queries.JobFilters) -> int:
        """How many matches the search still lacks among the jobs it may ask about; 0 when
        it has its candidates or has checked every job it has."""
        if checked[filters] >= len(ordered[filters]):
            return 0
        return wanted - len(first(filters))

    def reach_since(filters: queries.JobFilters) -> datetime | None:
        """When the search's candidates seem to start, judged from the share of its checked
        jobs that matched, with a quarter to spare; None if none or more than REACH_SHARE
        of them did."""
        have, newest = len(first(filters)), ordered[filters]
        if not have or have > checked[filters] * REACH_SHARE:
            return None
        guess = checked[filters] + math.ceil((wanted - have) * checked[filters] / have * 1.25)
        return index.posted(newest[min(guess, len(newest)) - 1])

    def reach(lacking: list[queries.JobFilters]) -> None:
        """Ask SQL, in one query, which jobs posted since each search's candidates seem to
        start match it (`reach_since`): each search's jobs posted since then are settled."""
        spans = {f: since for f in lacking if (since := reach_since(f)) is not None}
        if not spans:
            return
        stmt = queries.matches_posted_since(spans, dialect=dialect, now=now)
        ledger.add_matches(id_lists.id_set(session, stmt))
        for filters, since in spans.items():
            checked[filters] = index.posted_since(ordered[filters], since)
            ledger.add_settled(ordered[filters][: checked[filters]])

    check({filters: wanted + wanted // 20 for filters in searches})
    slice_end = wanted + wanted // 4
    check({f: slice_end for f in searches if 0 < short(f) <= slice_end - checked[f]})
    reach([f for f in ordered if short(f) > 0])
    found = {}
    for filters in ordered:
        if short(filters) > 0:
            stmt = queries.newest_matches(filters, dialect=dialect, now=now).limit(wanted)
            found[filters] = list(session.scalars(stmt))
        else:
            found[filters] = index.ids_at(first(filters))
    index.keep(words, ledger)
    return [found[filters] for filters in searches]


def seekable_job(session: so.Session, *, slug: str | None = None, code: str | None = None):
    """A job by slug or apply code, unless it never was public as it stands (pending,
    rejected, or ended while waiting for review)."""
    stmt = queries.job_by_slug(slug) if slug is not None else queries.job_by_code(code or "")
    ended_public = Job.status.in_(GONE) & ~Job.ended_in_review
    return session.scalar(stmt.where((Job.status == JobStatus.PUBLISHED) | ended_public))


def is_gone(job: Job) -> bool:
    return job.status in GONE


MAX_MERGE_HOPS = 5  # a job merged into one that was merged again, and so on: a few at most


def successor(session: so.Session, job: Job) -> Job | None:
    """The published job that lists a gone job's opening now, if any: old links to the gone
    job (in a newsletter, a feed, a bookmark) lead there, not to its 410 page.

    That is the job it was merged into, else one holding the same opening since: a sponsor's
    posting ended while the company's own board still lists the opening, and a crawl listed
    it anew (`models.ingest_batch`).
    """
    return _merged_successor(session, job) or _relisted(session, job)


def _relisted(session: so.Session, job: Job) -> Job | None:
    """The published job holding the gone one's opening, unless an untrusted sponsor lists
    it: such a sponsor may not take over an opening (`sponsor_postings`), nor, by posting
    one gone from the board, the newsletter's links to it."""
    untrusted = sa.exists().where(
        Listing.job_id == Job.id, Listing.sponsor_id == Sponsor.id, ~Sponsor.trusted
    )
    stmt = (
        sa.select(Job)
        .where(Job.fingerprint == job.fingerprint, Job.status == JobStatus.PUBLISHED)
        # Implied by the status, but SQLite uses the open-fingerprint index only when told.
        .where(Job.status.in_(JobStatus.OPEN))
        .where(Job.id != job.id, ~untrusted)
        .order_by(Job.id.desc())
        .limit(1)
    )
    return session.scalar(stmt)


def _merged_successor(session: so.Session, job: Job) -> Job | None:
    """The published job a closed one was merged into, through later merges too."""
    for _ in range(MAX_MERGE_HOPS):
        if job.merged_into_id is None:
            return None
        job = session.get(Job, job.merged_into_id)
        if job is None:
            return None
        if job.status == JobStatus.PUBLISHED:
            return job
    return None


def similar_jobs(session: so.Session, job: Job, *, now: datetime | None = None) -> list[Job]:
    """A few open jobs like a closed one, so its 410 page still helps the seeker."""
    dialect = dialect_of(session)
    return list(session.scalars(queries.similar_jobs(job, dialect=dialect, now=now or utcnow())))


def sitemap_parts(session: so.Session, size: int) -> list[tuple[int, datetime]]:
    """(part number, last change) of each id range of `size` that holds open jobs."""
    part = Job.id // size
    stmt = (
        sa.select(part, sa.func.max(Job.updated_at))
        .where(Job.status == JobStatus.PUBLISHED)
        .group_by(part)
        .order_by(part)
    )
    return [(int(number), changed) for number, changed in session.execute(stmt)]


def sitemap_entries(session: so.Session, part: int, size: int) -> list[tuple[str, datetime]]:
    """(slug, last change) of the open jobs in one id range, for one sitemap file."""
    stmt = (
        sa.select(Job.slug, Job.updated_at)
        .where(Job.status == JobStatus.PUBLISHED, Job.id >= part * size, Job.id < (part + 1) * size)
        .order_by(Job.id)
    )
    return [(slug, changed) for slug, changed in session.execute(stmt)]
