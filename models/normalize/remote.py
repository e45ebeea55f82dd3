"""Remote policy: remote, hybrid or on-site, with the restriction that comes with it."""

import re
from dataclasses import dataclass

from .location import names_only_places, place_key

REMOTE_POLICIES = ("remote", "hybrid", "onsite")
MAX_NOTE_LENGTH = 100

_HYBRID = re.compile(
    r"\bhybrid\b|\bpartial(?:ly)?[\s-]+remote\b|\bpart[\s-]+remote\b", re.IGNORECASE
)
_NOT_REMOTE = re.compile(
    r"\b(?:not|no|non)[\s-]+(?:a\s+)?remote\b|\bremote(?:\s+work)?\s+(?:is\s+)?not\s+(?:available|possible|offered|an\s+option)"
    r"|\bon[\s-]?site\s+only\b|\boffice[\s-]+only\b",
    re.IGNORECASE,
)
# "Remote" as part of a topic ("Remote Sensing Scientist", "Remote Operations") says
# nothing of where the work happens.
_REMOTE_TOPIC = (
    r"(?![\s-]+(?:sensing|sensors?|control\w*|operat\w*|patient|monitoring|pilot\w*|vehicles?"
    r"|surgery|desktop|access|procedures?)\b)"
)
_REMOTE = re.compile(
    r"(?:\b100%\s*|\bfully\s+|\bfull[\s-]+|\bcompletely\s+)?\bremote(?:ly)?\b"
    + _REMOTE_TOPIC
    + r"(?:[\s-](?:first|friendly|only|ok|eligible|possible|optional)\b)?"
    r"|\btelecommut\w*|\bwork(?:ing)?[\s-]+from[\s-]+home\b|\bwfh\b|\bwork[\s-]+from[\s-]+anywhere\b|^\s*(?:anywhere|worldwide)\s*$|^\s*true\s*$",
    re.IGNORECASE,
)
_ONSITE = re.compile(
    r"\bon[\s-]?site\b|\bin[\s-]office\b|\boffice[\s-]based\b|\bin[\s-]person\b|\bon[\s-]premises?\b",
    re.IGNORECASE,
)
# A restriction is set apart from the keyword: "Remote - US", "Remote (EMEA)", "Remote: Europe".
_NOTE_START = re.compile(r"\s*[-\u2013\u2014,:(/]")
_NOTE_END = re.compile(r"[;|\n•·]")
_NOTE_EDGES = " \t-\u2013\u2014,:;/|.*"
# "U.S", "D.C": a dotted abbreviation whose last dot went with the note's edge punctuation.
_CLIPPED_ABBREVIATION = re.compile(r"(?<![A-Za-z])(?:[A-Za-z]\.)+[A-Za-z]$")


@dataclass(frozen=True)
class Remote:
    """Where the work happens: a policy from REMOTE_POLICIES (or None) and a short restriction."""

    policy: str | None
    note: str | None


def _note_after(text: str, end: int) -> str | None:
    """The restriction set apart after the keyword: "Remote (UK time +/- 2 h)" -> "UK time +/- 2
    h"; in "Remote Data Scientist" the words after it are the job, not a restriction."""
    if not _NOTE_START.match(text, end):
        return None
    rest = _NOTE_END.split(text[end:], maxsplit=1)[0].strip(_NOTE_EDGES)
    if rest.startswith("("):
        closing = rest.find(")")
        rest = rest[1:closing] if closing > 0 else rest[1:]
    elif rest.startswith(")"):
        return None
    rest = rest.strip(_NOTE_EDGES + "()")
    if rest.count("(") > rest.count(")"):
        rest += ")"
    rest = re.sub(r"\s+", " ", rest)
    if _CLIPPED_ABBREVIATION.search(rest):
        rest += "."
    return rest if rest and len(rest) <= MAX_NOTE_LENGTH else None


def _decide(text: str) -> tuple[str, str | None] | None:
    """Read one text's policy and note, or None when the text does not say."""
    if hybrid := _HYBRID.search(text):
        return "hybrid", _note_after(text, hybrid.end())
    if _NOT_REMOTE.search(text):
        return "onsite", None
    if remote := _REMOTE.search(text):
        return "remote", _note_after(text, remote.end())
    if _ONSITE.search(text):
        return "onsite", None
    return None


def _repeats_place(note: str, place: str | None) -> bool:
    """Whether the note only names places the job's location names ("Amsterdam" of "Hybrid -
    Amsterdam"), and so says nothing the location does not."""
    if not place or not names_only_places(note):
        return False
    return set(place_key(note).split("/")) <= set(place_key(place).split("/"))


def parse_remote(*texts: str | bool | None, place: str | None = None) -> Remote:
    """Read the remote policy from an ATS field, a location, a title... in that order of trust.

    The first text that says anything decides the policy; the note comes from the first
    text with the same policy that carries one. A hybrid job's note that only repeats its
    location (`place`) is none: a hybrid job's place is its office, which the location
    names ("Hybrid - Amsterdam"), while a remote job's ("Remote - US") is where it may be
    done from, its restriction.
    """
    policy, note = None, None
    for text in texts:
        if isinstance(text, bool):
            text = "remote" if text else None
        if not isinstance(text, str) or not text.strip():
            continue
        decided = _decide(text)
        if decided is None or (policy and decided[0] != policy):
            continue
        policy, found = decided
        if found and not (policy == "hybrid" and _repeats_place(found, place)):
            note = found
            break
    return Remote(policy, note)
