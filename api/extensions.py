"""Unbound extension objects; create_app binds them to the app in register_extensions.

`per_app` keeps this worker's own state objects (the catalog version, the facet index,
page views) beside them, one of each per app.
"""

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, Response, current_app, request
from flask_cors import CORS
from flask_limiter import HeaderNames, Limiter
from flask_limiter.util import get_remote_address
from flask_smorest import Api
from flask_wtf import CSRFProtect

# Where the limiter writes its Retry-After; `_retry_after_on_429_only` moves it to a 429's.
_LIMITER_RETRY_AFTER = "X-Jobboard-Limiter-Retry-After"
limiter = Limiter(
    key_func=get_remote_address,
    default_limits=[],
    header_name_mapping={HeaderNames.RETRY_AFTER: _LIMITER_RETRY_AFTER},
)


def init_limiter(app: Flask) -> None:
    """Bind the limiter, its Retry-After on its 429s only.

    Flask-Limiter (4.x, with RATELIMIT_HEADERS_ENABLED) writes Retry-After on every answer
    of a limited route, a 201 or a 401 as well, and has no setting to keep it to 429s; a
    client or proxy reading it there would back off for nothing. The X-RateLimit-* headers
    (the budget left) stay on every such answer.
    """
    # Flask runs after_request hooks last registered first: this one runs after the limiter's.
    app.after_request(_retry_after_on_429_only)
    limiter.init_app(app)


def _retry_after_on_429_only(response: Response) -> Response:
    wait = response.headers.pop(_LIMITER_RETRY_AFTER, None)
    if wait is not None and response.status_code == 429:
        response.headers["Retry-After"] = wait
    return response


@limiter.request_filter
def _reads_are_never_limited() -> bool:
    """Every limit here guards a write (logins, postings); reads skip the limiter's bookkeeping."""
    return request.method in ("GET", "HEAD", "OPTIONS")


csrf = CSRFProtect()
openapi = Api()
# The read API and feeds are public data: any origin may GET them (the sponsor API stays closed).
cors = CORS(
    resources=[
        r"/api/v1/jobs(/.*)?$",
        r"/feed\.(json|atom)$",
        r"/newsletter/.*",
        r"/openapi\.json$",
    ],
    methods=["GET", "HEAD", "OPTIONS"],
    send_wildcard=True,
    expose_headers=["ETag", "Last-Modified", "Link"],
)


T = TypeVar("T")


def per_app(name: str, build: Callable[[], T]) -> T:
    """The app's one `name` object, built on first use: a worker's state, not a request's."""
    extensions = current_app.extensions
    if name not in extensions:
        extensions[name] = build()
    return extensions[name]
