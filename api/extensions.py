"""Unbound extension objects; create_app binds them to the app in register_extensions."""

from flask_cors import CORS
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_smorest import Api
from flask_wtf import CSRFProtect

limiter = Limiter(key_func=get_remote_address, default_limits=[])
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
