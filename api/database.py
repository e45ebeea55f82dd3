"""One SQLAlchemy session per request, from the engine this app was configured with."""

from __future__ import annotations

import sqlalchemy.orm as so
from flask import Flask, current_app, g, has_request_context, request

from models.db import make_engine, make_session_factory, writer_session_factory

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def init_app(app: Flask) -> None:
    engine = make_engine(
        app.config["DATABASE_URL"], statement_timeout=app.config["DATABASE_STATEMENT_TIMEOUT"]
    )
    app.extensions["jobboard.engine"] = engine
    app.extensions["jobboard.sessions"] = make_session_factory(engine)
    app.extensions["jobboard.writer_sessions"] = writer_session_factory(engine)
    app.teardown_appcontext(_close_session)


def db_session() -> so.Session:
    """The request's session; opened on first use, closed at teardown.

    A request that may write (any method but GET, HEAD and OPTIONS) gets a writer's
    session: on SQLite it takes the write lock up front, where a transaction that read
    first could not write at all once a crawl had committed meanwhile.
    """
    if "db_session" not in g:
        writes = has_request_context() and request.method not in SAFE_METHODS
        g.db_session = current_app.extensions[
            "jobboard.writer_sessions" if writes else "jobboard.sessions"
        ]()
    return g.db_session


def dialect() -> str:
    return current_app.extensions["jobboard.engine"].dialect.name


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
