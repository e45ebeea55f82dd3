"""The one write path for jobs: validate, normalize, deduplicate, upsert in batches.

Spiders, the sponsor API, the form and the demo all call `upsert_postings`.
Each batch is one transaction, written by `models.ingest_batch` in a stable sorted
order (companies by slug, new jobs by fingerprint, updates by id, listings by key),
so concurrent ingests of the same postings wait on each other instead of
deadlocking, and the unique indexes make the loser's inserts no-ops.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from importlib import resources
from typing import Any

import marshmallow as ma
import sqlalchemy as sa
import sqlalchemy.orm as so

from models.db import dialect_of
from models.ingest_batch import Owner, touch_jobs, write_batch
from models.normalize import gazetteer
from models.outcomes import IngestCounts
from models.schemas import Posting, job_in, stable_hash
from models.tables import CrawlRun, Job, JobStatus, Listing, Source, Sponsor
from models.types import utcnow

BATCH_SIZE = 500
MAX_DEPTH = 32  # of a raw posting's nested objects and arrays; ATS payloads use a few


def upsert_postings(
    session: so.Session,
    postings: Iterable[Mapping[str, Any]],
    *,
    source: Source | None = None,
    sponsor: Sponsor | None = None,
    run: CrawlRun | None = None,
    batch_size: int = BATCH_SIZE,
    now: datetime | None = None,
) -> IngestCounts:
    """Ingest raw posting dicts for one source or sponsor; commits once per batch.

    On PostgreSQL a batch is normalized while the previous one is being written (by
    a thread that mostly waits for the server), so Python and PostgreSQL work side by
    side. The session is only ever used by one thread at a time.
    """
    if (source is None) == (sponsor is None):
        raise ValueError("upsert_postings needs exactly one of source= or sponsor=")
    owner = Owner.of(source, sponsor, run)
    counts = IngestCounts()
    overlap = dialect_of(session) == "postgresql"
    previous: _Batch | None = None
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-writer") as writer:
        for raw in _chunks(postings, batch_size):
            batch = _Batch(now or utcnow())
            hashed = [(item, payload_hash(item)) for item in raw]
            changed = _skip_unchanged(session, hashed, owner, batch.counts, batch.now)
            session.commit()
            writing = None
            if previous and overlap:
                writing = writer.submit(previous.write, session, owner)
            elif previous:
                previous.write(session, owner)
            batch.postings, batch.rejected_keys = _validate(
                changed, batch.counts, lenient=not owner.is_sponsor
            )
            if writing:
                writing.result()
            if previous:
                counts.merge(previous.counts)
            previous = batch
    if previous:
        previous.write(session, owner)
        counts.merge(previous.counts)
    return counts


@dataclasses.dataclass
class _Batch:
    """One batch on its way: validated postings and what happened to each."""

    now: datetime
    counts: IngestCounts = dataclasses.field(default_factory=IngestCounts)
    postings: list[Posting] = dataclasses.field(default_factory=list)
    rejected_keys: list[str] = dataclasses.field(default_factory=list)

    def write(self, session: so.Session, owner: Owner) -> None:
        if self.postings:
            write_batch(session, self.postings, owner, self.counts, self.now)
        if self.rejected_keys:
            _sight_rejected(session, self.rejected_keys, owner, self.now)
        session.commit()


def _chunks(items: Iterable[Mapping[str, Any]], size: int) -> Iterator[list[Mapping[str, Any]]]:
    """Batches of the postings' last copies: a key sent twice in one call is its last copy,
    as within one batch, or each ingest would rewrite its job with one copy, then the other."""
    cleaned = [storable(item) for item in items]
    last = {_key(raw): index for index, raw in enumerate(cleaned) if _key(raw)}
    latest = [raw for index, raw in enumerate(cleaned) if last.get(_key(raw), index) == index]
    for start in range(0, len(latest), size):
        yield latest[start : start + size]


def storable(value: Any, depth: int = 0) -> Any:
    """The posting without what PostgreSQL cannot store, which must not sink a whole batch.

    NUL characters go. Python's JSON reader (Scrapy's `response.json()`, Flask's
    `get_json()`) accepts what PostgreSQL refuses: a lone UTF-16 surrogate (`"\\ud83d"`, an
    emoji cut in half by a source's truncation) becomes U+FFFD, NaN and infinities null.
    A value nested deeper than MAX_DEPTH becomes null too: no field is read from there,
    and walking it would exhaust Python's recursion limit and end the whole ingest.
    """
    if isinstance(value, str):
        return _whole_characters(value.replace("\x00", ""))
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Mapping | list | tuple) and depth == MAX_DEPTH:
        return None
    if isinstance(value, Mapping):
        return {storable(key): storable(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [storable(item, depth + 1) for item in value]
    return value


def _whole_characters(text: str) -> str:
    if text.isascii():
        return text
    try:
        text.encode()
    except UnicodeEncodeError:  # a surrogate without its other half
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def _rules_digest() -> str:
    """A digest of the code that makes a job of a raw posting (models.schemas, models.normalize)
    and decides which job it joins (models.ingest_batch), and of the town list the location
    reading consults (a new release can place a town elsewhere).

    It is part of every posting's hash, so after an upgrade that changed this code, the next
    crawl of each source re-reads the postings it holds instead of skipping them as
    unchanged, and their jobs take the new rules; no one has to remember a version to raise.
    """
    package = resources.files("models")  # a folder, or a zip: scrapyd runs the project's egg
    normalizers = [f for f in package.joinpath("normalize").iterdir() if f.name.endswith(".py")]
    named = [package.joinpath(name) for name in ("schemas.py", "ingest_batch.py")]
    modules = [*sorted(normalizers, key=lambda f: f.name), *named]
    code = b"".join(module.read_bytes() for module in modules)
    return hashlib.sha1(code + gazetteer.edition().encode()).hexdigest()


RULES = _rules_digest()


def payload_hash(raw: Mapping[str, Any]) -> str:
    """Fingerprint of a raw posting as received and of the rules that read it; equal hashes
    need no re-normalizing."""
    return stable_hash({"rules": RULES, "posting": raw})


Hashed = tuple[Mapping[str, Any], str]  # a raw posting and its payload_hash


def _skip_unchanged(
    session: so.Session,
    batch: Sequence[Hashed],
    owner: Owner,
    counts: IngestCounts,
    now: datetime,
) -> list[Hashed]:
    """Record sightings of postings whose raw payload is byte-for-byte what we stored.

    Re-crawls mostly return unchanged postings; recognising them by the listing's
    payload hash skips validation, normalizing and every job write but the sighting.
    """
    hashes = {raw["external_id"]: digest for raw, digest in batch if _key(raw)}
    if not hashes:
        return list(batch)
    stored = session.execute(
        sa.select(Listing.external_id, Listing.job_id, Listing.payload_hash)
        .join(Job, Job.id == Listing.job_id)
        .where(owner.column == owner.id, Listing.external_id.in_(hashes))
        .where(Job.status.in_(JobStatus.OPEN))
    )
    same = {key: job_id for key, job_id, stored_hash in stored if stored_hash == hashes[key]}
    if not same:
        return list(batch)
    session.execute(
        sa.update(Listing)
        .where(owner.column == owner.id, Listing.external_id.in_(sorted(same)))
        .values(last_seen_at=now, last_run_id=owner.run_id, closed_at=None)
    )
    touch_jobs(session, sorted(set(same.values())), now)
    for key, job_id in sorted(same.items()):
        counts.add(key, job_id, "unchanged")
    return [(raw, digest) for raw, digest in batch if _key(raw) not in same]


def _sight_rejected(session: so.Session, keys: list[str], owner: Owner, now: datetime) -> None:
    """A rejected posting is still on the board: its open listing and job count as seen.

    Otherwise a clean run would close a job its source still lists, because one field
    of it could not be read this time. Nothing of the job changes.
    """
    job_ids = session.scalars(
        sa.update(Listing)
        .where(
            owner.column == owner.id,
            Listing.external_id.in_(sorted(keys)),
            Listing.closed_at.is_(None),
        )
        .values(last_seen_at=now, last_run_id=owner.run_id)
        .returning(Listing.job_id)
    ).all()
    touch_jobs(session, sorted(set(job_ids)), now)


def _key(raw: Any) -> str | None:
    key = raw.get("external_id") if isinstance(raw, Mapping) else None
    return key if isinstance(key, str) and key else None


def _validate(
    batch: Sequence[Hashed], counts: IngestCounts, *, lenient: bool
) -> tuple[list[Posting], list[str]]:
    """Load each raw dict with JobIn; a bad one is counted with its reason, the rest go on.

    Returns the valid postings, and the keys of the rejected ones (see _sight_rejected).
    A key seen twice in one batch is its last copy, even a rejected one: _skip_unchanged
    compares the last copy's hash, so keeping an earlier valid copy instead would re-read
    it on every re-ingest and rewrite the job it joined. `lenient`: see _load.
    """
    by_key: dict[str, Posting | None] = {}  # None: the key's last copy was rejected
    for raw, digest in batch:
        label = str(raw.get("external_id") or raw.get("url") or raw.get("title") or "?")[:300]
        try:
            posting, unread = _load(raw, lenient=lenient)
            reason = (
                None if posting.external_id else "external_id: Missing data for required field."
            )
            posting = _hashed(
                dataclasses.replace(posting, raw=posting.raw or dict(raw), payload_hash=digest)
            )
        except ma.ValidationError as exc:
            reason = _reason(exc.messages)
        except Exception as exc:  # a normalizer bug must not sink the whole crawl
            reason = f"normalization failed: {type(exc).__name__}"
        if reason:
            key = _key(raw)
            counts.reject(label, reason, keyed=key is not None)
            if key:
                by_key[key] = None
            continue
        if unread:
            counts.warn(label, unread)
        by_key[posting.external_id] = posting
    valid = [posting for _, posting in sorted(by_key.items()) if posting is not None]
    return valid, [key for key, posting in by_key.items() if posting is None]


def _hashed(posting: Posting) -> Posting:
    """The posting with its fingerprint and content hash computed (they are cached): here,
    beside the writer thread, which asks for them and is the ingest's critical path."""
    for cached in ("fingerprint", "content_hash"):
        getattr(posting, cached)
    return posting


# What a posting cannot go on the board without. A description too long to store is
# refused rather than dropped: its payload would be stored whole all the same.
_ESSENTIAL = frozenset({"external_id", "apply_url", "title", "company", "description_html"})
_OPTIONAL = frozenset(job_in.fields) - _ESSENTIAL


def _load(raw: Mapping[str, Any], *, lenient: bool) -> tuple[Posting, str | None]:
    """The posting, and the reason of the optional fields left out because they were unreadable.

    A scraped posting (`lenient`) whose only faults are optional fields (a `validThrough`
    of "TBD", a salary of "competitive") goes on the board without them: refusing it would
    hide a real opening, or keep its job from being updated. A sponsor, who can correct the
    posting, is told instead.
    """
    try:
        return job_in.load(raw), None
    except ma.ValidationError as exc:
        faults = exc.messages
        if not (lenient and isinstance(faults, dict) and faults.keys() <= _OPTIONAL):
            raise
        readable = {name: value for name, value in raw.items() if name not in faults}
        return job_in.load(readable), _reason(faults)


def _reason(messages: Any) -> str:
    if isinstance(messages, dict):
        return "; ".join(
            f"{name}: {' '.join(map(str, errors)) if isinstance(errors, list) else errors}"
            for name, errors in sorted(messages.items())
        )
    return str(messages)
