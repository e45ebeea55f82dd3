"""What every spider shares: a source in, raw postings out, failed requests on the run report.

A spider only maps. It reads the listing endpoint of its source, yields one
`RawPosting` per posting, and notes on `self.report` every request that did not
give a usable payload (HTTP error after retries, timeout, DNS failure, refused
address, malformed or unexpected JSON) so the crawl run can tell a clean crawl
from a broken one.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import scrapy
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
)
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.python.failure import Failure
from w3lib.url import add_or_replace_parameters

from models.crawl_runs import RunKey, RunReport
from models.schemas import stable_hash
from scraper.items import RawPosting

MAX_LISTING_PAGES = 1000  # a paged board stops here: 100,000 postings at the usual page size


class SourceSpider(scrapy.Spider):
    """One crawl of one source.

    A subclass sets `name` (the source kind) and maps one posting in `to_posting`;
    a one-payload board only names its `listing_key`, a paged one overrides `start`
    and `parse_listing`.
    """

    name: ClassVar[str]
    listing_key: ClassVar[str | None] = None  # where a listing payload keeps its postings
    # Query parameters without which the API leaves out what `to_posting` maps (Greenhouse's
    # descriptions need content=true): asked for whatever URL the source was added with.
    listing_params: ClassVar[dict[str, str]] = {}
    accept_headers: ClassVar[dict[str, str]] = {"Accept": "application/json"}

    def __init__(
        self,
        *,
        source_id: int,
        run_id: int,
        url: str,
        company: str,
        run_token: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.source_id = int(source_id)
        self.run_key: RunKey = (int(run_id), run_token)  # names the run to models.crawl_runs
        self.source_url = url
        self.company = company
        self.report = RunReport()
        self.paged_items: set[str] = set()  # hashes of the items of the listing pages read

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.listing_request(self.with_params() if self.listing_params else self.source_url)

    def parse_listing(self, response: Response, **kwargs: Any) -> Iterator[RawPosting]:
        """Map every public posting of a board that lists them all in one payload."""
        items = self.objects(self.read_listing(response, self.listing_key) or (), response.url)
        public = (item for item in items if self.is_public(item))
        yield from self.readable(public, self.to_posting, response.url)

    def objects(self, items: Iterable[Any], url: str) -> Iterator[dict[str, Any]]:
        """The listing's entries that are JSON objects; any other is noted as unread.

        A null or a list where a posting should be may stand for an opening the board
        still lists: skipped silently, the run would succeed and close its job.
        """
        for item in items:
            if isinstance(item, dict):
                yield item
            else:
                self.unread(url, f"a {json_type(item)}, not a posting object")

    def readable(
        self, items: Iterable[Any], to_posting: Callable[[Any], RawPosting], url: str
    ) -> Iterator[RawPosting]:
        """Each item mapped; one in a shape the mapping cannot read is noted and skipped.

        The note keeps the run from succeeding (an unread posting must not look absent),
        and the board's other postings are still taken in.
        """
        for item in items:
            try:
                posting = to_posting(item)
            except (AttributeError, KeyError, TypeError, ValueError) as exc:
                self.unread(url, f"{type(exc).__name__}: {exc}")
                continue
            if posting.get("external_id") is None:
                self.without_id(url, posting.get("title"))
                continue
            yield posting

    def without_id(self, url: str, title: Any) -> None:
        """Note a posting with no usable id: its listing cannot be told seen.

        Rejected by ingest instead, it would leave the run clean, and the run would close
        the job of the very opening the board still lists.
        """
        self.unread(url, f"no id (title {title!r})")

    def unread(self, url: str, why: str) -> None:
        """Note a posting the crawl could not read: the run is then partial, closing nothing."""
        self.report.failures.append(f"could not read a posting on {url}: {why}"[:500])

    def is_public(self, item: dict[str, Any]) -> bool:
        return True

    def to_posting(self, item: dict[str, Any]) -> RawPosting:
        raise NotImplementedError

    def listing_request(self, url: str, **cb_kwargs: Any) -> scrapy.Request:
        """A request for a page of the board's listing: its failure makes the run unclean."""
        return self.request(url, self.parse_listing, **cb_kwargs)

    def request(self, url: str, callback: Callable[..., Any], **cb_kwargs: Any) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.request_failed,
            cb_kwargs=cb_kwargs,
            headers=self.accept_headers,
            dont_filter=True,
        )

    def request_failed(self, failure: Failure) -> None:
        self.report.failures.append(describe_failure(failure))

    def read_json(self, response: Response, shape: type) -> Any | None:
        """The response's JSON if it has the expected top-level shape, else None (and a failure)."""
        try:
            payload = _loads(response)
        except ValueError as exc:
            kind = response.headers.get("Content-Type", b"no Content-Type").decode("latin-1")
            self.report.failures.append(f"malformed JSON from {response.url} ({kind}): {exc}")
            return None
        if not isinstance(payload, shape):
            expected = "an object" if shape is dict else "a list"
            self.report.failures.append(
                f"unexpected payload from {response.url}: {json_type(payload)}, not {expected}"
            )
            return None
        return payload

    def read_listing(self, response: Response, key: str | None = None) -> list[Any] | None:
        """The list of postings of a listing page (a bare array, or `payload[key]`)."""
        payload = self.read_json(response, dict if key else list)
        return None if payload is None else self.listing_items(response, payload, key)

    def listing_items(self, response: Response, payload: Any, key: str | None) -> list[Any] | None:
        """Count a listing page as read if it holds its list of postings; else note a failure."""
        items = payload.get(key) if key else payload
        if not isinstance(items, list):
            self.report.failures.append(f"unexpected payload from {response.url}: no {key!r} list")
            return None
        self.report.listed += 1
        return items

    def next_page_wanted(self, response: Response, items: list[Any]) -> bool:
        """Whether a full listing page may ask for the next one.

        Not when it lists only items earlier pages did (a board, or a cache in front of
        it, that ignores the page offset answers page one to every offset, forever), nor
        past MAX_LISTING_PAGES. Either is noted: the postings further on were never
        reached, so the run must not close them.
        """
        hashes = {stable_hash(item) for item in items}
        repeated = hashes <= self.paged_items
        self.paged_items |= hashes
        if repeated:
            problem = f"{response.url} lists only postings of earlier pages"
        elif self.report.listed >= MAX_LISTING_PAGES:
            problem = f"{MAX_LISTING_PAGES} listing pages read, the last {response.url}"
        else:
            return True
        self.report.failures.append(f"stopped paging: {problem}")
        return False

    def posting(self, raw: dict[str, Any], **fields: Any) -> RawPosting:
        """A raw posting of this source's company, keeping the ATS item as it came."""
        return RawPosting(company=self.company, raw=raw, **fields)  # type: ignore[typeddict-item]

    def query_int(self, name: str, default: int) -> int:
        """An integer query parameter of the source URL (e.g. a page size), or the default."""
        values = parse_qs(urlsplit(self.source_url).query).get(name)
        try:
            return max(1, int(values[0])) if values else default
        except ValueError:
            return default

    def with_params(self, **params: Any) -> str:
        """The source URL with the `listing_params` and these parameters set."""
        values = self.listing_params | {k: str(v) for k, v in params.items()}
        return add_or_replace_parameters(self.source_url, values)


