"""How a job's place reads to people: its location and remote note, each said once.

The normalizer takes the remote note from the location text when that is where the ATS put
it ("Remote (UK time +/- 2 hours)" gives the note "UK time +/- 2 hours") and keeps the
location as sent, so showing both would say the note twice. Shared by the board's pages and
the newsletter; no flask here.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from models.normalize import listed_places, place_key
from models.tables import Job

POLICY_NAMES = {"remote": "Remote", "hybrid": "Hybrid", "onsite": "On-site"}
# A location that only names a policy: "Remote", "Fully remote", "100% remote", "On-site".
_ONLY_POLICY = {
    "remote": re.compile(r"(?:(?:fully|full|100\s*%)[\s-]*)?remote", re.IGNORECASE),
    "hybrid": re.compile(r"hybrid", re.IGNORECASE),
    "onsite": re.compile(r"on[\s-]?site", re.IGNORECASE),
}
_EDGES = " \t-\u2013\u2014,:;/|.()[]"
# What sets a policy apart in a location: a spaced dash, slash or bar, or a comma or bracket.
_SEPARATOR = r"(?:\s+[-\u2013\u2014/|]\s+|\s*[,:;(\[]\s*)"


class Place(NamedTuple):
    """The location worth showing (None when the policy and note say it all) and the note
    worth showing (None when the location shown carries it)."""

    location: str | None
    note: str | None


def place(job: Job, *, policy_shown: bool = False) -> Place:
    """The job's location and remote note with nothing said twice.

    Pages show the work setup beside the location (`policy_shown`): there a location that
    names the policy at its start or end says it without it ("Remote - Europe" reads
    "Europe" beside "Remote"). The newsletter prints no policy beside a location, so it
    keeps the location whole.
    """
    found = _note_said_once(job)
    if policy_shown and found.location:
        return found._replace(location=_places_without_policy(found.location, job.remote))
    return found


def _note_said_once(job: Job) -> Place:
    location, note = job.location, job.remote_note
    if not location or not note:
        return Place(_unless_only_policy(location, job.remote), note)
    found = re.search(rf"(?<!\w){re.escape(note)}(?!\w)", location, re.IGNORECASE)
    if found is None:
        return Place(_unless_only_policy(location, job.remote), note)
    rest = location[: found.start()] + " " + location[found.end() :]
    if _names_only(rest, job.remote):
        return Place(None, note)
    return Place(location, None)


def _places_without_policy(location: str, remote: str | None) -> str:
    """Each place of a list without the policy it names ("Remote - US; Remote - Canada"
    reads "US; Canada" beside "Remote"), as `_without_policy` does for one place."""
    return "; ".join(_without_policy(place, remote) for place in location.split("; "))


def _without_policy(location: str, remote: str | None) -> str:
    """The location less a policy named at its start or end ("Europe (Remote)" -> "Europe").

    Only a policy set apart by punctuation goes: "Washington, DC or Remote" keeps it.
    """
    policy = _ONLY_POLICY.get(remote or "")
    if policy is None:
        return location
    named = re.fullmatch(
        rf"\s*(?:{policy.pattern}){_SEPARATOR}(?P<after>.+)"
        rf"|(?P<before>.+?){_SEPARATOR}(?:{policy.pattern})[\s)\].]*",
        location,
        re.IGNORECASE,
    )
    rest = named and (named["after"] or named["before"]).strip(_EDGES)
    return rest or location


def office(job: Job) -> str | None:
    """The location as a place alone ("Hybrid - Amsterdam" -> "Amsterdam"), or None when it
    only names the policy: what machines that read a town (JSON-LD) are given."""
    location = _unless_only_policy(job.location, job.remote)
    return location and _places_without_policy(location, job.remote)


def offices(job: Job) -> list[str]:
    """Each place the job is offered in, alone (see `office`): "London, UK; New York, NY"
    is two offices, each with its own town and country."""
    location = office(job)
    return listed_places(location) if location else []


def names_one_place(location: str) -> bool:
    """Whether a location names one place at most: a country shown beside a list of places
    ("London, UK; New York, NY (United Kingdom)") would read as the country of them all."""
    return "/" not in place_key(location)


def names_policy(text: str, remote: str | None) -> bool:
    """Whether the text says the job's policy itself ("Washington, DC or Remote")."""
    policy = _ONLY_POLICY.get(remote or "")
    if policy is None:
        return False
    return re.search(rf"(?<!\w)(?:{policy.pattern})(?!\w)", text, re.IGNORECASE) is not None


def _unless_only_policy(location: str | None, remote: str | None) -> str | None:
    """None for a location that is only the job's policy ("Remote" of a remote job)."""
    return None if location and _names_only(location, remote) else location


def _names_only(text: str, remote: str | None) -> bool:
    policy = _ONLY_POLICY.get(remote or "")
    return policy is not None and policy.fullmatch(text.strip(_EDGES)) is not None
