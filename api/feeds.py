"""The read API for the newsletter build and other consumers."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, jsonify

from api import conditional
from api.arguments import Blueprint
from api.database import db_session
from api.schemas import ApiJobQueryArgs, JobOut, JobPageOut, to_filters
from models import board, freshness
from models.tables import Job, JobStatus
from models.types import utcnow

job_page_out = JobPageOut()
blueprint = Blueprint(
    "feeds", __name__, url_prefix="/api/v1", description="Published jobs, filtered and paged."
)


@blueprint.route("/jobs")
@blueprint.arguments(ApiJobQueryArgs(), location="query", as_kwargs=True)
@blueprint.response(200, JobPageOut, headers=conditional.HEADERS_DOC)
@blueprint.alt_response(304, **conditional.NOT_MODIFIED_DOC)
@blueprint.alt_response(400, response="BAD_REQUEST")
def list_jobs(**args: Any) -> Response:
    """Published jobs, featured first then newest, with an opaque keyset cursor."""
    return conditional.answer(
        to_filters(args),
        limit=args["limit"],
        cursor=args.get("cursor"),
        render=lambda page: jsonify(job_page_out.dump(page)),
    )


@blueprint.route("/jobs/<row_id:job_id>")
@blueprint.response(200, JobOut, headers=conditional.DATED_HEADERS_DOC)
@blueprint.alt_response(304, **conditional.DATED_NOT_MODIFIED_DOC)
@blueprint.alt_response(404, response="NOT_FOUND")
def get_job(job_id: int) -> tuple[Job, int, dict] | Response:
    """One published job by id."""
    job = db_session().get(Job, job_id)
    if job is None or job.status != JobStatus.PUBLISHED:
        was_public = job is not None and board.is_gone(job) and not job.ended_in_review
        successor = board.successor(db_session(), job) if was_public else None
        moved = f"; its opening is listed as job {successor.id}" if successor else ""
        abort(404, description=f"No published job with id {job_id}{moved}.")
    now = utcnow()
    version = conditional.validators(
        freshness.job_fingerprint(job, now), last_modified=freshness.changed_at(job, now)
    )
    if version.client_is_current():
        return version.not_modified()
    return job, 200, version.headers()
