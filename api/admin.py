"""Moderation at /admin/: approve, reject, feature, close and edit jobs; see sources and runs.

Every state change is a `models.lifecycle` verb; every page but the login needs
a moderator's session, and every form carries a CSRF token (CSRFProtect).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from api.database import db_session
from api.extensions import limiter
from api.forms import ActionForm, FeatureForm, JobFieldsForm, LoginForm
from models import admin_users, crawl_runs, lifecycle, moderation, sources, sponsors
from models import sponsor_postings as postings
from models.tables import AdminUser, Job, JobStatus, Listing

blueprint = Blueprint("admin", __name__, url_prefix="/admin")
PUBLIC_ENDPOINTS = {"admin.login"}
# A session is a signed cookie: logging out ends every copy of it (a generation count, see
# models.admin_users.end_sessions), and its age is bounded for the copies never logged out.
SESSION_LIFETIME = timedelta(hours=12)
VERBS: dict[str, Callable[[Job], Job]] = {
    # The Approve button carries the version the moderator saw (admin/job.html, jobs.html).
    "publish": lambda job: postings.publish(
        db_session(), job, reviewed=request.form.get("reviewed", "")
    ),
    "reject": lifecycle.reject,
    "close": lifecycle.close,
}


@blueprint.before_request
def _require_moderator():
    """Send anyone without a moderator session to the login, remembering where they were."""
    g.admin = _session_moderator()
    if g.admin is None and request.endpoint not in PUBLIC_ENDPOINTS:
        return redirect(url_for("admin.login", next=request.full_path.rstrip("?")))
    return None


def _session_moderator() -> AdminUser | None:
    """The moderator of a session begun less than SESSION_LIFETIME ago and not logged out
    since, else None."""
    user_id, since = session.get("admin_id"), session.get("admin_since")
    fresh = isinstance(since, int) and time.time() - since <= SESSION_LIFETIME.total_seconds()
    user = admin_users.get(db_session(), user_id) if user_id and fresh else None
    if user is None or session.get("admin_generation") != user.session_generation:
        return None
    return user


@blueprint.after_request
def _private(response):
    response.headers["Cache-Control"] = "no-store"
    return response


def _login_limit() -> str:
    return current_app.config["ADMIN_LOGIN_RATE_LIMIT"]


def _user_limit() -> str:
    return current_app.config["ADMIN_LOGIN_USER_RATE_LIMIT"]


def _username_key() -> str:
    return "admin-login:" + request.form.get("username", "").strip().lower()[:80]


@blueprint.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_user_limit, key_func=_username_key, methods=["POST"])
def login():
    """Password login; a new session on success, so no earlier cookie can ride along."""
    form = LoginForm(next=request.args.get("next", ""))
    status = 200
    if form.validate_on_submit():
        user = admin_users.authenticate(db_session(), form.username.data, form.password.data)
        if user is not None:
            session.clear()
            session["admin_id"] = user.id
            session["admin_since"] = int(time.time())
            session["admin_generation"] = user.session_generation
            return redirect(local_path(form.next.data), code=303)
        form.password.errors = ["Wrong user name or password."]
        status = 401
    elif form.is_submitted():
        status = 422
    return render_template("admin/login.html", form=form), status


def local_path(target: str | None) -> str:
    """`target` when it is a path on this site, else the admin home: no open redirect."""
    home = url_for("admin.jobs")
    if not target or not target.startswith("/") or target.startswith("//"):
        return home
    if any(c == "\\" or ord(c) < 0x21 for c in target):
        return home  # browsers read "/\\host" and "/\t/host" as another host
    parts = urlsplit(target)
    return home if parts.scheme or parts.netloc else target


@blueprint.post("/logout")
def logout():
    """End this moderator's sessions everywhere, copies of this cookie included."""
    admin_users.end_sessions(g.admin)
    db_session().commit()
    session.clear()
    return redirect(url_for("admin.login"), code=303)


@blueprint.get("/")
def jobs():
    """The review queue by default; any status by ?status=."""
    status = request.args.get("status", JobStatus.PENDING)
    if status not in JobStatus.ALL:
        abort(404, description="No such status.")
    return render_template(
        "admin/jobs.html",
        jobs=db_session().scalars(moderation.jobs_with_status(status)).all(),
        status=status,
        counts=dict(db_session().execute(moderation.status_counts()).all()),
        action_form=ActionForm(),
    )


