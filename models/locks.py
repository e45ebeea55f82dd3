"""Per-source crawl locks, so two processes never crawl the same source at the same time.

On PostgreSQL a crawl holds a session-level advisory lock per source on a dedicated
connection for as long as it runs. The server drops the locks the moment that
connection closes, so a crawler that dies, even by SIGKILL, frees its sources at
once. SQLite has no such locks; there the crawl-run lease is the lock (at most one
`running` run per source, failed once its heartbeat is stale; see models.crawl_runs),
and `SourceLocks` grants every source.
"""

from __future__ import annotations

import contextlib
from types import TracebackType

import sqlalchemy as sa

# First key of every crawl lock (ASCII "jb"); the second key is the source id.
LOCK_SPACE = 0x6A62


class SourceLocks:
    """The crawl locks one crawl holds, on one connection of its own, until `release`."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.held: set[int] = set()
        self._engine: sa.Engine | None = None
        self._connection: sa.Connection | None = None

    @property
    def exclusive(self) -> bool:
        """True when a granted lock proves no other live crawler has the source (PostgreSQL)."""
        return self.database_url.startswith("postgresql")

    def acquire(self, source_id: int) -> bool:
        """Take the source's lock unless another process holds it; True if this crawl has it now."""
        if not self.exclusive:
            return True
        got = self._connect().scalar(
            sa.text(
                "SELECT pg_try_advisory_lock(CAST(:space AS integer), CAST(:source_id AS integer))"
            ),
            {"space": LOCK_SPACE, "source_id": source_id},
        )
        if got:
            self.held.add(source_id)
        return bool(got)

    def release(self) -> None:
        """Give every lock back, then close the connection.

        Unlocking first makes the release synchronous: a closed connection's locks are
        dropped a moment later, when the server has noticed.
        """
        self.held.clear()
        if self._connection is not None:
            with contextlib.suppress(sa.exc.DBAPIError):  # a lost connection holds nothing
                self._connection.execute(sa.text("SELECT pg_advisory_unlock_all()"))
            self._connection.close()
            self._connection = None
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def _connect(self) -> sa.Connection:
        """A connection outside any pool: closing it must really end the server session."""
        if self._connection is None:
            self._engine = sa.create_engine(
                self.database_url, poolclass=sa.pool.NullPool, isolation_level="AUTOCOMMIT"
            )
            self._connection = self._engine.connect()
        return self._connection

    def __enter__(self) -> SourceLocks:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()
