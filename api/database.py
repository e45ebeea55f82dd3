"""One SQLAlchemy session per request, from the engine this app was configured with."""

from __future__ import annotations

import sqlalchemy.orm as so
from flask import Flask, current_app, g

from models.db import make_engine, make_session_factory


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["jobboard.engine"] = engine
    app.extensions["jobboard.sessions"] = make_session_factory(engine)
    app.teardown_appcontext(_close_session)


def db_session() -> so.Session:
    """The request's session; opened on first use, closed at teardown."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["jobboard.sessions"]()
    return g.db_session


def dialect() -> str:
    return current_app.extensions["jobboard.engine"].dialect.name


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
