"""The read API for the newsletter build and other consumers."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask_smorest import Blueprint

from api.database import db_session
from api.schemas import ApiJobQueryArgs, JobOut, JobPageOut, to_filters
from models import pagination
from models.tables import Job, JobStatus

blueprint = Blueprint(
    "feeds", __name__, url_prefix="/api/v1", description="Published jobs, filtered and paged."
)


@blueprint.route("/jobs")
@blueprint.arguments(ApiJobQueryArgs, location="query", as_kwargs=True)
@blueprint.response(200, JobPageOut)
def list_jobs(**args: Any) -> pagination.Page:
    """Published jobs, featured first then newest, with an opaque keyset cursor."""
    return pagination.fetch_page(
        db_session(), to_filters(args), limit=args["limit"], cursor=args.get("cursor")
    )


@blueprint.route("/jobs/<int:job_id>")
@blueprint.response(200, JobOut)
def get_job(job_id: int) -> Job:
    """One published job by id."""
    job = db_session().get(Job, job_id)
    if job is None or job.status != JobStatus.PUBLISHED:
        abort(404, description=f"No published job with id {job_id}.")
    return job
