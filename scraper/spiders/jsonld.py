"""Any HTML page with schema.org JobPosting JSON-LD, read with extruct.

The source URL is a posting page, a page with several postings (an `@graph` or
nested items), or a careers page whose `ItemList` links to posting pages, which
are then fetched too. Postings whose `validThrough` has passed are dropped by the
pipeline. Unlike the API kinds, these are web pages: robots.txt is obeyed, and a relative
link (a posting's `url`, an ItemList entry, a logo) is read against the page. A posting
offered in several places lists a Place for each in `jobLocation`; the first is its primary
one, whose country is the job's.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import scrapy
from extruct.jsonld import JsonLdExtractor
from scrapy import Selector
from scrapy.http import Response, TextResponse
from scrapy.utils.response import get_base_url

from models.normalize import join_places
from models.schemas import stable_hash
from scraper.items import RawPosting
from scraper.spiders.base import (
    SourceSpider,
    first,
    identifier,
    listed,
    place_named,
    text_of,
)

JSONLD = JsonLdExtractor()


class JsonLdSpider(SourceSpider):
    name = "jsonld"
    custom_settings = {"ROBOTSTXT_OBEY": True}
    accept_headers = {"Accept": "text/html,application/xhtml+xml"}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # The careers page, as given and as answered (after redirects).
        self.listing_urls = {urldefrag(self.source_url).url}
        # Each posting key yielded so far -> the page and digest of its posting.
        self.keys_taken: dict[str, tuple[str, str]] = {}

    def parse_listing(self, response: Response) -> Iterator[RawPosting | scrapy.Request]:
        self.listing_urls.add(urldefrag(response.url).url)
        found = self.structured_data(response)
        if found is None:
            return
        postings, links, empty_list = found
        if not postings and not links and not empty_list:
            self.report.failures.append(f"no JobPosting or ItemList JSON-LD on {response.url}")
            return
        self.report.listed += 1
        yield from self.job_postings(postings, response)
        for url in self.linked_pages(response, links):
            yield self.request(url, self.parse_page)

    def linked_pages(self, response: Response, links: list[str]) -> list[str]:
        """The pages an ItemList links to, each once, never the listing page itself, and no
        more than JOBBOARD_MAX_LINKED_PAGES (a note says so: the rest were not read).

        Read as a posting page, the listing (an "All openings" entry) has no posting of
        its own: noted as a failure, it kept every run of the board partial.
        """
        pages = dict.fromkeys(urldefrag(response.urljoin(url)).url for url in links)
        linked = [url for url in pages if url not in self.listing_urls and _is_web_page(url)]
        most = self.settings.getint("JOBBOARD_MAX_LINKED_PAGES")
        if len(linked) > most:
            self.report.failures.append(
                f"{response.url} links {len(linked)} posting pages: read the first {most}"
            )
        return linked[:most]

    def parse_page(self, response: Response) -> Iterator[RawPosting]:
        found = self.structured_data(response)
        if found is None:
            return
        if not found[0]:
            self.report.failures.append(f"no JobPosting JSON-LD on {response.url}")
        yield from self.job_postings(found[0], response)

    def structured_data(self, response: Response) -> tuple[list[dict], list[str], bool] | None:
        """JobPosting nodes and ItemList links of an HTML page, and whether an ItemList on it
        lists nothing (a board with no openings); None, noted, if it is not HTML or all its
        JSON-LD is malformed (that note says why, not a second "no JobPosting")."""
        if not isinstance(response, TextResponse):
            self.report.failures.append(f"not an HTML page: {response.url}")
            return None
        data = self.json_ld(response)
        if data is None:
            return None
        postings: list[dict] = []
        links: list[str] = []
        lists: list[dict] = []
        _walk(data, postings, links, lists)
        return postings, links, any(map(_lists_nothing, lists))

    def json_ld(self, response: TextResponse) -> list[Any] | None:
        """The page's JSON-LD, read block by block; None if what it has is all malformed.

        extruct reads a page's blocks at once and raises on the first that is not JSON,
        which lost the postings of every other block. A malformed block is noted (it may
        have held a posting), an empty one holds nothing.
        """
        data: list[Any] = []
        malformed = False
        page = Selector(text=response.text, type="html")  # also a page served as JSON
        for block in page.xpath('//script[@type="application/ld+json"]'):
            script = block.xpath("string()").get("")
            if not script.strip():
                continue
            try:
                data.extend(JSONLD.extract_items(block.root, base_url=response.url))
            except ValueError as exc:  # extruct's reader raises on a block that is not JSON
                try:
                    data.extend(_unwrapped_items(script))
                except ValueError:
                    self.report.failures.append(f"malformed JSON-LD on {response.url}: {exc}")
                    malformed = True
        return None if malformed and not data else data

    def job_postings(self, nodes: list[dict[str, Any]], page: Response) -> Iterator[RawPosting]:
        """The page's postings, each under its own key.

        A posting is keyed by its identifier, else its url, else the page's. Several on one
        page with neither would share the page's key, and ingest keeps one posting per key:
        those get their title and place appended, so none overwrites another. A url naming
        the careers page, on a page it links to, is a site's template giving every posting
        that url: such a posting is keyed by its own page. Links are read as the page means
        them (relative to it, or to its `<base href>`).
        """
        page_url = page.url
        base = get_base_url(page) if isinstance(page, TextResponse) else page_url
        linked = urldefrag(page_url).url not in self.listing_urls
        keys = [
            _identifier(first(node.get("identifier")))
            or self.own_url(node, base, linked)
            or page_url
            for node in nodes
        ]
        shared = {key for key, count in Counter(keys).items() if count > 1}
        keyed = [
            (node, f"{key}#{_digest(node)}" if key in shared else key)
            for node, key in zip(nodes, keys, strict=True)
        ]

        def to_posting(pair: tuple[dict[str, Any], str]) -> RawPosting:
            return self.job_posting(*pair, page_url, base)

        yield from self.readable(self.unshared(keyed, page_url), to_posting, page_url)

    def own_url(self, node: dict[str, Any], base: str, linked: bool) -> str | None:
        """The posting's url, unless a linked page's posting names the careers page with it."""
        url = _url(node, base)
        return None if linked and url and urldefrag(url).url in self.listing_urls else url

    def unshared(
        self, keyed: list[tuple[dict[str, Any], str]], page_url: str
    ) -> Iterator[tuple[dict[str, Any], str]]:
        """The page's postings, but for one whose key another posting took on another page.

        A site may give every posting page one identifier: ingest keeps one posting per
        key, so the others were lost and, the run clean, their jobs closed. The second
        posting under a key is noted instead (the run is partial); the same posting
        linked twice is no conflict.
        """
        for node, key in keyed:
            digest = _digest(node)
            page, taken = self.keys_taken.setdefault(key, (page_url, digest))
            if page != page_url and taken != digest:
                self.unread(
                    page_url, f"its posting shares the key {key!r} with another posting, on {page}"
                )
                continue
            yield node, key

    def job_posting(
        self, node: dict[str, Any], external_id: str, page_url: str, base: str
    ) -> RawPosting:
        organization = first(node.get("hiringOrganization"))
        organization = organization if isinstance(organization, dict) else {}
        addresses = [_address(place) for place in listed(node.get("jobLocation"))]
        remote = "remote" if "TELECOMMUTE" in str(node.get("jobLocationType", "")).upper() else None
        url = _url(node, base) or page_url
        return self.posting(
            node,
            external_id=external_id,
            title=node.get("title"),
            url=url,
            apply_url=url,
            location=join_places(map(_address_text, addresses), remote=remote),
            country=addresses[0].get("country") if addresses else None,
            remote=remote,
            remote_note=_applicant_locations(node.get("applicantLocationRequirements")),
            employment_type=text_of(first(node.get("employmentType"))),
            description_html=_html(node.get("description")),
            posted_at=node.get("datePosted"),
            valid_through=node.get("validThrough"),
            company_website=_absolute(base, first(organization.get("sameAs")))
            or _absolute(base, organization.get("url")),
            company_logo_url=_absolute(base, _logo(organization.get("logo"))),
            **_salary(first(node.get("baseSalary"))),
        )


# What some pages wrap a JSON-LD block in: a byte order mark (from a template file), an HTML
# comment or a CDATA section (`<!-- ... -->`, `//<![CDATA[ ... //]]>`), a closing semicolon.
_OPENING = re.compile(r"^\s*(?://\s*)?(?:<!--|<!\[CDATA\[)")
_CLOSINGS = ("-->", "]]>")


def _unwrapped_items(script: str) -> list[Any]:
    """The items of a JSON-LD block once unwrapped; ValueError if it is still no JSON."""
    text = _OPENING.sub("", script.strip().lstrip("\ufeff"), count=1).rstrip().rstrip(";")
    for closing in _CLOSINGS:
        if text.endswith(closing):
            text = text.removesuffix(closing).rstrip().removesuffix("//").rstrip().rstrip(";")
    data = json.loads(text, strict=False)
    return [item for item in (data if isinstance(data, list) else [data]) if item]


def _digest(node: dict[str, Any]) -> str:
    """A short, stable name for a posting from what tells it apart on its page."""
    return stable_hash([node.get("title"), node.get("jobLocation")])[:12]


def _types(node: dict[str, Any]) -> set[str]:
    kinds = node.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return {str(kind).rsplit("/", 1)[-1] for kind in kinds if kind}


def _walk(value: Any, postings: list[dict], links: list[str], lists: list[dict]) -> None:
    """Collect JobPosting nodes anywhere in the JSON-LD, ItemLists, and links of their entries."""
    if isinstance(value, list):
        for element in value:
            _walk(element, postings, links, lists)
        return
    if not isinstance(value, dict):
        return
    if "JobPosting" in _types(value):
        postings.append(value)
        return
    if "ListItem" in _types(value) and (link := _linked_page(value)):
        links.append(link)
        return
    if "ItemList" in _types(value):
        lists.append(value)
    for key in ("@graph", "itemListElement", "item", "mainEntity"):
        _walk(value.get(key), postings, links, lists)


def _lists_nothing(item_list: dict[str, Any]) -> bool:
    """An ItemList that says it is empty: no entries, or none counted and none given."""
    entries = item_list.get("itemListElement")
    return entries == [] or (entries is None and item_list.get("numberOfItems") in (0, "0"))


def _linked_page(item: dict[str, Any]) -> str | None:
    """The page a ListItem points to, unless it holds its posting itself: its `url`, an
    `item` given as a URL, or an `item` that only names a page (`{"@id": ...}`)."""
    target = item.get("item")
    if target is None:
        return text_of(item.get("url"))
    if isinstance(target, str):
        return text_of(target)
    if isinstance(target, dict) and "JobPosting" not in _types(target):
        return text_of(target.get("url")) or text_of(target.get("@id"))
    return None


def _is_web_page(url: str) -> bool:
    """An entry may be a `mailto:` (apply by e-mail): only web pages are fetched."""
    return urlsplit(url).scheme in ("http", "https")


def _identifier(value: Any) -> str | None:
    """A schema.org identifier: text, a number, or a PropertyValue that holds one."""
    return identifier(value.get("value") if isinstance(value, dict) else value)


def _url(node: dict[str, Any], base: str) -> str | None:
    """The posting's own page; JSON-LD lets any property repeat, so it may come as a list."""
    return _absolute(base, first(node.get("url")))


