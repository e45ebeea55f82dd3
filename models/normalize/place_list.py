"""A posting offered in several places: one location text that names each of them once."""

from collections.abc import Iterable

from .location import clean_location, fit_places, towns_and_countries
from .remote import parse_remote


def join_places(places: Iterable[object], *, remote: object = None) -> str | None:
    """The places an ATS lists for one posting as one location, the primary first:
    "San Francisco, CA; New York, NY". Keeping only the first, a seeker looking for the
    second never found the job.

    A place already named is left out, however spelled ("NYC" after "New York, NY"); an
    entry naming no place ("Remote") only when it says no more than the posting's remote
    policy does, unless it is all there is. Not text (null, a number) is no place. A list
    too long to show whole ends in "+N more" (`fit_places`).
    """
    policy = parse_remote(remote).policy if isinstance(remote, str | bool) else None
    entries = [place for place in map(_cleaned, places) if place]
    named: set[tuple[str, str | None]] = set()
    kept: list[str] = []
    for entry in entries:
        towns = towns_and_countries(entry)
        if not towns and _says_no_more(entry, policy, kept):
            continue
        if towns and all(_already(town, named) for town in towns):
            continue
        kept.append(entry)
        named |= towns
    kept = kept or entries[:1]
    return fit_places(kept) if kept else None


def _cleaned(place: object) -> str | None:
    return clean_location(place) if isinstance(place, str) else None


def _says_no_more(entry: str, policy: str | None, kept: list[str]) -> bool:
    """Whether a placeless entry repeats the remote policy, or an entry kept already."""
    said = parse_remote(entry).policy
    return said is None or said == policy or entry.casefold() in map(str.casefold, kept)


def _already(town: tuple[str, str | None], named: set[tuple[str, str | None]]) -> bool:
    """Whether a town is among those named: the same town in the same country, or in one
    of them unknown ("Paris" and "Paris, France"; "Paris, TX" is another town)."""
    key, country = town
    return any(
        key == other and (country == elsewhere or None in (country, elsewhere))
        for other, elsewhere in named
    )
