"""flask-smorest's Blueprint with our webargs parser: it remembers query strings it parsed,
refuses query values that are no UTF-8, and bodies that are not JSON, or nested too deeply or
holding numbers too long to decode.

Feed and API readers repeat the same few query strings, and parsing one through webargs
and marshmallow costs more than serving its remembered answer. Query arguments here
depend on nothing but the query string, so a successful parse is kept per schema and
query string (bounded); a rejected one is parsed, and rejected, anew each time.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any
from urllib.parse import parse_qsl

import flask_smorest
from flask import request
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request

QUERY_LOCATIONS = ("query", "querystring")
NOT_JSON = "Send the body as JSON, with Content-Type: application/json."
NOT_UTF8 = "Not valid UTF-8 text."


class ArgumentsParser(FlaskParser):
    MAX_ENTRIES = 1024

    def __init__(self) -> None:
        super().__init__()
        self._parsed: OrderedDict[tuple[int, bytes], dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def parse(self, argmap: Any, req: Any = None, *, location: str | None = None, **kwargs: Any):
        if location not in QUERY_LOCATIONS:
            return super().parse(argmap, req, location=location, **kwargs)
        key = (id(argmap), request.query_string)
        with self._lock:
            parsed = self._parsed.get(key)
        if parsed is None:
            undecodable = not_utf8(request.query_string, parameter_names(argmap))
            if undecodable:
                flask_smorest.abort(422, messages={"query": undecodable})
            parsed = super().parse(argmap, req, location=location, **kwargs)
            with self._lock:
                self._parsed[key] = parsed
                while len(self._parsed) > self.MAX_ENTRIES:
                    self._parsed.popitem(last=False)
        return dict(parsed)

    def _raw_load_json(self, req: Any) -> Any:
        """A body that is not JSON is a 415, not fields reported missing; a body of ~1,000
        nested arrays exhausts json's recursion, and an integer of over 4,300 digits is
        more than Python converts (ValueError): each a 400 like any bad JSON."""
        if not is_json_request(req):
            if req.mimetype or req.content_length:  # a body, in another format
                flask_smorest.abort(415, messages={"json": [NOT_JSON]})
            return core.missing
        try:
            return super()._raw_load_json(req)
        except (RecursionError, ValueError) as exc:  # JSONDecodeError is a ValueError too
            self._handle_invalid_json_error(exc, req)  # type: ignore[arg-type]


def parameter_names(argmap: Any) -> set[str]:
    fields = getattr(argmap, "fields", {})
    return {field.data_key or name for name, field in fields.items()}


def not_utf8(query: bytes, names: set[str]) -> dict[str, list[str]]:
    """The parameters among `names` whose percent-encoded bytes are no UTF-8 (a Latin-1
    client's "M%FCnchen"). Werkzeug keeps such bytes as the text "%FC", which no job
    matches: the answer would be empty instead of saying why, as the CLI does."""
    pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True, encoding="latin-1")
    return {name: [NOT_UTF8] for name, value in pairs if name in names and not _utf8(value)}


def _utf8(text: str) -> bool:
    """Whether the bytes held one per character (as Latin-1 decoded them) are UTF-8."""
    try:
        text.encode("latin-1").decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = ArgumentsParser()