@blueprint.route("/jobs/<row_id:job_id>", methods=["GET", "POST"])
def job(job_id: int):
    """One job: where it came from, the actions open to it, and its editor (sponsor jobs)."""
    job = _job(job_id)
    listing = _sponsor_listing(job)
    form = _editor(job, listing)
    unowned: list[str] = []
    if form is not None and form.validate_on_submit():
        try:
            postings.update(db_session(), listing, form.changes(listing), by_moderator=True)
        except (postings.InvalidPosting, postings.PostingConflict) as exc:
            unowned = form.add_errors(getattr(exc, "messages", {"posting": [str(exc)]}))
        else:
            flash("Saved.")
            return redirect(url_for("admin.job", job_id=job_id), code=303)
    elif form is not None and form.is_submitted():
        unowned = form.check_posting()
    page = _job_page(job, form=form, unowned=unowned)
    return page, (422 if unowned or (form and form.errors) else 200)


def _job_page(
    job: Job,
    *,
    form: JobFieldsForm | None,
    unowned: list[str] | None = None,
    feature_form: FeatureForm | None = None,
) -> str:
    """The job's moderation page; a refused form passed in shows its errors by its fields."""
    return render_template(
        "admin/job.html",
        job=job,
        origins=db_session().execute(moderation.origins(job.id)).all(),
        form=form,
        unowned=unowned or [],
        action_form=ActionForm(),
        feature_form=feature_form or FeatureForm(formdata=None),
    )


@blueprint.post("/jobs/<row_id:job_id>/<verb>")
def change(job_id: int, verb: str):
    """Publish, reject or close through the lifecycle verb of the same name."""
    if verb not in VERBS:
        abort(404, description="No such action.")
    job = _job(job_id)
    try:
        VERBS[verb](job)
    except lifecycle.TransitionError as exc:
        abort(409, description=str(exc))
    db_session().commit()
    flash(f"{job.title}: {job.status}.")
    return redirect(local_path(request.form.get("next")), code=303)


@blueprint.post("/jobs/<row_id:job_id>/feature")
def feature(job_id: int):
    """Feature until the end of the chosen day (UTC); it ends by itself after that."""
    job = _job(job_id)
    form = FeatureForm()
    if not form.validate():
        editor = _editor(job, _sponsor_listing(job), read_request=False)
        return _job_page(job, form=editor, feature_form=form), 422
    try:
        lifecycle.feature_until(job, form.until_datetime())
    except lifecycle.TransitionError as exc:
        abort(409, description=str(exc))
    db_session().commit()
    flash(f"Featured until {form.until.data.isoformat()}.")
    return redirect(url_for("admin.job", job_id=job_id), code=303)


@blueprint.post("/jobs/<row_id:job_id>/unfeature")
def unfeature(job_id: int):
    lifecycle.feature_until(_job(job_id), None)
    db_session().commit()
    flash("No longer featured.")
    return redirect(url_for("admin.job", job_id=job_id), code=303)


def _sponsor_listing(job: Job) -> Listing | None:
    return db_session().scalar(moderation.sponsor_listing(job.id))


def _editor(
    job: Job, listing: Listing | None, *, read_request: bool = True
) -> JobFieldsForm | None:
    """The editor of an open sponsor posting, else None (scraped jobs change at their source).
    Without `read_request` it shows the stored posting, the request being another form's."""
    if listing is None or job.status not in JobStatus.OPEN:
        return None
    return JobFieldsForm.for_listing(listing, read_request=read_request)


def _job(job_id: int) -> Job:
    job = db_session().get(Job, job_id)
    if job is None:
        abort(404, description=f"No job with id {job_id}.")
    return job


@blueprint.get("/sponsors")
def sponsor_list():
    return render_template(
        "admin/sponsors.html",
        sponsors=db_session().scalars(sponsors.all_sponsors()).all(),
        action_form=ActionForm(),
    )


SPONSOR_ACTIONS = {
    "trust": lambda session, sponsor_id: sponsors.set_trusted(session, sponsor_id, True),
    "distrust": lambda session, sponsor_id: sponsors.set_trusted(session, sponsor_id, False),
    "revoke": sponsors.revoke,
}


@blueprint.post("/sponsors/<row_id:sponsor_id>/<action>")
def sponsor_action(sponsor_id: int, action: str):
    """Trust (auto-publish), distrust or revoke a sponsor."""
    if action not in SPONSOR_ACTIONS:
        abort(404, description="No such action.")
    try:
        sponsor = SPONSOR_ACTIONS[action](db_session(), sponsor_id)
    except sponsors.UnknownSponsor as exc:
        abort(404, description=str(exc))
    except sponsors.SponsorError as exc:
        abort(409, description=str(exc))
    db_session().commit()
    flash(f"{sponsor.name}: {action} done.")
    return redirect(url_for("admin.sponsor_list"), code=303)


@blueprint.get("/sources")
def source_list():
    return render_template(
        "admin/sources.html", sources=db_session().scalars(sources.all_sources()).all()
    )


@blueprint.get("/runs")
def run_list():
    return render_template(
        "admin/runs.html", runs=db_session().scalars(crawl_runs.recent(100)).all()
    )
