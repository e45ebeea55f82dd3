"""models.newsletter: lines, their parenthetical rules and their escaping (no database)."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from models import newsletter
from models.tables import Company, Job

BASE = "https://jobs.example"
LINE = re.compile(
    r"^\[\*\*(?P<title>.+) @ (?P<company>.+)\*\*(?: \((?P<details>[^()]+)\))?\]"
    r"\((?P<link>https://jobs\.example/j/[\w-]+\?via=newsletter)\)$"
)
_codes = itertools.count(1)


def job(title="Senior Software Engineer", company="Captur", **fields) -> Job:
    fields = {"location": None, "remote": None, "remote_note": None} | fields
    return Job(title=title, company=Company(name=company), code=f"c{next(_codes)}", **fields)


@pytest.mark.parametrize(
    ("location", "remote", "note", "details"),
    [
        (None, "remote", "UK time +/- 2 hours", "Remote, UK time +/- 2 hours"),
        ("London, UK", "hybrid", None, "Hybrid, London, UK"),
        ("London, UK", "onsite", None, "London, UK"),
        ("London, UK", None, None, "London, UK"),
        (
            "Berlin, Germany",
            "remote",
            "CET +/- 3 hours",
            "Remote, Berlin, Germany, CET +/- 3 hours",
        ),
        (None, "remote", None, "Remote"),
        (None, None, "EU time zones", "EU time zones"),
        (None, "onsite", None, None),
        (None, None, None, None),
        # The normalizer takes the note out of such locations and keeps them as sent:
        (
            "Remote (UK time +/- 2 hours)",
            "remote",
            "UK time +/- 2 hours",
            "Remote, UK time +/- 2 hours",
        ),
        ("Remote, US timezones", "remote", "US timezones", "Remote, US timezones"),
        ("Remote - Europe", "remote", "Europe", "Remote, Europe"),
        ("Hybrid - Amsterdam", "hybrid", "Amsterdam", "Hybrid, Amsterdam"),
        ("Remote", "remote", None, "Remote"),
        ("Washington, DC or Remote, US", "remote", "US", "Washington, DC or Remote, US"),
        ("Remote - Europe", "remote", "CET +/- 3h", "Remote - Europe, CET +/- 3h"),
        # A job offered in several places lists them all.
        ("London, UK; New York, NY", "hybrid", None, "Hybrid, London, UK; New York, NY"),
    ],
)
def test_parenthesis_joins_location_and_remote_note(location, remote, note, details):
    line = newsletter.markdown_line(job(location=location, remote=remote, remote_note=note), BASE)
    match = LINE.match(line)
    assert match is not None, line
    assert match["details"] == details
    assert ("(" in line.split("](")[0]) is (details is not None)


def test_line_is_exactly_the_newsletter_format():
    line = newsletter.markdown_line(job(remote="remote", remote_note="UK time +/- 2 hours"), BASE)
    code = re.search(r"/j/(\w+)", line)[1]
    assert line == (
        "[**Senior Software Engineer @ Captur** (Remote, UK time +/- 2 hours)]"
        f"({BASE}/j/{code}?via=newsletter)"
    )


def test_tracked_link_is_the_boards_own_and_never_the_employers():
    link = newsletter.tracked_url(BASE + "/", job(apply_url="https://acme.example/apply"), "feed")
    assert link.startswith(f"{BASE}/j/") and link.endswith("?via=feed")


def test_markdown_has_one_line_per_job_with_blank_lines_between():
    text = newsletter.render([job(), job(title="Research Engineer")], BASE, "md")
    assert text.endswith("\n") and text.count("\n\n") == 1
    assert all(LINE.match(line) for line in text.split("\n\n") if line.strip())


def test_no_jobs_render_as_an_empty_section():
    assert newsletter.render([], BASE, "md") == newsletter.render([], BASE, "html") == ""


def _readable(text: str) -> str:
    return " ".join(text.split())


printable = st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1).filter(str.strip)


@given(title=printable, company=printable, note=st.none() | printable)
@example("Engineer &amp; &#42; &copy;", "A [b](http://x.example) c", "*UK* time")
@example("<b>Lead</b> <http://x.example>", "`code` _x_ ~~y~~", "(a) [b] \\")
@example("Dev ** @ X", "Y **", "![img](http://x.example/i.png)")
def test_markdown_escaping_leaves_one_link_with_the_literal_text(title, company, note):
    item = job(title, company, remote="remote", remote_note=note)
    (paragraph,) = [
        t
        for t in MarkdownIt("commonmark").parse(newsletter.markdown_line(item, BASE))
        if t.type == "inline"
    ]
    tokens = paragraph.children
    assert [t.type for t in tokens].count("link_open") == 1
    assert not {"html_inline", "image", "code_inline"} & {t.type for t in tokens}
    assert tokens[0].type == "link_open" and tokens[-1].type == "link_close"
    assert tokens[0].attrs["href"] == newsletter.tracked_url(BASE, item, "newsletter")
    text = "".join(t.content for t in tokens if t.type in ("text", "softbreak"))
    details = ", ".join(p for p in ("Remote", note and _readable(note)) if p)
    assert text == f"{_readable(title)} @ {_readable(company)} ({details})"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs, self.text, self.tags = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "a":
            self.hrefs.append(dict(attrs)["href"])

    def handle_data(self, data):
        self.text.append(data)


def test_html_list_escapes_titles_and_companies():
    item = job('<img src=x onerror="alert(1)"> & co', "Evil <script>", location="Paris")
    parser = _Links()
    parser.feed(newsletter.render([item], BASE, "html"))
    assert parser.tags == ["ul", "li", "a", "strong"]
    assert parser.hrefs == [newsletter.tracked_url(BASE, item, "newsletter")]
    assert "".join(parser.text).strip() == (
        '<img src=x onerror="alert(1)"> & co @ Evil <script> (Paris)'
    )


@pytest.mark.parametrize(("text", "hours"), [("36h", 36), ("7d", 168), ("2w", 336), (" 7D ", 168)])
def test_since_accepts_spans_back_from_now(text, hours):
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    assert (now - newsletter.parse_since(text, now)).total_seconds() == hours * 3600


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-20T09:00:00Z", datetime(2026, 11, 20, 9, tzinfo=UTC)),
        ("2026-11-20T10:00:00+01:00", datetime(2026, 11, 20, 9, tzinfo=UTC)),
        ("2026-11-20", datetime(2026, 11, 20, tzinfo=UTC)),
    ],
)
def test_since_accepts_iso_times_as_utc(text, expected):
    assert newsletter.parse_since(text) == expected


@pytest.mark.parametrize("text", ["yesterday", "7", "7y", "-7d", "", "0001-01-01T00:00:00+01:00"])
def test_since_refuses_anything_else(text):
    with pytest.raises(ValueError):
        newsletter.parse_since(text)
