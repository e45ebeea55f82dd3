"""robots.txt and the sitemaps of open jobs, so search engines find every opening."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime

from flask import Blueprint, Response, abort, current_app, url_for

from api.database import db_session
from models import board

blueprint = Blueprint("seo", __name__)

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
PART_SIZE = 50_000  # the sitemap protocol's limit of URLs per file
LAST_PART = 2**31 // PART_SIZE  # job ids are 32-bit integers
HOME_PART = 0  # the part that lists the board's home page, so the index always lists it
ROBOTS_DISALLOW = ("/j/", "/admin/", "/manage/", "/api/", "/post")


@blueprint.get("/robots.txt")
def robots() -> Response:
    """Crawl the board and job pages; skip tracked redirects, private areas and the API."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    lines.append(f"Sitemap: {public_url('seo.sitemap_index')}")
    return Response("\n".join(lines) + "\n", mimetype="text/plain")


@blueprint.get("/sitemap.xml")
def sitemap_index() -> Response:
    """An index of the job sitemaps: one file per id range of 50,000 jobs."""
    root = ET.Element("sitemapindex", xmlns=SITEMAP_NS)
    parts = board.sitemap_parts(db_session(), PART_SIZE)
    if not parts or parts[0][0] != HOME_PART:
        parts.insert(0, (HOME_PART, None))
    for number, changed in parts:
        entry = ET.SubElement(root, "sitemap")
        ET.SubElement(entry, "loc").text = public_url("seo.sitemap_part", number=number)
        if changed is not None:
            ET.SubElement(entry, "lastmod").text = _w3c(changed)
    return _xml(root)


@blueprint.get("/sitemap-jobs-<canonical_int:number>.xml")
def sitemap_part(number: int) -> Response:
    """The board's home page and the open jobs of one id range; 404 unless the index lists it."""
    if number > LAST_PART:
        abort(404, description="There is no such sitemap.")
    entries = board.sitemap_entries(db_session(), number, PART_SIZE)
    if number != HOME_PART and not entries:
        abort(404, description="There is no such sitemap.")
    root = ET.Element("urlset", xmlns=SITEMAP_NS)
    if number == HOME_PART:
        _url(root, public_url("board.index"), None)
    for slug, changed in entries:
        _url(root, public_url("board.job", slug=slug), changed)
    return _xml(root)


def _url(root: ET.Element, loc: str, changed: datetime | None) -> None:
    entry = ET.SubElement(root, "url")
    ET.SubElement(entry, "loc").text = loc
    if changed is not None:
        ET.SubElement(entry, "lastmod").text = _w3c(changed)


def public_url(endpoint: str, **values: object) -> str:
    """An address on the public site (JOBBOARD_BASE_URL), whatever Host a request came with:
    behind a proxy that passes its own, url_for(_external=True) named an internal host."""
    return current_app.config["BASE_URL"] + url_for(endpoint, **values)


def _w3c(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _xml(root: ET.Element) -> Response:
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return Response(body, mimetype="application/xml")
