"""`jobboard sources add|list|remove|load`: sources as rows, bad input as messages."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import sqlalchemy as sa

from models.config import ROOT
from models.tables import Source

GREENHOUSE = "https://boards-api.greenhouse.io/v1/boards/acme/jobs?content=true"


def stored(session) -> list[tuple[str, str, str, int]]:
    rows = session.scalars(
        sa.select(Source).order_by(Source.id).execution_options(populate_existing=True)
    )
    return [(s.kind, s.url, s.company, s.interval_minutes) for s in rows]


def load_text(cli, tmp_path: Path, text: str):
    """`jobboard sources load` of a file holding `text` (dedented)."""
    path = tmp_path / "sources.toml"
    path.write_text(textwrap.dedent(text))
    return cli("sources", "load", str(path))


def test_add_stores_the_source_and_list_shows_it(cli, session) -> None:
    added = cli(
        "sources", "add", "greenhouse", GREENHOUSE, "--company", "Acme AI", "--interval", "90"
    )
    assert added.exit_code == 0, added.output
    assert "added source 1" in added.output
    assert stored(session) == [("greenhouse", GREENHOUSE, "Acme AI", 90)]
    listed = cli("sources", "list")
    assert (
        "greenhouse" in listed.output and "Acme AI" in listed.output and GREENHOUSE in listed.output
    )


def test_adding_the_same_source_twice_is_refused(cli, session) -> None:
    cli(
        "sources",
        "add",
        "lever",
        "https://api.lever.co/v0/postings/acme?mode=json",
        "--company",
        "Acme",
    )
    again = cli(
        "sources",
        "add",
        "lever",
        "https://api.lever.co/v0/postings/acme?mode=json",
        "--company",
        "Acme",
    )
    assert again.exit_code == 1
    assert "already crawls" in again.output
    shouted = cli(
        "sources",
        "add",
        "lever",
        "HTTPS://API.LEVER.CO/v0/postings/acme?mode=json",
        "--company",
        "Acme",
    )
    assert shouted.exit_code == 1 and "already crawls" in shouted.output
    slashed = cli(
        "sources",
        "add",
        "lever",
        "https://api.lever.co/v0/postings/acme/?mode=json",
        "--company",
        "Acme",
    )
    assert slashed.exit_code == 1 and "already crawls" in slashed.output
    assert len(stored(session)) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("taleo", GREENHOUSE, "--company", "Acme"), "'taleo' is not one of"),
        (("greenhouse", "ftp://example.com/jobs", "--company", "Acme"), "only http and https"),
        (
            ("greenhouse", "not-a-url", "--company", "Acme"),
            "no scheme: write it whole, e.g. https://not-a-url",
        ),
        (("greenhouse", "https://exa mple.com/x", "--company", "Acme"), "spaces or control"),
        (("greenhouse", "https://example.com/\x01", "--company", "Acme"), "spaces or control"),
        (("greenhouse", "https://u:p@example.com/x", "--company", "Acme"), "user name or password"),
        (("greenhouse", GREENHOUSE, "--company", "Acme\nInc"), "one line"),
        (("greenhouse", GREENHOUSE, "--company", "   "), "company must be"),
        (
            ("greenhouse", GREENHOUSE, "--company", "Acme", "--interval", "0"),
            "0 is not in the range",
        ),
        (("greenhouse", GREENHOUSE), "Missing option '--company'"),
    ],
)
def test_bad_input_is_a_message_and_a_failing_exit(cli, session, args, message) -> None:
    result = cli("sources", "add", *args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert stored(session) == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/jobs",
        "http://localhost/api/offers/",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]:5000/v1/boards/x/jobs",
    ],
)
def test_private_addresses_are_refused_unless_allowed(cli, session, monkeypatch, url) -> None:
    monkeypatch.setenv("JOBBOARD_ALLOW_PRIVATE_SOURCES", "0")
    refused = cli("sources", "add", "recruitee", url, "--company", "Internal")
    assert refused.exit_code == 1
    assert "non-public address" in refused.output
    monkeypatch.setenv("JOBBOARD_ALLOW_PRIVATE_SOURCES", "1")
    assert cli("sources", "add", "recruitee", url, "--company", "Internal").exit_code == 0


def test_remove_deletes_the_source(cli, session) -> None:
    cli("sources", "add", "greenhouse", GREENHOUSE, "--company", "Acme AI")
    removed = cli("sources", "remove", "1")
    assert removed.exit_code == 0, removed.output
    assert stored(session) == []
    unknown = cli("sources", "remove", "1")
    assert unknown.exit_code == 1
    assert "no source with id 1" in unknown.output


def test_the_repository_sources_file_loads_once(cli, session) -> None:
    first = cli("sources", "load", str(ROOT / "sources.toml"))
    assert first.exit_code == 0, first.output
    rows = stored(session)
    assert len(rows) >= 20
    assert ("greenhouse", GREENHOUSE.replace("acme", "anthropic"), "Anthropic", 180) in rows
    assert {kind for kind, *_ in rows} >= {"greenhouse", "lever", "ashby", "workable"}
    second = cli("sources", "load", str(ROOT / "sources.toml"))
    assert second.exit_code == 0
    assert f"0 added, {len(rows)} already present" in second.output
    assert stored(session) == rows


def test_a_file_with_bad_entries_names_them_and_adds_nothing(cli, session, tmp_path: Path) -> None:
    result = load_text(
        cli,
        tmp_path,
        """\
        [[source]]
        company = "Good"
        kind = "lever"
        url = "https://api.lever.co/v0/postings/good?mode=json"

        [[source]]
        company = "Typo Kind"
        kind = "greenhose"
        url = "https://boards-api.greenhouse.io/v1/boards/x/jobs"

        [[source]]
        company = "No URL"
        kind = "ashby"

        [[source]]
        company = "Odd Key"
        kind = "lever"
        url = "https://api.lever.co/v0/postings/odd"
        interval = "daily"
        """,
    )
    assert result.exit_code == 1
    assert "line 6 (Typo Kind): unknown kind 'greenhose'" in result.output
    assert "line 11 (No URL): url is required" in result.output
    assert "line 15 (Odd Key): interval must be a whole number" in result.output
    assert "Good" not in result.output
    assert stored(session) == []


def test_a_header_inside_a_multi_line_string_blames_no_entry_on_the_wrong_line(
    cli, session, tmp_path: Path
) -> None:
    result = load_text(
        cli,
        tmp_path,
        """\
        notes = \"\"\"
        [[source]] entries follow
        \"\"\"

        [[source]]
        company = "Typo Kind"
        kind = "greenhose"
        url = "https://boards-api.greenhouse.io/v1/boards/x/jobs"
        """,
    )
    assert result.exit_code == 1
    assert "entry 1 (Typo Kind): unknown kind 'greenhose'" in result.output


def test_one_board_twice_in_a_file_with_and_without_a_slash_is_named(
    cli, session, tmp_path: Path
) -> None:
    result = load_text(
        cli,
        tmp_path,
        """\
        [[source]]
        company = "Acme"
        kind = "greenhouse"
        url = "https://boards-api.greenhouse.io/v1/boards/acme/jobs"

        [[source]]
        company = "Acme again"
        kind = "greenhouse"
        url = "https://boards-api.greenhouse.io/v1/boards/acme/jobs/"
        """,
    )
    assert result.exit_code == 1
    assert "line 6 (Acme again): duplicate of an earlier entry" in result.output
    assert stored(session) == []


def test_one_board_twice_in_a_file_with_and_without_a_fragment_is_named(
    cli, session, tmp_path: Path
) -> None:
    """A `#fragment` never reaches the server: "?a=1" and "?a=1#x" are one board."""
    result = load_text(
        cli,
        tmp_path,
        """\
        [[source]]
        company = "Acme"
        kind = "jsonld"
        url = "https://acme.example/l3?a=1"

        [[source]]
        company = "Acme again"
        kind = "jsonld"
        url = "https://acme.example/l3?a=1#x"
        """,
    )
    assert result.exit_code == 1
    assert "line 6 (Acme again): duplicate of an earlier entry" in result.output
    assert stored(session) == []


def test_a_source_is_stored_without_its_fragment_and_found_without_it(cli, session) -> None:
    url = "https://acme.example/careers?a=1"
    added = cli("sources", "add", "jsonld", f"{url}#openings", "--company", "Acme")
    assert added.exit_code == 0, added.output
    assert stored(session) == [("jsonld", url, "Acme", 360)]
    again = cli("sources", "add", "jsonld", f"{url}#top", "--company", "Acme")
    assert again.exit_code == 1 and "already crawls" in again.output


def test_a_file_that_is_not_toml_is_a_message(cli, session, tmp_path: Path) -> None:
    result = load_text(cli, tmp_path, "[[source]\ncompany = 'x'\n")
    assert result.exit_code == 1
    assert "not valid TOML" in result.output and "line 1" in result.output


@pytest.mark.parametrize(
    "value", ['["a", "b"]', '[1, {kind = "lever"}]', "[[1], {company = ['x']}]"]
)
def test_sources_that_are_not_tables_are_named_not_a_crash(cli, session, tmp_path, value) -> None:
    result = load_text(cli, tmp_path, f"source = {value}\n")
    assert result.exit_code == 1
    assert "entry 1: a source must be a table" in result.output
    assert stored(session) == []
