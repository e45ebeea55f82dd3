"""The sponsor's web form (GET/POST /post) and secret manage page (/manage/<token>)."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from api import seo
from api.database import db_session
from api.extensions import limiter
from api.forms import CloseForm, JobFieldsForm, PostForm
from models import clicks, sponsors
from models import sponsor_postings as postings
from models.tables import Job, JobStatus, Listing

blueprint = Blueprint("sponsors", __name__)


def _post_limit() -> str:
    return current_app.config["SPONSOR_POST_RATE_LIMIT"]


def _form_limit() -> str:
    return current_app.config["SPONSOR_FORM_RATE_LIMIT"]


def _posted(response: Response) -> bool:
    return response.status_code == 303


# Postings stored count against SPONSOR_POST_RATE_LIMIT; previews and corrections only against
# the looser SPONSOR_FORM_RATE_LIMIT, so a sponsor fixing a few mistakes is not turned away.
@blueprint.route("/post", methods=["GET", "POST"])
@limiter.limit(_post_limit, methods=["POST"], scope="post-stored", deduct_when=_posted)
@limiter.limit(_form_limit, methods=["POST"], scope="post-sent")
def post():
    """Fill in, preview, submit: nothing is stored until the whole posting is valid."""
    form = PostForm()
    if not form.is_submitted():
        return _post_page(form)
    if form.is_spam:
        abort(400, description="This submission looks automated and was not accepted.")
    if not form.validate():
        return _post_page(form, unowned=form.check_posting()), 422
    fields = form.job_fields()
    if request.form.get("action") == "preview":
        unowned = form.check_posting()
        if form.errors or unowned:
            return _post_page(form, unowned=unowned), 422
        return _post_page(form, postings.render_markdown(fields["description"]))
    try:
        posted, token = postings.submit_from_form(db_session(), form.email.data, fields)
    except postings.InvalidPosting as exc:
        return _post_page(form, unowned=form.add_errors(exc.messages)), 422
    except postings.PostingConflict as exc:
        return _post_page(form, unowned=[str(exc)]), 409
    session["manage_token"] = token  # shown once on the next page, then dropped
    session["posted_status"] = posted.job.status
    return redirect(url_for("sponsors.submitted"), code=303)


def _post_page(form: PostForm, preview: str | None = None, unowned: list[str] | None = None):
    return render_template("post.html", form=form, preview_html=preview, unowned=unowned or [])


@blueprint.get("/post/submitted")
def submitted():
    """Show the manage link exactly once (Post/Redirect/Get keeps a reload from re-posting)."""
    token = session.pop("manage_token", None)
    if token is None:
        return redirect(url_for("sponsors.post"))
    manage_url = seo.public_url("sponsors.manage", token=token)
    page = render_template(
        "post_submitted.html", manage_url=manage_url, status=session.pop("posted_status", "")
    )
    return _private(Response(page))


# A manage link is a key, as an API token is: its edits and closes share a budget of form
# sends per address (SPONSOR_FORM_RATE_LIMIT), so a leaked or scripted link cannot write
# without end.
_manage_sends = limiter.shared_limit(_form_limit, scope="manage-sent", methods=["POST"])


@blueprint.route("/manage/<token>", methods=["GET", "POST"])
@_manage_sends
def manage(token: str):
    """Edit the posting, see its views and clicks; the token in the URL is the only key."""
    listing, job = _managed(token)
    editable = job.status in JobStatus.OPEN
    form = JobFieldsForm.for_listing(listing)
    unowned: list[str] = []
    status = 200
    if editable and form.validate_on_submit():
        try:
            postings.update(db_session(), listing, form.changes(listing))
        except postings.InvalidPosting as exc:
            unowned, status = form.add_errors(exc.messages), 422
        except postings.PostingConflict as exc:
            unowned, status = [str(exc)], 409
        else:
            flash("Your changes are saved.")
            return redirect(url_for("sponsors.manage", token=token), code=303)
    elif form.is_submitted():
        status = 422 if editable else 409
        unowned = form.check_posting() if editable else []
    return _manage_page(token, job, form, unowned, editable, refused=status >= 400), status


@blueprint.post("/manage/<token>/close")
@_manage_sends
def close(token: str):
    """Withdraw the posting through the shared lifecycle verb, once the sponsor ticked yes."""
    listing, job = _managed(token)  # CSRFProtect has checked the form's token already
    close_form = CloseForm()
    if job.status in JobStatus.OPEN and not close_form.validate():
        form = JobFieldsForm.for_listing(listing, read_request=False)
        return _manage_page(token, job, form, [], True, close_form), 422
    try:
        postings.close(job)
    except postings.PostingConflict as exc:
        abort(409, description=str(exc))
    db_session().commit()
    flash("Your posting is closed.")
    return redirect(url_for("sponsors.manage", token=token), code=303)


def _managed(token: str) -> tuple[Listing, Job]:
    listing = sponsors.listing_by_manage_token(db_session(), token)
    job = listing and db_session().get(Job, listing.job_id)
    if job is None:
        abort(404, description="This manage link is not valid.")
    return listing, job  # type: ignore[return-value]


def _manage_page(
    token: str,
    job: Job,
    form: JobFieldsForm,
    unowned: list[str],
    editable: bool,
    close_form: CloseForm | None = None,
    *,
    refused: bool = False,
):
    counts = clicks.totals_by_via(db_session(), job.id)
    views = counts.pop(clicks.VIEW, 0)
    page = render_template(
        "manage.html",
        token=token,
        job=job,
        form=form,
        job_url=seo.public_url("board.job", slug=job.slug),
        close_form=close_form or CloseForm(formdata=None),
        unowned=unowned,
        editable=editable,
        refused=refused,
        views=views,
        clicks=sum(counts.values()),
    )
    return _private(Response(page))


def _private(response: Response) -> Response:
    """Pages that carry a secret link: never cached, indexed or leaked in a Referer."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
