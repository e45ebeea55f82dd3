"""The seeker's board: the filtered list, job pages, and the 410 page of closed jobs."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import marshmallow as ma
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
)
from flask import url_for as flask_url_for

from api import conditional, display, jsonld
from api.arguments import not_utf8, parameter_names
from api.database import db_session
from api.facet_indexes import LiveFacetIndex
from api.page_views import PageViews
from api.schemas import job_page_url, job_query_args, to_filters
from models import board, config, queries, where
from models.normalize import CURRENCIES
from models.pagination import InvalidCursor
from models.tables import Job
from models.types import utcnow

blueprint = Blueprint("board", __name__)
for _filter in (display.label, display.salary, display.country_name, display.day, where.place):
    blueprint.add_app_template_filter(_filter)
blueprint.add_app_template_test(where.names_one_place, "one_place")

LINK_PARAMS = (
    "q",
    "location",
    "country",
    "remote",
    "type",
    "seniority",
    "company",
    "salary_min",
    "salary_currency",
    "posted_within",
)


# htmx asks for only the results with these; the full page and the results differ by them.
PARTIAL_HEADERS = ("HX-Request", "HX-History-Restore-Request")

FIELD_LABELS = {
    "q": "Search",
    "location": "Location",
    "country": "Country",
    "remote": "Work setup",
    "type": "Job type",
    "seniority": "Seniority",
    "tag": "Tags",
    "company": "Company",
    "salary_min": "Minimum yearly salary",
    "salary_currency": "Salary currency",
    "posted_within": "Posted",
    "sort": "Sort by",
}


# A filter's companion parameter, removed with it.
_WITH = {"salary_min": {"salary_currency": None}}
# Parameters that shape the query but are no filter of their own: not removed one by one,
# nor counted among the filters on.
_NOT_FILTERS = frozenset({"sort", "salary_currency"})


class BoardLinks:
    """URLs of this board query with one thing changed; a changed query starts at page one."""

    def __init__(self, args: dict[str, Any], tags: tuple[str, ...]) -> None:
        self.params = {k: args[k] for k in LINK_PARAMS if k in args}
        if "salary_min" not in args or args.get("salary_currency") == "USD":
            self.params.pop("salary_currency", None)  # says nothing without a salary, or alone
        if args.get("sort", "newest") != "newest":
            self.params["sort"] = args["sort"]
        self.tags = list(tags)

    def url(self, tags: list[str] | None = None, **changes: Any) -> str:
        params = {k: v for k, v in (self.params | changes).items() if v is not None}
        return flask_url_for("board.index", **params, tag=self.tags if tags is None else tags)

    def with_tag(self, tag: str) -> str:
        return self.url(tags=[*self.tags, tag])

    def without_tag(self, tag: str) -> str:
        return self.url(tags=[t for t in self.tags if t != tag])

    def feed_filters(self) -> dict[str, Any]:
        """The filters as the feeds take them: a reader subscribing from this page gets
        its jobs (featured first, then newest, whatever the page's sort)."""
        return {k: v for k, v in self.params.items() if k != "sort"} | {"tag": self.tags}

    def without_each(self) -> list[tuple[str, Any, str]]:
        """(parameter, value, this query without it) per filter set: ways out of an empty page."""
        ways = [
            (k, v, self.url(**{k: None} | _WITH.get(k, {})))
            for k, v in self.params.items()
            if k not in _NOT_FILTERS
        ]
        return ways + [("tag", tag, self.without_tag(tag)) for tag in self.tags]


@blueprint.get("/")
def index() -> Response:
    """Published jobs, filtered by the query string, one keyset page at a time."""
    try:
        return conditional.remembered_page(_results_page, vary=PARTIAL_HEADERS)
    except ma.ValidationError as exc:
        return _board(status=400, errors=_error_lines(exc.normalized_messages()))
    except InvalidCursor as exc:
        broken = ("cursor", "Page", f"this page link is broken ({exc}).", _without("cursor"))
        return _board(status=400, errors=[broken])


def _results_page(catalog: str) -> Response:
    undecodable = not_utf8(request.query_string, parameter_names(job_query_args))
    if undecodable:
        raise ma.ValidationError(undecodable)
    args = job_query_args.load(request.args)
    filters = to_filters(args)
    index = LiveFacetIndex.of_app().at(catalog)
    results = board.search(
        db_session(),
        filters,
        limit=current_app.config["PAGE_SIZE"],
        cursor=args.get("cursor"),
        index=index,
    )
    links = BoardLinks(args, filters.tags)
    canonical_url = current_app.config["BASE_URL"] + links.url(cursor=args.get("cursor"))
    respelt = None if results.total else board.respelling(db_session(), filters, index=index)
    return _board(
        results=results,
        links=links,
        canonical_url=canonical_url,
        feed_filters=links.feed_filters(),
        respelt=respelt and (respelt, links.url(q=respelt)),
    )


def _board(status: int = 200, **context: Any) -> Response:
    """The full page, or only the results when htmx asks (not when it restores history)."""
    partial = request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )
    template = "partials/results.html" if partial else "board.html"
    context.setdefault("errors", [])
    html = render_template(
        template,
        form=request.args,
        now=utcnow(),
        labels=display.LABELS,
        currencies=CURRENCIES,
        filter_names=FIELD_LABELS,
        search_candidates=queries.SEARCH_CANDIDATES,
        active_filters=_active_filters(),
        **context,
    )
    response = make_response(html, status)
    for name in PARTIAL_HEADERS:
        response.vary.add(name)
    return response


