"""Clear answers for every error: JSON under /api, a short page elsewhere, never a traceback."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import BadRequest, HTTPException, ServiceUnavailable

from models.pagination import InvalidCursor


def init_app(app: Flask) -> None:
    app.before_request(_refuse_nul)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(InvalidCursor, _invalid_cursor)
    app.register_error_handler(OperationalError, _database_down)


# Read by programs, not people: their errors name the bad field in JSON, like the API's.
_MACHINE_PATHS = ("/api/", "/feed.", "/newsletter/")


def _wants_json() -> bool:
    return (
        request.path.startswith(_MACHINE_PATHS)
        or request.accept_mimetypes.best == "application/json"
    )


def _render(status: int, title: str, message: str, errors: dict | None = None):
    if _wants_json():
        body = {"code": status, "status": title, "message": message}
        if errors:
            body["errors"] = errors
        return jsonify(body), status
    return render_template("error.html", status=status, title=title, message=message), status


def _refuse_nul() -> None:
    """NUL is in no path or form field of ours, and PostgreSQL cannot compare it: refuse it here.

    Query parameters are checked by their schemas, which name the field (422).
    """
    if "\x00" in request.path:
        raise BadRequest("The request contains a NUL character.")
    if request.method in ("GET", "HEAD", "OPTIONS"):  # no form to read
        return
    if any("\x00" in value for values in request.form.listvalues() for value in values):
        raise BadRequest("The request contains a NUL character.")


def _http_error(exc: HTTPException):
    errors = (getattr(exc, "data", None) or {}).get("messages")
    response = _render(exc.code or 500, exc.name, exc.description or exc.name, errors)
    if exc.code == 405 and exc.valid_methods:
        return response[0], response[1], {"Allow": ", ".join(exc.valid_methods)}
    return response


def _invalid_cursor(exc: InvalidCursor):
    return _render(400, "Bad Request", str(exc), {"cursor": [str(exc)]})


def _database_down(exc: OperationalError):
    message = "The database is unreachable or busy; please retry shortly."
    return _http_error(ServiceUnavailable(message))
