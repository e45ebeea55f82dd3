"""Unbound extension objects; create_app binds them to the app in register_extensions."""

from flask import request
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
