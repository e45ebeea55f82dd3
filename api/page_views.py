"""Job page views, counted in each worker's memory and written in one go every few seconds.

Writing a counter row on every view would cost each page a round trip and a commit, more
than serving the page itself from memory; sponsors read these counts as daily totals,
so a few seconds' delay costs them nothing. Views are written at most VIEW_FLUSH_SECONDS
after they were counted, by the next view or by a timer when none comes. A worker that
stops cleanly writes out what it holds; one killed outright loses at most its last
VIEW_FLUSH_SECONDS of views.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections import Counter
from datetime import date

import sqlalchemy.orm as so
from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from api.extensions import per_app
from models import clicks

log = logging.getLogger(__name__)


class PageViews:
    """Views by (job slug, day) not yet written, and when they were last written."""

    def __init__(self, sessions: so.sessionmaker[so.Session], flush_seconds: float) -> None:
        self._sessions = sessions
        self._flush_seconds = flush_seconds
        self._pending: Counter[tuple[str, date]] = Counter()
        self._flushed = time.monotonic()
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    @classmethod
    def of_app(cls) -> PageViews:
        def build() -> PageViews:
            sessions = current_app.extensions["jobboard.writer_sessions"]
            views = cls(sessions, current_app.config["VIEW_FLUSH_SECONDS"])
            if views._flush_seconds > 0:
                atexit.register(views.flush)
            return views

        return per_app("jobboard.page_views", build)

    def count(self, slug: str, day: date) -> None:
        """One view; writes all held views when they are due, or soon after if none follows."""
        with self._lock:
            self._pending[(slug, day)] += 1
            due = time.monotonic() - self._flushed >= self._flush_seconds
            if not due and self._timer is None:  # a quiet worker writes them out all the same
                self._timer = threading.Timer(self._flush_seconds, self._flush_when_quiet)
                self._timer.daemon = True
                self._timer.start()
        if due:
            self.flush()

    def _flush_when_quiet(self) -> None:
        with self._lock:
            self._timer = None
        self.flush()

    def flush(self) -> None:
        """Write the held views; on a database error keep them for the next try."""
        with self._lock:
            pending, self._pending = self._pending, Counter()
            self._flushed = time.monotonic()
        if not pending:
            return
        try:
            with self._sessions() as session:
                clicks.record_views(session, pending)
                session.commit()
        except SQLAlchemyError as exc:
            log.warning("page views not written yet, kept for the next try: %s", exc)
            with self._lock:
                self._pending.update(pending)