def _absolute(base: str, value: Any) -> str | None:
    """A link as the page means it: "/careers/rd-1" is on the page's site, as a browser reads
    it (taken as written, it was no http(s) URL and its posting was rejected)."""
    link = text_of(value)
    return urljoin(base, link.strip()) if link else None


def _address(place: Any) -> dict[str, str | None]:
    address = first(place.get("address")) if isinstance(place, dict) else None
    if isinstance(address, str):
        return {"locality": address}
    if not isinstance(address, dict):
        return {}
    country = address.get("addressCountry")
    country = country.get("name") if isinstance(country, dict) else country
    return {
        "locality": text_of(address.get("addressLocality")),
        "region": text_of(address.get("addressRegion")),
        "country": text_of(country),
    }


def _address_text(address: dict[str, str | None]) -> str | None:
    """One place as "Locality, Region, Country", from what its address gives."""
    return place_named(address.get("locality"), address.get("region"), address.get("country"))


def _applicant_locations(value: Any) -> str | None:
    values = value if isinstance(value, list) else [value]
    names = [v.get("name") if isinstance(v, dict) else v for v in values]
    return ", ".join(name for name in names if text_of(name)) or None


def _html(value: Any) -> str | None:
    """Descriptions are HTML; some sites entity-escape it once more, which we undo once."""
    if not isinstance(value, str):
        return None
    return html.unescape(value) if "<" not in value and "&lt;" in value else value


def _logo(value: Any) -> str | None:
    return text_of(value.get("url")) if isinstance(value, dict) else text_of(value)


def _salary(value: Any) -> dict[str, Any]:
    """schema.org MonetaryAmount: a currency and a QuantitativeValue (or a bare number)."""
    if not isinstance(value, dict):
        return {}
    amount = value.get("value")
    if isinstance(amount, dict):
        low = amount.get("minValue", amount.get("value"))
        high = amount.get("maxValue", amount.get("value"))
        period = amount.get("unitText")
    else:
        low = high = amount
        period = None
    unit = {"salary_currency": text_of(value.get("currency")), "salary_period": text_of(period)}
    if isinstance(low, str) or isinstance(high, str):
        # Page authors write "100k" or "$150,000" where a number belongs: the salary parser
        # reads such text, where a number field would reject the whole posting.
        bounds = dict.fromkeys(str(bound) for bound in (low, high) if bound is not None)
        return unit | {"salary": " - ".join(bounds)}
    return unit | {"salary_min": low, "salary_max": high}
