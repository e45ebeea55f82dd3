"""Health for load balancers and humans: is the database reachable, and are crawls succeeding?"""

from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy.exc import SQLAlchemyError

from api.database import db_session
from models import operations
from models.db import schema_missing
from models.types import utcnow

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def healthz():
    """200 with the age of the last clean crawl (null if none yet); 503 while the database is down
    or holds no tables yet.

    A stale crawl does not make the service unhealthy (the board still serves what
    it has); the age is there for monitoring to alert on.
    """
    try:
        last = operations.last_success(db_session())
    except SQLAlchemyError as exc:
        db_session().rollback()
        body = {
            "status": "error",
            "database": "not migrated" if schema_missing(exc) else "unreachable",
            "last_crawl_success_age_seconds": None,
        }
        return jsonify(body), 503, {"Cache-Control": "no-store"}
    age = None if last is None else max(0, round((utcnow() - last).total_seconds()))
    body = {"status": "ok", "database": "ok", "last_crawl_success_age_seconds": age}
    return jsonify(body), 200, {"Cache-Control": "no-store"}
