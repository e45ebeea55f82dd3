"""The newsletter's "Job opportunities" section, rendered ready to paste (Markdown or HTML)."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app

from api import conditional
from api.arguments import Blueprint
from api.schemas import NewsletterArgs, to_filters
from models import newsletter

blueprint = Blueprint(
    "newsletter",
    __name__,
    url_prefix="/newsletter",
    description="The newsletter's jobs section: featured first, then newest, one line a job.",
)
# The Markdown's escapes (\&, \|, \<) are CommonMark's; a bare text/markdown means the
# original Markdown (RFC 7763), which would print their backslashes.
_CONTENT_TYPES = {
    "md": "text/markdown; charset=utf-8; variant=CommonMark",
    "html": "text/html; charset=utf-8",
}


_ARGS = NewsletterArgs()


@blueprint.route("/jobs.md")
@blueprint.arguments(_ARGS, location="query", as_kwargs=True)
@blueprint.response(
    200,
    {"type": "string"},
    content_type="text/markdown",
    description="One Markdown line a job, blank lines between.",
    headers=conditional.HEADERS_DOC,
)
@blueprint.alt_response(304, **conditional.NOT_MODIFIED_DOC)
def jobs_markdown(**args: Any) -> Response:
    """`[**Title @ Company** (Location, remote note)](tracked link)` lines."""
    return _section("md", **args)


@blueprint.route("/jobs.html")
@blueprint.arguments(_ARGS, location="query", as_kwargs=True)
@blueprint.response(
    200,
    {"type": "string"},
    content_type="text/html",
    description="The same lines as an HTML list.",
    headers=conditional.HEADERS_DOC,
)
@blueprint.alt_response(304, **conditional.NOT_MODIFIED_DOC)
def jobs_html(**args: Any) -> Response:
    """The same section as a `<ul>` of links."""
    return _section("html", **args)


def _section(fmt: str, *, limit: int, **args: Any) -> Response:
    return conditional.answer(
        newsletter.section_filters(to_filters(args)),
        limit=limit,
        cursor=None,
        render=lambda page: Response(
            newsletter.render(page.items, current_app.config["BASE_URL"], fmt),
            content_type=_CONTENT_TYPES[fmt],
        ),
    )
