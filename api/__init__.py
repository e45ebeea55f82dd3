"""The Flask app factory; `create_app` reads like a table of contents."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from api import (
    converters,
    database,
    errors,
    logs,
    metrics,
    proxy,
    security,
    settings,
    static_files,
)
from api.cookie_session import LazyCookieSessionInterface
from api.extensions import cors, csrf, init_limiter, openapi
from api.replay import Replay
from models.config import checkout_path


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the web app; tests pass their own settings instead of patching globals."""
    app = Flask(
        __name__,
        template_folder=str(checkout_path("templates")),
        static_folder=str(checkout_path("static")),
    )
    app.config.update(settings.from_environment())
    app.config.update(config or {})
    app.session_interface = LazyCookieSessionInterface()
    converters.init_app(app)
    register_extensions(app)
    register_blueprints(app)
    errors.init_app(app)
    static_files.init_app(app)
    security.init_app(app)
    logs.init_app(app)
    metrics.init_app(app)
    app.wsgi_app = Replay(app, app.wsgi_app)  # type: ignore[method-assign]
    proxy.init_app(app)  # outermost: the replay sees the client's address
    return app


def register_extensions(app: Flask) -> None:
    database.init_app(app)
    csrf.init_app(app)
    init_limiter(app)
    openapi.init_app(app)
    cors.init_app(app)


def register_blueprints(app: Flask) -> None:
    from api import (
        admin,
        apply,
        board,
        docs,
        feeds,
        health,
        newsletter,
        seo,
        sponsor_api,
        sponsors,
        syndication,
    )

    app.register_blueprint(board.blueprint)
    app.register_blueprint(apply.blueprint)
    app.register_blueprint(seo.blueprint)
    app.register_blueprint(health.blueprint)
    app.register_blueprint(docs.blueprint)
    openapi.register_blueprint(feeds.blueprint)
    openapi.register_blueprint(newsletter.blueprint)
    openapi.register_blueprint(syndication.blueprint)
    app.register_blueprint(sponsors.blueprint)
    app.register_blueprint(admin.blueprint)
    sponsor_api.register(openapi)