def _loads(response: Response) -> Any:
    """The body's JSON. json.loads reads the UTF encodings of the bytes itself; a board that
    sends another charset, and says so (a Latin-1 `charset=iso-8859-1`), is read in it."""
    try:
        return json.loads(response.body, parse_int=_integer)
    except UnicodeDecodeError:
        if not isinstance(response, TextResponse):
            raise
        return json.loads(response.text, parse_int=_integer)


def _integer(digits: str) -> int | None:
    """A JSON integer; one longer than Python reads (4,300 digits by default) means nothing
    and is null, instead of failing the whole board with every other posting on it."""
    try:
        return int(digits)
    except ValueError:
        return None


def describe_failure(failure: Failure) -> str:
    """One line for the run's errors: what failed, and where."""
    request = getattr(failure, "request", None)
    error = failure.value
    if failure.check(HttpError):
        response = error.response
        return f"HTTP {response.status} from {response.url}"
    url = request.url if request is not None else "?"
    if failure.check(CannotResolveHostError, DNSLookupError):
        return f"DNS lookup failed for {url}"
    if failure.check(DownloadTimeoutError, TimeoutError, TCPTimedOutError):
        return f"timed out fetching {url}"
    if failure.check(DownloadConnectionRefusedError, ConnectionRefusedError):
        return f"connection refused by {url}"
    return f"{type(error).__name__} fetching {url}: {failure.getErrorMessage()}"


def json_type(value: Any) -> str:
    """What a JSON value is, in JSON's words (for run errors)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return {str: "string", list: "list", dict: "object"}.get(type(value), type(value).__name__)


def identifier(value: Any) -> str | None:
    """An ATS id as text: a string or an integer; anything else (null, an object, true) is none."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return text_of(value)


def flag(value: Any, *, default: bool = False) -> bool:
    """A yes/no field: a JSON boolean, 1 or 0, or its text ("false", "True"), which some boards
    send; anything else (null, absent) is the default. Truthiness would read "false" as yes."""
    if isinstance(value, bool | int) and value in (0, 1):
        return bool(value)
    text = value.strip().lower() if isinstance(value, str) else None
    return text == "true" if text in ("true", "false") else default


def first(value: Any) -> Any:
    """The first element of a list, the value itself otherwise (APIs mix both)."""
    if isinstance(value, list):
        return value[0] if value else None
    return value


def listed(value: Any) -> list[Any]:
    """A field that may repeat, as a list: a list as it came, a lone value as one, null as
    none (JSON-LD lets any property repeat, and APIs send one where a list belongs)."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def place_named(*parts: Any) -> str | None:
    """A place as "City, Region, Country" from the parts an ATS gives as text; a region named
    as its city ("Berlin, Berlin") said once."""
    return ", ".join(dict.fromkeys(filter(None, map(text_of, parts)))) or None


def text_of(value: Any) -> str | None:
    """A string field, or None for anything else (numbers, dicts, empty text)."""
    return value if isinstance(value, str) and value.strip() else None
