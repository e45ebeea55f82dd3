"""The published catalog's filterable columns in memory, for totals and facets in a few ms.

A facet counts what choosing each of its values would give, so SQL must aggregate every
matching job: at 100k jobs that is 20-100 ms per facet, whatever the indexes. Held as
arrays (one entry per published job, a code per distinct value), a filter is a vector
comparison and a facet a `bincount`: a couple of milliseconds for the whole catalog.

An index is a snapshot of one catalog version (`freshness.catalog_version`); callers use
it only while the catalog still has that version, so its answers equal the SQL ones.
Which jobs search words match is the full-text index's to say: for a search, the index lists
the jobs passing its other filters newest first (`newest`), SQL says which of the first of
them the words match, and the index counts among those candidates (`models.board`).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import sqlalchemy as sa
import sqlalchemy.orm as so

from models import freshness, search_suggest
from models.db import dialect_of
from models.queries import (
    FACET_COLUMNS,
    FACET_LIMITS,
    TOP_TAGS,
    Facets,
    JobFilters,
    SinceMeans,
    chosen_columns,
    tag_elements,
    without_columns,
)
from models.tables import Company, Job, JobStatus

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
Ids = Sequence[int]
_NEVER = np.iinfo(np.int64).min  # a NULL timestamp or salary: no comparison holds
_BATCH = 20_000  # rows fetched at a time while loading: a few MB at a time, not 60 at once
REMEMBERED_SEARCHES = 128  # searches whose candidates an index keeps: up to 36 KiB each
REMEMBERED_WORDS = 16  # searches' words whose matches an index keeps: 2 bytes a job each


def _micros(moment: datetime | None) -> int:
    """Microseconds since the epoch: both databases keep timestamps to the microsecond."""
    return _NEVER if moment is None else (moment - _EPOCH) // timedelta(microseconds=1)


@dataclass(frozen=True)
class _Codes:
    """A text column as one small integer per job; code 0 stands for NULL."""

    values: tuple[str | None, ...]
    codes: np.ndarray

    def equal(self, value: str) -> np.ndarray:
        code = self.values.index(value) if value in self.values else -1
        return self.codes == code

    def matching(self, wanted: Iterable[int]) -> np.ndarray:
        return np.isin(self.codes, np.fromiter(wanted, dtype=np.int32))

    def tally(self, rows: np.ndarray, limit: int | None) -> list[tuple[str, int]]:
        return self.tally_of(self.codes[rows], limit)

    def tally_of(self, codes: np.ndarray, limit: int | None) -> list[tuple[str, int]]:
        return _commonest(self.values, np.bincount(codes, minlength=len(self.values)), limit)


def _commonest(
    values: Sequence[str | None], counts: np.ndarray, limit: int | None
) -> list[tuple[str, int]]:
    """(value, count) of the values some job has, most jobs first, then by value."""
    found = [(values[code], int(counts[code])) for code in np.flatnonzero(counts)]
    ranked = sorted(
        ((value, count) for value, count in found if value is not None),
        key=lambda item: (-item[1], item[0]),
    )
    return ranked[:limit]


@dataclass(frozen=True)
class FacetIndex:
    """Totals and facets of the board for one catalog version, without touching the database."""

    version: str
    ids: np.ndarray  # the published jobs' ids, ascending: position i holds job ids[i]
    recency: np.ndarray  # positions, newest first (posted_at, then id, descending)
    columns: dict[str, _Codes]  # the facet columns, by their board name
    location: _Codes
    company_id: np.ndarray
    company_ids: dict[str, int]  # by slug
    posted_at: np.ndarray
    updated_at: np.ndarray
    published_at: np.ndarray
    featured_until: np.ndarray
    salary_annual_max: np.ndarray
    tags: _Codes  # one entry per (job, tag) pair
    tag_job: np.ndarray  # the job of each pair
    _searches: dict[JobFilters, list[list[int]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _ledgers: dict[str, WordLedger] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _searches_lock: threading.Lock = field(
        default_factory=threading.Lock, init=False, repr=False, compare=False
    )

    @property
    def size(self) -> int:
        return len(self.ids)

    @functools.cached_property
    def words(self) -> frozenset[str]:
        """The words of the catalog's companies, places and tags, for respelling a search
        (`models.search_suggest`); gathered once per index, when a search first needs them."""
        return search_suggest.words_in(
            [*self.company_ids, *self.location.values, *self.tags.values]
        )

    @property
    def nbytes(self) -> int:
        """The memory its arrays take (a worker holds one index at a time, two while loading)."""
        arrays = [
            self.ids,
            self.recency,
            self.posted_at,
            self.updated_at,
            self.published_at,
            self.featured_until,
            self.salary_annual_max,
            self.company_id,
            self.tag_job,
            *(codes.codes for codes in (*self.columns.values(), self.location, self.tags)),
        ]
        return sum(array.nbytes for array in arrays)

    def remembered(
        self,
        searches: list[JobFilters],
        find: Callable[[list[JobFilters]], list[list[int]]],
    ) -> list[list[int]]:
        """Each search's candidates, found once for this catalog version: a search's next
        page, the same search by another reader, or a search narrowed by a column filter
        (whose column facets count the wider search's candidates) asks SQL only about what
        it has not asked before. `find` is given the searches not remembered, at once.

        Callers pass only searches whose matches cannot change while the catalog stands
        still (no filter relative to now). The last REMEMBERED_SEARCHES asked for are kept.
        """
        with self._searches_lock:
            known = {s: self._searches.pop(s) for s in searches if s in self._searches}
        missing = [s for s in dict.fromkeys(searches) if s not in known]
        if missing:
            known.update(zip(missing, find(missing), strict=True))
        with self._searches_lock:
            _keep_newest(self._searches, known, REMEMBERED_SEARCHES)
        return [known[s] for s in searches]

    def count(self, filters: JobFilters, now: datetime, among: Ids | None = None) -> int:
        """How many published jobs (of those `among`, if given) match `filters`."""
        return int(np.count_nonzero(self._within(self._matching(filters, now), among)))

    def facets(
        self,
        filters: JobFilters,
        now: datetime,
        among: Ids | None = None,
        columns_among: Ids | None = None,
    ) -> Facets:
        """Every facet, as `queries.facet_counts` would give them.

        A column facet counts the jobs matching every filter but its own; the tag facet
        counts the jobs matching all of them, since tags narrow (AND). A search passes its
        candidates: `among` for the tag facet, `columns_among` for the column facets.
        """
        others = self._matching(without_columns(filters), now)
        chosen = {
            name: self.columns[name].equal(value) for name, value in chosen_columns(filters).items()
        }
        facets: Facets = {}
        candidates = self._within(others, columns_among)
        for name, column in self.columns.items():
            rows = candidates.copy()
            for other, equal in chosen.items():
                if other != name:
                    rows &= equal
            facets[name] = column.tally(rows, FACET_LIMITS.get(name))
        everything = self._within(others, among)
        for equal in chosen.values():
            everything &= equal
        facets["tag"] = self._tag_tally(everything)
        return facets

    def _tag_tally(self, jobs: np.ndarray) -> list[tuple[str, int]]:
        """The tag facet of the jobs (a mask of positions). A search counts among a thousand
        candidates at most: their own (job, tag) pairs, found by binary search in the pairs
        (kept in job order), cost a few hundredths of testing all ~400k pairs (~1 ms)."""
        positions = np.flatnonzero(jobs)
        if len(positions) * 8 > self.size:
            return self.tags.tally(jobs[self.tag_job], TOP_TAGS)
        # Sought as the pairs' own type: numpy would otherwise copy all the pairs to the
        # positions' wider one, at every search (0.4 ms of 0.55 at 100k jobs).
        sought = positions.astype(self.tag_job.dtype)
        starts = np.searchsorted(self.tag_job, sought)
        lengths = np.searchsorted(self.tag_job, sought, side="right") - starts
        firsts = np.cumsum(lengths) - lengths  # where each job's pairs begin in the gathered
        pairs = np.repeat(starts - firsts, lengths) + np.arange(lengths.sum())
        return self.tags.tally_of(self.tags.codes[pairs], TOP_TAGS)

    def newest(self, filters: JobFilters, now: datetime) -> np.ndarray:
        """Positions of the jobs passing every filter but the search words, newest first.

        The order of `queries.newest_matches`, so the first of these that the words match
        are the search's candidates: SQL need only check the words, on a few ids.
        """
        rows = self._matching(filters, now)
        return self.recency[rows[self.recency]]

    def ids_at(self, positions: np.ndarray) -> list[int]:
        return self.ids[positions].tolist()

    def unfeatured_after(
        self, newest: Ids, now: datetime, after: tuple[datetime, int] | None
    ) -> np.ndarray:
        """Those of these ids (this index's, newest first) not featured at `now`, from the
        first after the (posted_at, id) `after` if given: a "newest" page's order past its
        featured jobs, as `pagination` keys it."""
        ids = np.asarray(newest, dtype=np.int64)
        positions = np.searchsorted(self.ids, ids)
        keep = self.featured_until[positions] <= _micros(now)
        if after is not None:
            posted, since = self.posted_at[positions], _micros(after[0])
            keep &= (posted < since) | ((posted == since) & (ids < after[1]))
        return ids[keep]

    def posted(self, position: int) -> datetime:
        """When the job at a position was posted, to the microsecond, as SQL has it."""
        return _EPOCH + timedelta(microseconds=int(self.posted_at[position]))

    def posted_since(self, newest: np.ndarray, moment: datetime) -> int:
        """How many of these positions, newest first as `newest` lists them, hold jobs
        posted at or after the moment: they lead the list, so a binary search finds where
        they end."""
        since = _micros(moment)
        return bisect.bisect_left(newest, True, key=lambda at: self.posted_at[at] < since)

    def ledger(self, words: str) -> WordLedger:
        """Which jobs these search words match, as far as earlier searches of this catalog
        version asked: a copy of its own for one search to add to, and then to `keep`.

        A search narrowed by a filter, or a seeker moving between filters, asks SQL only
        about the jobs the searches before it did not settle.
        """
        with self._searches_lock:
            known = self._ledgers.get(words)
        if known is None:
            unknown = np.zeros(self.size, dtype=bool)
            return WordLedger(self.ids, unknown, unknown.copy())
        return WordLedger(self.ids, known.asked.copy(), known.matched.copy())

    def keep(self, words: str, ledger: WordLedger) -> None:
        """Remember what a search learnt of its words (the last REMEMBERED_WORDS kept)."""
        with self._searches_lock:
            _keep_newest(self._ledgers, {words: ledger}, REMEMBERED_WORDS)

    def _matching(self, filters: JobFilters, now: datetime) -> np.ndarray:
        """Which jobs pass every filter but the search words.

        Which jobs words match is the full-text index's to say: a search's caller passes
        the ids of its candidates, and `_within` narrows to them.
        """
        rows = np.ones(self.size, dtype=bool)
        if filters.location:
            needle = filters.location.lower()
            rows &= self.location.matching(
                code
                for code, value in enumerate(self.location.values)
                if value is not None and needle in value.lower()
            )
        for name, value in chosen_columns(filters).items():
            rows &= self.columns[name].equal(value)
        for tag in filters.tags:
            carrying = np.zeros(self.size, dtype=bool)
            carrying[self.tag_job[self.tags.equal(tag)]] = True
            rows &= carrying
        if filters.company:
            rows &= self.company_id == self.company_ids.get(filters.company, -1)
        if filters.salary_min is not None:
            rows &= (self.salary_annual_max != _NEVER) & (
                self.salary_annual_max >= filters.salary_floor_usd
            )
        if filters.posted_within is not None:
            rows &= self.posted_at >= _micros(now - timedelta(days=filters.posted_within))
        if filters.since is not None:
            rows &= self._since(filters, now)
        if filters.featured is not None:
            featured = self.featured_until > _micros(now)
            rows &= featured if filters.featured else ~featured
        return rows

    def _since(self, filters: JobFilters, now: datetime) -> np.ndarray:
        """Which jobs pass `since` as `filters.since_means` says (`queries.with_filters`)."""
        since = _micros(filters.since)
        if filters.since_means == SinceMeans.NEW_OR_FEATURED:
            return (self.published_at > since) | (self.featured_until > _micros(now))
        return self.updated_at > since

    def _within(self, rows: np.ndarray, among: Ids | None) -> np.ndarray:
        """A copy of `rows` narrowed to the jobs with the ids `among` (all, if None).

        Ids this version does not publish are ignored.
        """
        if among is None:
            return rows.copy()
        holding = np.zeros(self.size, dtype=bool)
        holding[_positions(self.ids, np.asarray(among, dtype=np.int64))] = True
        return rows & holding

    @classmethod
    def load(cls, session: so.Session) -> FacetIndex | None:
        """The published jobs' columns as of now; None if the catalog changed while reading.

        The database does the heavy part: numbers come as integers (timestamps as epoch
        microseconds), and each text column as one row per distinct value listing its
        jobs' ids, so Python touches a few thousand values, not a million (100k jobs: ~0.7 s,
        most of it waiting on the database).
        """
        dialect = dialect_of(session)
        version = freshness.catalog_version(session)
        never = sa.literal(_NEVER, sa.BigInteger)
        moments = [
            sa.func.coalesce(_epoch_micros(dialect, column), never)
            for column in (Job.posted_at, Job.updated_at, Job.published_at, Job.featured_until)
        ]
        salary = sa.func.coalesce(Job.salary_annual_max, never)
        stmt = _published(Job.id, *moments, salary, Job.company_id).order_by(Job.id)
        streamed = session.execute(stmt, execution_options={"yield_per": _BATCH})
        rows = np.fromiter(itertools.chain.from_iterable(streamed), np.int64)
        ids, posted, updated, published, featured, salaries, company_id = (
            np.ascontiguousarray(column) for column in rows.reshape(-1, 7).T
        )
        texts = [*FACET_COLUMNS.values(), Job.location]
        *facet_codes, location = _codes(_jobs_by_values(session, dialect, texts), ids, len(texts))
        columns = dict(zip(FACET_COLUMNS, facet_codes, strict=True))
        tags, tag_job = _tag_codes(session, dialect, ids)
        company_ids = dict(session.execute(sa.select(Company.slug, Company.id)).all())
        if freshness.catalog_version(session) != version:
            return None
        return cls(
            version=version,
            ids=ids,
            recency=np.lexsort((ids, posted))[::-1].copy(),
            columns=columns,
            location=location,
            company_id=company_id,
            company_ids=company_ids,
            posted_at=posted,
            updated_at=updated,
            published_at=published,
            featured_until=featured,
            salary_annual_max=salaries,
            tags=tags,
            tag_job=tag_job,
        )


@dataclass(frozen=True)
class WordLedger:
    """Which of an index's jobs (by position) one search's words were asked about, and which
    they matched: a search asks SQL in a few rounds, each about the jobs no round asked."""

    ids: np.ndarray  # the index's ids, by position
    asked: np.ndarray
    matched: np.ndarray

    def settled(self, newest: np.ndarray) -> int:
        """How many of these positions, from the first, the words were asked about."""
        open_ = ~self.asked[newest]
        return int(open_.argmax()) if open_.any() else len(newest)

    def unasked(self, lists: Iterable[np.ndarray]) -> list[int]:
        """The ids, ascending, of the positions in these lists not asked about yet; from now
        on they count as asked."""
        positions = np.unique(np.concatenate([np.empty(0, dtype=np.int64), *lists]))
        positions = positions[~self.asked[positions]]
        self.asked[positions] = True
        return self.ids[positions].tolist()

    def add_settled(self, positions: np.ndarray) -> None:
        """Jobs whose matches were all just added, so that the rest of them do not match."""
        self.asked[positions] = True

    def add_matches(self, ids: Iterable[int]) -> None:
        """Jobs the words match, by id; ids this index does not hold are ignored."""
        self.matched[_positions(self.ids, np.fromiter(ids, dtype=np.int64))] = True

    def first(self, newest: np.ndarray, count: int) -> np.ndarray:
        """The positions among these that the words matched, in their order, `count` at most."""
        return newest[self.matched[newest]][:count]


def _keep_newest(kept: dict[Any, Any], new: dict[Any, Any], most: int) -> None:
    """Add `new` to `kept` as its newest entries, then drop the oldest beyond `most`."""
    for key in new:
        kept.pop(key, None)
    kept.update(new)
    while len(kept) > most:
        kept.pop(next(iter(kept)))


def _positions(ids: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Where the `wanted` ids are among the (ascending) `ids`; those absent are left out."""
    positions = np.searchsorted(ids, wanted)
    found = positions < len(ids)
    found[found] = ids[positions[found]] == wanted[found]
    return positions[found]


def _published(*columns: sa.ColumnElement) -> sa.Select:
    return sa.select(*columns).select_from(Job).where(Job.status == JobStatus.PUBLISHED)


def _epoch_micros(dialect: str, column: sa.ColumnElement) -> sa.ColumnElement[int]:
    """A timestamp column as integer microseconds since the epoch, computed by the database."""
    if dialect == "postgresql":
        return sa.cast(sa.extract("epoch", column) * 1_000_000, sa.BigInteger)
    # SQLite stores "YYYY-MM-DD HH:MM:SS.ffffff" in UTC: whole seconds, then the fraction.
    seconds = sa.cast(sa.func.strftime("%s", column), sa.BigInteger)
    fraction = sa.cast(sa.func.substr(column, 21, 6), sa.BigInteger)
    return seconds * 1_000_000 + fraction


def _jobs_by_values(
    session: so.Session, dialect: str, values: list[sa.ColumnElement], *joins: sa.FromClause
) -> list[tuple[tuple[str | None, ...], np.ndarray]]:
    """Each distinct combination of `values` with the ids of the published jobs that have it."""
    ids = sa.func.array_agg(Job.id) if dialect == "postgresql" else sa.func.group_concat(Job.id)
    stmt = _published(*values, ids)
    for join in joins:
        stmt = stmt.join(join, sa.true())
    found = session.execute(stmt.group_by(*values))
    return [(tuple(row[:-1]), _id_array(row[-1])) for row in found]


def _id_array(listed: str | list[int]) -> np.ndarray:
    """array_agg's list, or group_concat's comma-separated text, as an array of ids."""
    return np.array(listed.split(",") if isinstance(listed, str) else listed, dtype=np.int64)


def _codes(
    groups: list[tuple[tuple[str | None, ...], np.ndarray]], ids: np.ndarray, width: int
) -> list[_Codes]:
    """Per column of the `width` of the groups, each job's code (0: NULL) and each code's value."""
    values: list[dict[str | None, int]] = [{None: 0} for _ in range(width)]
    codes = np.zeros((width, len(ids)), dtype=np.int32)
    for combination, having in groups:
        positions = np.searchsorted(ids, having)
        for column, value in enumerate(combination):
            codes[column, positions] = values[column].setdefault(value, len(values[column]))
    return [_Codes(tuple(known), column) for known, column in zip(values, codes, strict=True)]


def _tag_codes(session: so.Session, dialect: str, ids: np.ndarray) -> tuple[_Codes, np.ndarray]:
    """The (tag, job) pairs in job order: a code per pair, and the position of each pair's
    job (`FacetIndex._tag_tally` finds a job's pairs by binary search)."""
    element = tag_elements(dialect, Job.tags)
    values: list[str | None] = [None]
    codes, jobs = [], []
    for (value,), having in _jobs_by_values(session, dialect, [element.c.value], element):
        codes.append(np.full(len(having), len(values), dtype=np.int32))
        jobs.append(np.searchsorted(ids, having).astype(np.int32))
        values.append(value)
    empty = np.empty(0, dtype=np.int32)
    pair_codes, pair_jobs = np.concatenate(codes or [empty]), np.concatenate(jobs or [empty])
    order = np.argsort(pair_jobs, kind="stable")
    return _Codes(tuple(values), pair_codes[order]), pair_jobs[order]
