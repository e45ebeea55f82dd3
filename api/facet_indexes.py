"""Each worker's facet index (models.facet_index), kept at the catalog version it serves.

Loading one takes a few hundred milliseconds at 100k jobs, so in "background" mode (the
default) a request never waits for it: a board request that finds the index behind the
catalog counts in SQL as before and starts one reload in a thread; once that is done,
requests count from memory. Reloads are spaced by four times their own duration, so a
burst of writes (a crawl) costs a worker at most a fifth of a core. "inline" loads within
the request (deterministic, for tests); "off" never loads one.
"""

from __future__ import annotations

import logging
import threading
import time

import sqlalchemy.orm as so
from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from api.extensions import per_app
from models.facet_index import FacetIndex

log = logging.getLogger(__name__)

MODES = ("background", "inline", "off")
_SPACING = 4  # a reload waits this many times the last one's duration after it


class LiveFacetIndex:
    """The newest facet index this worker loaded, and the reload in flight, if any."""

    def __init__(self, sessions: so.sessionmaker[so.Session], mode: str) -> None:
        if mode not in MODES:
            raise ValueError(f"FACET_INDEX must be one of {', '.join(MODES)}, not {mode!r}")
        self._sessions = sessions
        self._mode = mode
        self._index: FacetIndex | None = None
        self._loading = False
        self._next_load = float("-inf")
        self._lock = threading.Lock()

    @classmethod
    def of_app(cls) -> LiveFacetIndex:
        extensions, config = current_app.extensions, current_app.config
        return per_app(
            "jobboard.facet_index",
            lambda: cls(extensions["jobboard.sessions"], config["FACET_INDEX"]),
        )

    def at(self, version: str) -> FacetIndex | None:
        """The index of catalog `version`, or None (and a reload on its way) if there is none."""
        index = self._index
        if index is not None and index.version == version:
            return index
        if self._mode == "inline":
            self._load()
        elif self._mode == "background" and self._claim_load():
            threading.Thread(target=self._load, name="facet-index", daemon=True).start()
        index = self._index
        return index if index is not None and index.version == version else None

    def _claim_load(self) -> bool:
        with self._lock:
            if self._loading or time.monotonic() < self._next_load:
                return False
            self._loading = True
            return True

    def _load(self) -> None:
        """Load the current catalog; a failure leaves the board counting in SQL."""
        started = time.monotonic()
        try:
            with self._sessions() as session:
                index = FacetIndex.load(session)
        except SQLAlchemyError as exc:
            log.warning("facet index not loaded, boards count in SQL meanwhile: %s", exc)
            index = None
        with self._lock:
            if index is not None:
                self._index = index
            self._loading = False
            self._next_load = time.monotonic() + _SPACING * (time.monotonic() - started)
