"""Tracked apply links: /j/<code> counts a click, then redirects to the stored apply URL only."""

from __future__ import annotations

from flask import Blueprint, Response, redirect, request

from api.board import gone, seekable_or_404
from api.database import db_session
from models import board, clicks
from models.types import utcnow

blueprint = Blueprint("apply", __name__)


@blueprint.get("/j/<code>")
def follow(code: str) -> Response | tuple[str, int]:
    """Count the click per job, day and channel (`via`), then send the seeker to the employer.

    The target is always the job's stored apply URL: no parameter of the request can choose it.
    """
    job = seekable_or_404("There is no job behind this link.", code=code)
    if board.is_gone(job):
        successor = board.successor(db_session(), job)
        if successor is None:
            return gone(job)
        job = successor  # the same opening, listed by this job now: its link still applies
    if request.method == "GET":
        via = clicks.channel(request.args.get("via"))
        db_session().commit()  # end the read: on SQLite it could not write once a crawl committed
        clicks.record_click(db_session(), job.id, via, utcnow().date())
        db_session().commit()
    response = redirect(job.apply_url, code=302)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response
