"""GET /docs: Swagger UI over /openapi.json, from vendored assets (no CDN, no inline script)."""

from __future__ import annotations

from flask import Blueprint, render_template

blueprint = Blueprint("docs", __name__)


@blueprint.get("/docs")
def docs() -> str:
    """The API reference a newsletter developer reads; the spec is generated, never hand-written."""
    return render_template("docs.html")
