"""The sponsor token API: post and manage one's own jobs with `Authorization: Bearer TOKEN`.

Postings take the same path as the web form and the spiders (`models.sponsor_postings`
-> `models.ingest`); another sponsor's job answers 404, as if it did not exist.
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, g, request, url_for
from flask.views import MethodView
from flask_smorest import Api, abort
from werkzeug.exceptions import Conflict, NotFound, RequestEntityTooLarge, Unauthorized

from api.arguments import Blueprint
from api.database import db_session
from api.extensions import csrf, limiter
from api.schemas import FeatureIn, SponsorJobIn, SponsorJobOut, SponsorJobPatch
from models import featuring, lifecycle, sponsors
from models import sponsor_postings as postings
from models.tables import Job, Listing

SCHEME = "bearerAuth"
BEARER = [{SCHEME: []}]
REALM = 'Bearer realm="jobboard sponsor API"'

blueprint = Blueprint(
    "sponsor_api",
    __name__,
    url_prefix="/api/v1/sponsor",
    description="Sponsors post and manage their own jobs with a bearer token "
    "(`jobboard sponsors create NAME --email E` prints one).",
)


def register(api: Api) -> None:
    """Document the bearer scheme and mount the blueprint; a token, not a cookie, authorizes."""
    api.spec.components.security_scheme(SCHEME, {"type": "http", "scheme": "bearer"})
    csrf.exempt(blueprint)
    api.register_blueprint(blueprint)


@blueprint.before_request
def _authenticate() -> None:
    """Every endpoint needs a valid token; the sponsor it names is g.sponsor. The scheme's
    name is case-insensitive (RFC 9110 11.1): "bearer" is "Bearer"."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    g.token_presented = bool(token)
    bearer = scheme.lower() == "bearer"
    sponsor = sponsors.authenticate(db_session(), token.strip()) if bearer else None
    if sponsor is None:
        raise Unauthorized("A valid sponsor token is required: Authorization: Bearer TOKEN.")
    g.sponsor = sponsor
    _refuse_oversized_stream()


def _refuse_oversized_stream() -> None:
    """A chunked body has no Content-Length, and werkzeug cuts it at MAX_CONTENT_LENGTH
    instead of refusing it; a body that reached the limit is refused here, as 413 (PUT too:
    a featured placement's cut-off body was answered 400 "Invalid JSON body")."""
    if request.content_length is not None or request.method not in ("POST", "PATCH", "PUT"):
        return
    if len(request.get_data(cache=True)) >= current_app.config["MAX_CONTENT_LENGTH"]:
        raise RequestEntityTooLarge()


@blueprint.after_request
def _challenge(response: Response) -> Response:
    """RFC 6750: tell the client how to authenticate, and whether its token was the problem."""
    if response.status_code == 401:
        invalid = ', error="invalid_token"' if g.get("token_presented") else ""
        response.headers["WWW-Authenticate"] = REALM + invalid
    response.headers["Cache-Control"] = "no-store"
    return response


def _errors(view):
    """The error answers every sponsor endpoint may give, documented once."""
    view = blueprint.alt_response(401, response="UNAUTHORIZED")(view)
    view = blueprint.alt_response(413, response="REQUEST_ENTITY_TOO_LARGE")(view)
    return blueprint.doc(security=BEARER)(view)


def _write_limit() -> str:
    return current_app.config["SPONSOR_API_RATE_LIMIT"]


def _sponsor_key() -> str:
    return f"sponsor-api:{g.sponsor.id}"


# Posting, editing and closing share one budget per sponsor (a leaked token cannot flood).
_writes = limiter.shared_limit(_write_limit, scope="sponsor-api-writes", key_func=_sponsor_key)
_limited = blueprint.alt_response(429, response="TOO_MANY_REQUESTS")


def _own(job_id: int) -> tuple[Job, Listing]:
    """The caller's job and listing; anyone else's job is 404, indistinguishable from none."""
    listing = postings.own_listing(db_session(), g.sponsor.id, job_id)
    job = listing and db_session().get(Job, job_id)
    if job is None:
        raise NotFound(f"You have no job with id {job_id}.")
    return job, listing  # type: ignore[return-value]


