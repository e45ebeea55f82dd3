"""GET /feed.json (JSON Feed 1.1) and /feed.atom (Atom 1.0): the API's filters as feeds."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from flask import Response, current_app, jsonify, request

from api import atom, conditional
from api.arguments import Blueprint
from api.jsonfeed import JsonFeedOut, json_feed_out
from api.schemas import ApiJobQueryArgs, job_query_args, to_filters
from models.pagination import Page

blueprint = Blueprint(
    "syndication", __name__, description="The same jobs as feeds, for readers and the newsletter."
)
TITLE = "AI jobs · jobboard"
DESCRIPTION = "Published AI jobs, featured first, then newest."
# The board's own filters: a feed narrowed by them describes the board narrowed the same way.
BOARD_FILTERS = frozenset(job_query_args.fields) - {"cursor"}


@blueprint.route("/feed.json")
@blueprint.arguments(ApiJobQueryArgs(), location="query", as_kwargs=True)
@blueprint.response(
    200, JsonFeedOut, content_type="application/feed+json", headers=conditional.HEADERS_DOC
)
@blueprint.alt_response(304, **conditional.NOT_MODIFIED_DOC)
@blueprint.alt_response(400, response="BAD_REQUEST")
def json_feed(**args: Any) -> Response:
    """JSON Feed 1.1; each item's `_jobboard` holds the board data and the tracked apply link."""
    return conditional.answer(
        to_filters(args), limit=args["limit"], cursor=args.get("cursor"), render=_json_feed
    )


def _json_feed(page: Page) -> Response:
    response = jsonify(json_feed_out.dump(_links(page.next_cursor) | {"items": page.items}))
    response.mimetype = "application/feed+json"
    return response


@blueprint.route("/feed.atom")
@blueprint.arguments(ApiJobQueryArgs(), location="query", as_kwargs=True)
@blueprint.response(
    200,
    {"type": "string"},
    content_type="application/atom+xml",
    description="Atom 1.0; the next page is the feed's rel=next link.",
    headers=conditional.HEADERS_DOC,
)
@blueprint.alt_response(304, **conditional.NOT_MODIFIED_DOC)
@blueprint.alt_response(400, response="BAD_REQUEST")
def atom_feed(**args: Any) -> Response:
    """Atom 1.0, one entry a job, paged by rel="next" links."""
    return conditional.dated_answer(
        to_filters(args), limit=args["limit"], cursor=args.get("cursor"), render=_atom_feed
    )


def _atom_feed(page: Page, catalog_changed_at: datetime | None) -> Response:
    body = atom.render(
        page.items, links=_links(page.next_cursor), catalog_changed_at=catalog_changed_at
    )
    return Response(body, mimetype="application/atom+xml")


def _links(next_cursor: str | None) -> dict[str, str]:
    """The feed's URL (its filters, no cursor: its first page), this page's, the board's with
    the same filters (what a reader opens as the feed's web page), and the next page's."""
    base = current_app.config["BASE_URL"]
    query = [(key, value) for key, value in request.args.items(multi=True) if key != "cursor"]
    board = [(key, value) for key, value in query if key in BOARD_FILTERS and value.strip()]
    own = f"{base}{request.path}"

    def page(cursor: str | None) -> str:
        paged = [*query, ("cursor", cursor)] if cursor else query
        return f"{own}?{urlencode(paged)}" if paged else own

    links = {
        "title": TITLE,
        "description": DESCRIPTION,
        "home_page_url": f"{base}/?{urlencode(board)}" if board else f"{base}/",
        "feed_url": page(None),
        "page_url": page(request.args.get("cursor")),
    }
    if next_cursor:
        links["next_url"] = page(next_cursor)
    return links
