"""Bundled sample postings, loaded through the real ingest path (`jobboard demo`)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from importlib import resources
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from models import ingest, lifecycle
from models.outcomes import IngestCounts
from models.tables import Job, Source
from models.types import utcnow

DEMO_SOURCE_URL = "https://demo.jobboard.invalid/postings.json"


def _bundled() -> list[dict[str, Any]]:
    return json.loads(resources.files(__package__).joinpath("postings.json").read_text("utf-8"))


def postings(now: datetime) -> list[dict[str, Any]]:
    """The sample postings, relative dates made absolute (to the day, so reruns match)."""
    today = now.replace(hour=9, minute=0, second=0, microsecond=0)
    result = []
    for item in _bundled():
        item = dict(item)
        item["posted_at"] = (today - timedelta(days=item.pop("posted_days_ago", 0))).isoformat()
        if "valid_days" in item:
            item["valid_through"] = (today + timedelta(days=item.pop("valid_days"))).isoformat()
        item.pop("featured_days", None)
        if item["apply_url"].startswith("http"):
            item.setdefault("url", item["apply_url"])
        result.append(item)
    return result


def demo_source(session: so.Session) -> Source:
    """A disabled source that owns the demo listings, so the scheduler never crawls it."""
    source = session.scalar(sa.select(Source).where(Source.url == DEMO_SOURCE_URL))
    if source is None:
        source = Source(kind="jsonld", url=DEMO_SOURCE_URL, company="Demo data", enabled=False)
        session.add(source)
        session.commit()
    return source


def load(session: so.Session, *, now: datetime | None = None) -> IngestCounts:
    now = now or utcnow()
    counts = ingest.upsert_postings(session, postings(now), source=demo_source(session), now=now)
    _feature(session, counts, now)
    return counts


def _feature(session: so.Session, counts: IngestCounts, now: datetime) -> None:
    """Feature the sample jobs that ask for it, once (a rerun keeps their placement)."""
    days = {
        item["external_id"]: item["featured_days"] for item in _bundled() if "featured_days" in item
    }
    for outcome in counts.outcomes:
        if outcome.external_id in days and outcome.action == "created":
            job = session.get(Job, outcome.job_id)
            if job is not None:
                lifecycle.feature_until(
                    job, now + timedelta(days=days[outcome.external_id]), now=now
                )
    session.commit()
