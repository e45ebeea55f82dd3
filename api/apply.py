"""Tracked apply links: /j/<code> counts a click, then redirects to the stored apply URL only."""

from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, request

from api.board import gone
from api.database import db_session
from models import board, clicks
from models.types import utcnow

blueprint = Blueprint("apply", __name__)


@blueprint.get("/j/<code>")
def follow(code: str) -> Response | tuple[str, int]:
    """Count the click per job, day and channel (`via`), then send the seeker to the employer.

    The target is always the job's stored apply URL: no parameter of the request can choose it.
    """
    session = db_session()
    job = board.seekable_job(session, code=code)
    if job is None:
        abort(404, description="There is no job behind this link.")
    if board.is_gone(job):
        return gone(job)
    if request.method == "GET":
        clicks.record_click(
            session, job.id, clicks.channel(request.args.get("via")), utcnow().date()
        )
        session.commit()
    response = redirect(job.apply_url, code=302)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response
