"""Sponsor postings stored under older normalizing rules, read again under the current ones.

A crawl re-reads its source's postings after an upgrade that changed the rules, since a
posting's payload hash covers them (models.ingest.payload_hash); nothing re-sends a
sponsor's. The clock's upkeep reads those again instead, so a sponsor's jobs take the new
tags, salary reading and dedup key as every other job does.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa
import sqlalchemy.orm as so

from models.ingest import payload_hash, storable, upsert_postings
from models.tables import Job, JobStatus, Listing, Sponsor


def reread_sponsor_postings(session: so.Session, *, now: datetime | None = None) -> int:
    """Ingest again the open jobs' sponsor postings hashed under other rules; returns how many.

    Each is its sponsor's stored posting as last sent or edited, so nothing a sponsor or a
    moderator wrote changes, only how it reads; nor is it a sighting, so the job keeps its
    last_seen_at (which expiry counts from). One that the current rules refuse keeps its
    job as it was, and is marked read so it is not tried again at every upkeep.
    """
    stored = session.execute(
        sa.select(
            Listing.id,
            Listing.sponsor_id,
            Listing.job_id,
            Listing.payload,
            Listing.payload_hash,
            Listing.last_seen_at,
            Job.last_seen_at,
        )
        .join(Job, Job.id == Listing.job_id)
        .where(Listing.sponsor_id.is_not(None), Job.status.in_(JobStatus.OPEN))
        .order_by(Listing.sponsor_id, Listing.id)
    )
    stale: dict[int, list[_Stored]] = {}
    for listing_id, sponsor_id, job_id, payload, stored_hash, listing_seen, job_seen in stored:
        current = payload_hash(storable(payload))
        if current != stored_hash:
            posting = _Stored(listing_id, job_id, payload, current, listing_seen, job_seen)
            stale.setdefault(sponsor_id, []).append(posting)
    for sponsor_id, postings in stale.items():
        sponsor = session.get(Sponsor, sponsor_id)
        upsert_postings(session, [p.payload for p in postings], sponsor=sponsor, now=now)
        _keep_sightings(session, postings)
        hashes = [{"id": p.listing_id, "payload_hash": p.current_hash} for p in postings]
        session.execute(sa.update(Listing), hashes)
        session.commit()
    return sum(len(postings) for postings in stale.values())


class _Stored(NamedTuple):
    """A sponsor's stored posting to read again, with the sightings to keep."""

    listing_id: int
    job_id: int
    payload: dict
    current_hash: str
    listing_seen_at: datetime
    job_seen_at: datetime


def _keep_sightings(session: so.Session, postings: list[_Stored]) -> None:
    """Put back the listings' and jobs' last_seen_at the ingest set to now."""
    listings = [{"id": p.listing_id, "last_seen_at": p.listing_seen_at} for p in postings]
    jobs = {p.job_id: p.job_seen_at for p in postings}
    session.execute(sa.update(Listing), listings)
    session.execute(
        sa.update(Job), [{"id": job_id, "last_seen_at": at} for job_id, at in jobs.items()]
    )
