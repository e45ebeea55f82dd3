"""The newsletter section as its editor reads it: real postings, real HTTP, each line checked."""

from __future__ import annotations

import re

import feedparser
import pytest
from markdown_it import MarkdownIt

LINE = re.compile(
    r"^\[\*\*(?P<title>.+) @ (?P<company>.+)\*\*(?: \((?P<details>[^()]+)\))?\]"
    r"\(http://jobs\.test/j/[\w-]+\?via=newsletter\)$"
)


def section_details(client, **query) -> dict[str, str | None]:
    """Each line's parenthesis (None without one), by job title."""
    text = client.get("/newsletter/jobs.md", query_string=query).get_data(as_text=True)
    matches = [LINE.match(line) for line in text.splitlines() if line.strip()]
    assert all(matches), text
    return {match["title"]: match["details"] for match in matches}


@pytest.mark.parametrize(
    ("note", "details"),
    [("3 days a week in the office", "Hybrid, 3 days a week in the office"), (None, "Hybrid")],
)
def test_a_hybrid_job_without_a_location_still_says_hybrid(client, add_jobs, note, details):
    add_jobs(1, title="Applied Scientist", location=None, remote="hybrid", remote_note=note)
    assert section_details(client) == {"Applied Scientist": details}


def job_paths(html: str) -> set[str]:
    """The job pages a board page links to."""
    return set(re.findall(r'href="(/jobs/[^"?#]+)"', html))


def web_page_and_jobs(response) -> tuple[str, set[str]]:
    """A feed's web page (JSON Feed home_page_url, Atom rel=alternate) and its jobs' paths."""
    if response.mimetype == "application/feed+json":
        home, urls = response.json["home_page_url"], [i["url"] for i in response.json["items"]]
    else:
        parsed = feedparser.parse(response.data)
        (home,) = [link.href for link in parsed.feed.links if link.rel == "alternate"]
        urls = [entry.link for entry in parsed.entries]
    return home, {url.removeprefix("http://jobs.test") for url in urls}


@pytest.mark.parametrize("path", ["/feed.json", "/feed.atom"])
def test_a_filtered_feeds_web_page_is_the_board_with_the_same_filters(client, add_jobs, path):
    add_jobs(2, tags=["LLM"], remote="remote", location=None)
    add_jobs(2, tags=["LLM"])  # hybrid, London
    response = client.get(path, query_string={"tag": "llm", "remote": "remote", "limit": 5})
    home, shown = web_page_and_jobs(response)
    assert home == "http://jobs.test/?tag=llm&remote=remote"
    board = client.get(home.removeprefix("http://jobs.test"))
    assert len(shown) == 2 and job_paths(board.get_data(as_text=True)) == shown


@pytest.mark.parametrize("path", ["/feed.json", "/feed.atom"])
def test_an_unfiltered_feeds_web_page_is_the_board(client, add_jobs, path):
    add_jobs(1)
    home, _ = web_page_and_jobs(client.get(path, query_string={"limit": 5, "tag": ""}))
    assert home == "http://jobs.test/"


@pytest.mark.parametrize(
    ("location", "remote", "note", "details"),
    [
        (None, "remote", "Remote within the EU", "Remote within the EU"),
        (
            None,
            "hybrid",
            "Hybrid, 2 days a week in the office",
            "Hybrid, 2 days a week in the office",
        ),
        ("London, UK", "hybrid", "Hybrid: 3 office days", "London, UK, Hybrid: 3 office days"),
        ("Remote", "remote", "Remote-first, EU hours", "Remote-first, EU hours"),
    ],
)
def test_a_note_that_names_the_work_setup_is_not_led_by_it_again(
    client, add_jobs, location, remote, note, details
):
    add_jobs(1, title="Applied Scientist", location=location, remote=remote, remote_note=note)
    assert section_details(client) == {"Applied Scientist": details}


