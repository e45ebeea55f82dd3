"""Unbound extension objects; create_app binds them to the app in register_extensions.

`per_app` keeps this worker's own state objects (the catalog version, the facet index,
page views) beside them, one of each per app.
"""

from collections.abc import Callable
from typing import TypeVar

from flask import current_app, request
from flask_cors import CORS
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_smorest import Api
from flask_wtf import CSRFProtect

limiter = Limiter(key_func=get_remote_address, default_limits=[])


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