def _active_filters() -> int:
    """How many filters the query sets, for the folded filter panel's summary on phones."""
    args = request.args.items(multi=True)
    counted = FIELD_LABELS.keys() - _NOT_FILTERS
    return sum(1 for name, value in args if value and name in counted)


def _error_lines(messages: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(parameter, its label, message, the search without it) per rejected parameter."""
    lines = []
    for name, problems in messages.items():
        flat = problems.values() if isinstance(problems, dict) else [problems]
        text = " ".join(" ".join(p) if isinstance(p, list) else str(p) for p in flat)
        lines.append((name, FIELD_LABELS.get(name, name), text, _without(name)))
    return lines


def _without(name: str) -> str:
    """This board address without one parameter, from its first page: a bad filter's way out."""
    kept = {k: [v for v in request.args.getlist(k) if v] for k in FIELD_LABELS if k != name}
    return flask_url_for("board.index", **{k: v for k, v in kept.items() if v})


MERGE_REDIRECT_MAX_AGE = 86_400


@blueprint.get("/jobs/<slug>")
def job(slug: str) -> Response:
    """A job's page with its JobPosting data; closed or expired jobs answer 410."""
    response = conditional.remembered_page(lambda _catalog: _job_page(slug))
    if response.status_code == 200 and request.method == "GET":
        PageViews.of_app().count(slug, utcnow().date())
    return response


def _job_page(slug: str) -> Response:
    found = seekable_or_404("There is no job at this address.", slug=slug)
    if board.is_gone(found):
        successor = board.successor(db_session(), found)
        if successor is not None:
            # Cached a day, not for good: a merged job reopens when its own listing returns.
            moved = redirect(job_page_url(successor), code=301)
            moved.headers["Cache-Control"] = f"max-age={MERGE_REDIRECT_MAX_AGE}"
            return moved
        return make_response(gone(found))
    posting = jsonld.job_posting(found, url=job_page_url(found), valid_through=_listed_until(found))
    html = render_template("job.html", job=found, jsonld=posting, canonical_url=job_page_url(found))
    return make_response(html)


def seekable_or_404(message: str, **key: str) -> Job:
    """The job by slug or code, or a 404 when there is none or it never was public."""
    found = board.seekable_job(db_session(), **key)
    if found is None:
        abort(404, description=message)
    return found


def gone(job: Job) -> tuple[str, int]:
    """The short 410 page of a closed or expired job, pointing to similar open ones."""
    now = utcnow()
    similar = board.similar_jobs(db_session(), job, now=now)
    return render_template("job_gone.html", job=job, similar=similar, now=now), 410


def _listed_until(job: Job) -> datetime:
    """The posting's own end date, else when the board expires it unless it is seen again."""
    return job.valid_through or job.last_seen_at + timedelta(days=config.stale_days())
