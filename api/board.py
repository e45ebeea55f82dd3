"""The seeker's board: server-rendered pages over the shared queries."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request, url_for

from api.database import db_session
from api.schemas import job_query_args, to_filters
from models import pagination, queries
from models.tables import JobStatus

blueprint = Blueprint("board", __name__)


@blueprint.get("/")
def index():
    """Published jobs, filtered by the query string, one keyset page at a time."""
    errors = job_query_args.validate(request.args)
    if errors:
        return render_template("board.html", page=None, errors=errors, next_url=None), 400
    args = job_query_args.load(request.args)
    page = pagination.fetch_page(
        db_session(),
        to_filters(args),
        limit=current_app.config["PAGE_SIZE"],
        cursor=args.get("cursor"),
    )
    next_url = None
    if page.next_cursor:
        next_url = url_for(
            "board.index", **(request.args.to_dict(flat=False) | {"cursor": page.next_cursor})
        )
    return render_template("board.html", page=page, errors={}, next_url=next_url)


@blueprint.get("/jobs/<slug>")
def job(slug: str):
    job = db_session().scalar(queries.job_by_slug(slug))
    if job is None or job.status in (JobStatus.PENDING, JobStatus.REJECTED):
        abort(404, description="No such job.")
    status = 410 if job.status in (JobStatus.CLOSED, JobStatus.EXPIRED) else 200
    return render_template("job.html", job=job), status
