"""Behind a reverse proxy, take the client's address and scheme from its X-Forwarded-* headers.

Only as many hops as JOBBOARD_PROXY_HOPS are trusted, so a client cannot forge its
address: rate limits are per client, and behind nginx every request would otherwise
come from the proxy's own address and share one limit.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def init_app(app: Flask) -> None:
    hops = app.config["PROXY_HOPS"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
