"""The newsletter section as its editor reads it: real postings, real HTTP, each line checked."""

from __future__ import annotations

import re

import pytest

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
