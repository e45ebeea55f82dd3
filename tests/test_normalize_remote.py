"""Remote policy from ATS fields, locations and titles."""

import pytest

from models.normalize import REMOTE_POLICIES, Remote, parse_remote


@pytest.mark.parametrize(
    ("text", "policy"),
    [
        ("Remote", "remote"),
        ("REMOTE", "remote"),
        ("Fully remote", "remote"),
        ("100% Remote", "remote"),
        ("Remote-first", "remote"),
        ("TELECOMMUTE", "remote"),
        ("true", "remote"),
        ("Work from home", "remote"),
        ("WFH", "remote"),
        ("Anywhere", "remote"),
        ("Worldwide", "remote"),
        ("  WORLDWIDE ", "remote"),
        ("Senior ML Engineer (Remote)", "remote"),
        ("Hybrid", "hybrid"),
        ("London (Hybrid)", "hybrid"),
        ("Partially remote", "hybrid"),
        ("On-site", "onsite"),
        ("onsite", "onsite"),
        ("On site", "onsite"),
        ("In-office", "onsite"),
        ("In person", "onsite"),
    ],
)
def test_reads_the_policy_from_one_text(text, policy):
    assert parse_remote(text).policy == policy


@pytest.mark.parametrize(
    "text",
    [
        "Not remote",
        "not remote",
        "No remote",
        "Non-remote",
        "non remote",
        "Remote not available",
        "Remote work is not possible",
        "This is not a remote role",
        "On-site only",
        "Office only",
    ],
)
def test_negated_remote_means_onsite(text):
    assert parse_remote(text).policy == "onsite"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Remote (UK time +/- 2 hours)", Remote("remote", "UK time +/- 2 hours")),
        ("Remote - US", Remote("remote", "US")),
        ("Remote, US timezones", Remote("remote", "US timezones")),
        ("Remote - EMEA only", Remote("remote", "EMEA only")),
        ("Remote (US (East))", Remote("remote", "US (East)")),
        ("Hybrid, 3 days in office", Remote("hybrid", "3 days in office")),
        ("Hybrid (2 days/week in London office)", Remote("hybrid", "2 days/week in London office")),
        ("Remote: Europe", Remote("remote", "Europe")),
        ("Remote", Remote("remote", None)),
        ("London (Hybrid)", Remote("hybrid", None)),
        ("Remote-first; US timezones", Remote("remote", None)),
        ("Remote - " + "x" * 150, Remote("remote", None)),
        ("Not remote - London", Remote("onsite", None)),
        ("On-site - London", Remote("onsite", None)),
        ("Fully Remote", Remote("remote", None)),
        ("Remote (U.S.)", Remote("remote", "U.S.")),
        ("Remote - U.K.", Remote("remote", "U.K.")),
        ("Remote - Washington, D.C.", Remote("remote", "Washington, D.C.")),
        ("Remote (St. Louis)", Remote("remote", "St. Louis")),
        ("Remote Data Scientist", Remote("remote", None)),
        ("Remote US", Remote("remote", None)),
    ],
)
def test_keeps_the_restriction_as_a_note(text, expected):
    assert parse_remote(text) == expected


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (("Remote", "London, UK"), Remote("remote", None)),
        (("on-site", "Remote - US"), Remote("onsite", None)),
        (("", "London, UK", "ML Engineer (Remote)"), Remote("remote", None)),
        (("Remote", "Remote - EMEA only"), Remote("remote", "EMEA only")),
        (("remote", "Hybrid, 2 days", "Remote - US"), Remote("remote", "US")),
        ((True, "London"), Remote("remote", None)),
        ((False, "Hybrid"), Remote("hybrid", None)),
        (("London, UK", "Berlin"), Remote(None, None)),
        ((), Remote(None, None)),
        ((None, None), Remote(None, None)),
    ],
)
def test_first_text_that_decides_wins(texts, expected):
    assert parse_remote(*texts) == expected


@pytest.mark.parametrize(
    ("texts", "place"),
    [
        ((None, "Hybrid - Amsterdam"), "Hybrid - Amsterdam"),
        (("hybrid", "Hybrid - Amsterdam, Netherlands"), "Hybrid - Amsterdam, Netherlands"),
        (("Hybrid: Berlin or Munich",), "Berlin or Munich (Hybrid)"),
        (("Hybrid (London)",), "London, UK"),
    ],
)
def test_a_hybrid_note_that_only_repeats_the_place_is_dropped(texts, place):
    """The location names the office already: "Hybrid - Amsterdam" said "Amsterdam" twice."""
    assert parse_remote(*texts, place=place) == Remote("hybrid", None)


@pytest.mark.parametrize(
    ("texts", "place", "note"),
    [
        (("Hybrid (3 days a week in the office)",), "Amsterdam", "3 days a week in the office"),
        (("Hybrid (2 days/week in London office)",), None, "2 days/week in London office"),
        (
            (None, "Hybrid (2 days/week in London office)"),
            "Hybrid (2 days/week in London office)",
            "2 days/week in London office",
        ),
        # A place the location does not name, or one no list knows, may say more.
        (("Hybrid - Amsterdam",), "Netherlands", "Amsterdam"),
        (("Hybrid - Rotterdam",), "Amsterdam", "Rotterdam"),
        ((None, "Hybrid - Smalltown"), "Hybrid - Smalltown", "Smalltown"),
        # A remote job's place is where it may be done from: its restriction.
        ((None, "Remote - US"), "Remote - US", "US"),
    ],
)
def test_a_note_that_says_more_than_the_place_stays(texts, place, note):
    assert parse_remote(*texts, place=place).note == note


def test_a_later_text_gives_the_note_when_the_first_only_repeats_the_place():
    texts = ("hybrid", "Hybrid - Berlin", "ML Engineer (Hybrid, 2 days a week)")
    assert parse_remote(*texts, place="Hybrid - Berlin") == Remote("hybrid", "2 days a week")


@pytest.mark.parametrize(
    "text",
    [
        "London, UK",
        "Distributed Systems Engineer",
        "Hybrid, 3 days in office",
        "Not remote",
        "TELECOMMUTE",
        "Senior ML Engineer",
        "Berlin",
        "",
    ],
)
def test_policy_is_one_of_the_known_values(text):
    assert parse_remote(text).policy in (*REMOTE_POLICIES, None)


@pytest.mark.parametrize(
    "text",
    [
        "London, UK",
        "Distributed Systems Engineer",
        "Senior ML Engineer",
        "Remote Sensing Scientist",
        "Remote Operations Engineer (Robotics)",
        "Remote Patient Monitoring Data Scientist",
        "",
        "   ",
    ],
)
def test_says_nothing_without_a_keyword(text):
    assert parse_remote(text) == Remote(None, None)