def _store(action, *args: Any) -> Job:
    """Run a posting action, mapping its domain errors to 422 and 409."""
    try:
        return action(db_session(), *args).job
    except postings.InvalidPosting as exc:
        abort(422, messages={"json": exc.messages})
    except postings.PostingConflict as exc:
        raise Conflict(str(exc)) from exc


@blueprint.route("/jobs")
class SponsorJobs(MethodView):
    @_errors
    @blueprint.response(200, SponsorJobOut(many=True))
    def get(self) -> list[Job]:
        """The caller's postings, newest first, whatever their status."""
        return list(db_session().scalars(postings.own_jobs(g.sponsor.id)))

    @_errors
    @blueprint.arguments(SponsorJobIn)
    @blueprint.response(201, SponsorJobOut)
    @blueprint.alt_response(409, response="CONFLICT")
    @_limited
    @_writes
    def post(self, fields: dict[str, Any]) -> tuple[Job, int, dict[str, str]]:
        """Post a job: published at once for trusted sponsors, else pending review."""
        job = _store(postings.submit, g.sponsor, fields)
        return job, 201, {"Location": url_for("sponsor_api.SponsorJob", job_id=job.id)}


@blueprint.route("/jobs/<row_id:job_id>")
class SponsorJob(MethodView):
    @_errors
    @blueprint.response(200, SponsorJobOut)
    @blueprint.alt_response(404, response="NOT_FOUND")
    def get(self, job_id: int) -> Job:
        """One of the caller's postings, with its moderation status."""
        return _own(job_id)[0]

    @_errors
    @blueprint.arguments(SponsorJobPatch(partial=True))
    @blueprint.response(200, SponsorJobOut)
    @blueprint.alt_response(404, response="NOT_FOUND")
    @blueprint.alt_response(409, response="CONFLICT")
    @_limited
    @_writes
    def patch(self, changes: dict[str, Any], job_id: int) -> Job:
        """Change some fields; null clears an optional one. The same job is updated in place."""
        _, listing = _own(job_id)
        return _store(postings.update, listing, changes)

    @_errors
    @blueprint.response(200, SponsorJobOut)
    @blueprint.alt_response(404, response="NOT_FOUND")
    @blueprint.alt_response(409, response="CONFLICT")
    @_limited
    @_writes
    def delete(self, job_id: int) -> Job:
        """Close the posting (filled or withdrawn); closing it again changes nothing."""
        job, _ = _own(job_id)
        try:
            postings.close(job)
        except postings.PostingConflict as exc:
            raise Conflict(str(exc)) from exc
        db_session().commit()
        return job


@blueprint.route("/jobs/<row_id:job_id>/featured")
class SponsorJobFeatured(MethodView):
    @_errors
    @blueprint.arguments(FeatureIn)
    @blueprint.response(200, SponsorJobOut)
    @blueprint.alt_response(404, response="NOT_FOUND")
    @blueprint.alt_response(409, response="CONFLICT")
    @_limited
    @_writes
    def put(self, feature: dict[str, Any], job_id: int) -> Job:
        """Feature the job until the end of a day: it leads the board, the feeds and the
        newsletter. At most your quota of jobs is featured at a time (409 past it); a
        featured job may change its day."""
        job, _ = _own(job_id)
        try:
            featuring.feature_own(db_session(), g.sponsor, job, feature["until"])
        except featuring.FeaturingRefused as exc:
            db_session().rollback()
            raise Conflict(str(exc)) from exc
        db_session().commit()
        return job

    @_errors
    @blueprint.response(200, SponsorJobOut)
    @blueprint.alt_response(404, response="NOT_FOUND")
    @_limited
    @_writes
    def delete(self, job_id: int) -> Job:
        """End the job's featured placement now, freeing it for another of your jobs."""
        job, _ = _own(job_id)
        if job.featured_until is not None:
            lifecycle.feature_until(job, None)
            db_session().commit()
        return job