@pytest.mark.parametrize("tags", [("",), ("  ",), ("llm", "")])
def test_a_blank_tag_from_the_cli_means_any_as_on_the_web(cli, client, add_jobs, monkeypatch, tags):
    monkeypatch.setenv("JOBBOARD_BASE_URL", "http://jobs.test")
    add_jobs(2, tags=["LLM"])
    result = cli("newsletter", *[arg for tag in tags for arg in ("--tag", tag)])
    web = client.get("/newsletter/jobs.md", query_string={"tag": list(tags)})
    assert result.exit_code == 0 and result.stdout.count("via=newsletter") == 2
    assert result.stdout == web.get_data(as_text=True)


MESSY_TITLES = [
    "ML Engineer *LLM* [Remote]",
    "Research_Scientist (NLP)",
    "<script>alert(1)</script> Engineer",
    "Data & Infra | Platform",
    "Engineer ![x](http://e.example/i.png)",
    "🚀 Founding Engineer 🤖",
    "Lead `Python` Dev \\",
    "~~Staff~~ # Principal > Engineer",
    "R&amp;D Engineer &#42;",
]


def test_every_line_of_a_messy_section_is_one_link_reading_as_the_api_says(
    client, add_jobs, feature
):
    for n, title in enumerate(MESSY_TITLES):
        company = ["[Evil](http://x.example)", "株式会社AI", "O'Reilly & Sons"][n % 3]
        add_jobs(1, title=title, company=company, location=None, remote="remote")
    feature(add_jobs(1, title="Featured *Role*", company="Captur")[0])
    text = client.get("/newsletter/jobs.md", query_string={"limit": 100}).get_data(as_text=True)
    jobs = client.get("/api/v1/jobs", query_string={"limit": 100}).json["items"]
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    assert len(paragraphs) == len(jobs) == len(MESSY_TITLES) + 1 and jobs[0]["featured"]
    for paragraph, job in zip(paragraphs, jobs, strict=True):
        (inline,) = [t for t in MarkdownIt("commonmark").parse(paragraph) if t.type == "inline"]
        kinds = [token.type for token in inline.children]
        assert kinds.count("link_open") == 1 and not {"html_inline", "image", "code_inline"} & set(
            kinds
        )
        shown = "".join(t.content for t in inline.children if t.type == "text")
        assert shown.startswith(f"{job['title']} @ {job['company']['name']}")


def test_the_markdown_section_names_its_dialect_as_commonmark(client, add_jobs):
    """Its escapes (\\&, \\|, \\<) are CommonMark's: original Markdown, which RFC 7763 assumes
    of a bare text/markdown, would print their backslashes."""
    add_jobs(1, title="Trust & Safety Engineer")
    response = client.get("/newsletter/jobs.md")
    assert response.mimetype == "text/markdown"
    assert response.mimetype_params == {"charset": "utf-8", "variant": "CommonMark"}
    repeat = client.get("/newsletter/jobs.md", headers={"If-None-Match": response.headers["ETag"]})
    assert repeat.status_code == 304
    assert (
        client.get("/newsletter/jobs.md").headers["Content-Type"]
        == response.headers["Content-Type"]
    )


def test_each_atom_page_names_itself_as_self_and_the_first_page_as_first(client, add_jobs):
    """RFC 4287 rel=self is the document's own address; RFC 5005 pages link their first."""
    add_jobs(5)
    first = "http://jobs.test/feed.atom?limit=2&tag=llm"
    url, ids, pages = first, set(), 0
    while url:
        parsed = feedparser.parse(client.get(url.removeprefix("http://jobs.test")).data)
        links = {link.rel: link.href for link in parsed.feed.links}
        assert links["self"] == url and links.get("first", first) == first
        assert ("first" in links) is (pages > 0)
        ids.add(parsed.feed.id)
        url, pages = links.get("next"), pages + 1
    assert pages == 3 and ids == {first}
