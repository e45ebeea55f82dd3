"""Location: a tidy display string and an ISO country code only when the text is certain."""

import re
from dataclasses import dataclass
from functools import lru_cache

import pycountry

from . import gazetteer
from .places import (
    CITY_ALIASES,
    CITY_COUNTRIES,
    COUNTRY_ALIASES,
    MULTI_COUNTRY_REGIONS,
    REGION_NAMES,
    REGIONS,
    US_STATES,
)
from .text import DOTTED_ABBREVIATION, clean_text, normalize_key

MAX_DISPLAY_LENGTH = 200
PLACE_SEPARATOR = "; "

# "or" in any case but Oregon's ("Salem, OR"): a place named after it read as no place at all.
_ALTERNATIVES = re.compile(
    r"\s*(?:;|\||/|\b(?-i:(?!OR\b))or\b|&|\band\b|\n|·|•|\+)\s*", re.IGNORECASE
)
_COMPONENTS = re.compile(r"\s+[-\u2013\u2014]\s+|[,()\[\]:]")
_WORK_MODE_WORDS = re.compile(
    r"\b(?:(?:fully|100%)\s+)?remote(?:[\s-]first)?\b|\bhybrid\b|\bon[\s-]?site\b|\bin[\s-]office\b"
    r"|\btelecommute\b|\bwork\s+from\s+home\b|\bonly\b|\bbased\b|\bhq\b|\boffice\b",
    re.IGNORECASE,
)
# Office days ("Hybrid, 3 days/week"; its slash would part it into a place "week") and
# postal codes ("San Francisco, CA 94105", "10115 Berlin") name no place of their own.
_OFFICE_DAYS = re.compile(
    r"\b\d+(?:\s*[-\u2013]\s*\d+)?\s*(?:x|days?)\s*(?:/|a|per)\s*(?:week|wk)\b", re.IGNORECASE
)
_POSTAL_CODE = re.compile(r"^\d{4,6}\s+|\s+\d{5}(?:-\d{4})?$")
# "Remote in Germany", "Remote within the UK": the place follows a preposition.
_LEADING_PREPOSITION = re.compile(r"^(?:in|within|from|across)\s+(?:the\s+)?", re.IGNORECASE)
# The count of places a long list leaves out, as `fit_places` and some boards end it:
# "; +27 more", "(+3 more)". It names no place.
_MORE_PLACES = re.compile(r"[\s;,|]*\(?\+\s*(\d+)\s+more\)?\s*$", re.IGNORECASE)
US_STATE_NAMES = frozenset(US_STATES.values())
_EDGES = " -\u2013\u2014,.:;/|*"


@dataclass(frozen=True)
class Location:
    """A cleaned display string and an ISO 3166-1 alpha-2 country, None when not certain."""

    display: str | None
    country: str | None


@lru_cache(maxsize=4096)
def country_code(name: str | None, allow_lowercase_code: bool = True) -> str | None:
    """Look a country up by name, alias, or alpha-2/alpha-3 code."""
    if not isinstance(name, str) or not name.strip(_EDGES):
        return None
    token = _undotted(name).strip(_EDGES)
    lowered = token.casefold()
    if lowered in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[lowered]
    if len(token) <= 3 and not (allow_lowercase_code or token.isupper()):
        return None
    try:
        return pycountry.countries.lookup(token).alpha_2
    except LookupError:
        return None


def _countries_with_region(name: str) -> set[str]:
    """The countries with a state or province named so, by code ("CA") or name ("Victoria")."""
    lowered = name.casefold()
    return {
        country
        for country, regions in REGIONS.items()
        if name in regions or lowered in regions.values()
    }


def _code_candidates(code: str) -> set[str]:
    """Countries a short code could mean: "CA" is California or Canada, "ON" only Canada."""
    candidates = _countries_with_region(code)
    country = country_code(code, allow_lowercase_code=False)
    return candidates | ({country} if country else set())


def _name_candidates(name: str, after_city: bool) -> set[str]:
    """Countries a place name could mean: "Georgia" is a US state and a country. After a city,
    every state or province named so counts: "Melbourne, Victoria" is in Australia, while a
    bare "Victoria" may be the capital of British Columbia."""
    lowered = name.casefold()
    candidates = {REGION_NAMES[lowered]} if lowered in REGION_NAMES else set()
    candidates |= {"US"} if lowered in US_STATE_NAMES else set()
    if after_city:
        candidates |= _countries_with_region(name)
    country = country_code(name, allow_lowercase_code=False)
    return candidates | ({country} if country else set())


def _last_component_country(last: str, city: str | None) -> str | None:
    """Country named by the last part of "City, Region, Country"; the city settles a tie."""
    is_code = last.isupper() and 2 <= len(last) <= 3 and last.casefold() not in COUNTRY_ALIASES
    candidates = _code_candidates(last) if is_code else _name_candidates(last, bool(city))
    if not candidates and city is None:
        candidates = (
            {CITY_COUNTRIES[last.casefold()]} if last.casefold() in CITY_COUNTRIES else set()
        )
    if len(candidates) > 1 and city:
        settled = _gazetteer_country(city, last, candidates)
        candidates = {settled} if settled else candidates & {CITY_COUNTRIES.get(city.casefold())}
    return candidates.pop() if len(candidates) == 1 else None


def _gazetteer_country(city: str, last: str, candidates: set[str]) -> str | None:
    """The one reading of `last` whose place the gazetteer has the city in: there is a
    Cambridge in Massachusetts and none in Morocco. None when it has the city in both places
    ("Concord, CA": California and Ontario) or in neither, or does not hold one of them, or
    when the "city" names a region of another reading ("Ontario, CA": the Canadian province,
    or the Californian city of that name)."""
    if not candidates <= gazetteer.COUNTRIES:
        return None
    found = {c for c in candidates if gazetteer.lies_in(city, c, _region_named(c, last))}
    as_region = {c for c in candidates if _region_named(c, city)}
    return found.pop() if len(found) == 1 and as_region <= found else None


def _region_named(country: str, last: str) -> str | None:
    """The code of the state or province `last` names within `country` ("MA"; "GA" for
    "Georgia" in the US); None when `last` names the country itself (Morocco, Georgia)."""
    regions = REGIONS.get(country, {})
    if last in regions:
        return last
    return next((code for code, name in regions.items() if name == last.casefold()), None)


def _undotted(text: str) -> str:
    """Spell "U.S." or "D.C." as "US", "DC": with only an edge dot stripped they matched nothing."""
    return DOTTED_ABBREVIATION.sub(lambda match: match.group().replace(".", ""), text)


def _place_parts(alternative: str) -> list[str]:
    """The parts of one place ("London", "UK"), without work-mode words; [] when it names none."""
    without_mode = _WORK_MODE_WORDS.sub(" ", _undotted(alternative))
    parts = (_POSTAL_CODE.sub("", part.strip(_EDGES)) for part in _COMPONENTS.split(without_mode))
    return [_LEADING_PREPOSITION.sub("", part) for part in parts if part]


def _places(text: str) -> list[list[str]]:
    """The places a location names, each as its parts; a list of countries or of cities
    set apart by commas ("US, Canada", "SF, NYC, Seattle") is one place per item."""
    places = []
    named = _MORE_PLACES.sub("", text)
    for alternative in _ALTERNATIVES.split(_OFFICE_DAYS.sub(" ", named)):
        parts = _place_parts(alternative)
        if len(parts) > 1 and _is_a_list(parts):
            places.extend([part] for part in parts)
        elif parts:
            places.append(parts)
    return places


def _is_a_list(parts: list[str]) -> bool:
    """Whether the parts list places rather than name one by its town, region and country:
    each a country that is no region ("Georgia, USA" is one place), or each a big city."""
    return all(
        country_code(part, allow_lowercase_code=False) and not _countries_with_region(part)
        for part in parts
    ) or all(part.casefold() in CITY_COUNTRIES for part in parts)


def _place_country(parts: list[str]) -> str | None:
    """Country of one place such as ["London", "UK"] or ["Berlin"], or None."""
    if any(part.casefold() in MULTI_COUNTRY_REGIONS for part in parts):
        return None
    city = parts[0] if len(parts) > 1 else None
    return _last_component_country(parts[-1], city)


def towns_and_countries(text: str) -> set[tuple[str, str | None]]:
    """Each place a location names as its town key and its country (None when unsure):
    what tells "Paris, France" and "Paris, TX" apart, and "NYC" and "New York, NY" not."""
    return {(_town_key(parts[0]), _place_country(parts)) for parts in _places(text)}


def country_from_text(text: str) -> str | None:
    """The one country every place in the text lies in, or None.

    An alternative that names no place ("Remote" in "Remote; US only") says nothing
    about the country, so it does not make the others uncertain.
    """
    countries = {_place_country(parts) for parts in _places(text)}
    if len(countries) != 1:
        return None
    return countries.pop()


# Words that join places ("Berlin or Munich") without naming one.
_JOINING_WORDS = frozenset({"or", "and"})


def names_only_places(text: str) -> bool:
    """Whether the text is known places and nothing else: "Amsterdam", "Austin, TX", "Berlin
    or Munich"; not "2 days/week in London office", "UK time +/- 2 hours", nor a town no
    list knows (it may be a word that is no place)."""
    places = _places(text)
    if not places or any(_place_country(parts) is None for parts in places):
        return False
    named = {word for parts in places for part in parts for word in normalize_key(part).split()}
    return set(normalize_key(_undotted(text)).split()) <= named | _JOINING_WORDS


@lru_cache(maxsize=4096)
def place_key(text: str | None) -> str:
    """The places a location names as a comparison key, in any order and spelling:
    "New York, NY; San Francisco, CA" and "SF / NYC" match, as do "USA" and "United
    States"; "Remote" is "". Cached: a board's postings share a few locations, and a
    posting's key reads its location twice (`title_without_place`)."""
    if not isinstance(text, str):
        return ""
    return "/".join(sorted({_town_key(parts[0]) for parts in _places(text)}))


# A title's last part, as boards add a place to it: "(New York)", " - London, UK", ", NYC".
_TITLE_TAILS = (
    re.compile(r"\s*\(([^()]+)\)\s*$"),
    re.compile(r"\s+[-\u2013\u2014|]\s+([^-\u2013\u2014|]+)$"),
    re.compile(r",\s*([^,]+)$"),
)


def title_without_place(title: str, location: str | None) -> str:
    """The title without a last part that names the job's own place: "ML Engineer (New York)"
    at New York is the opening another board lists as "ML Engineer". A last part naming
    another place ("(London)" at Paris), or none ("Platform"), stays: it tells openings apart."""
    places = set(place_key(location).split("/")) - {""}
    if not places:
        return title
    for tail in _TITLE_TAILS:
        match = tail.search(title)
        named = set(place_key(match.group(1)).split("/")) - {""} if match else set()
        if named and named <= places and match.start() > 0:
            return title[: match.start()]
    return title


def _town_key(name: str) -> str:
    """A town by its usual name ("nyc" is "new york"), a country by its code."""
    town = normalize_key(name)
    return country_code(name, allow_lowercase_code=False) or CITY_ALIASES.get(town, town)


def clean_location(text: str | None) -> str | None:
    """Tidy a location for display: single spaces, ", " between parts, no stray separators;
    a list of places too long to show whole shows its first places whole (`fit_places`)."""
    cleaned = clean_text(text)
    if cleaned is None:
        return None
    cleaned = re.sub(r"\s*,\s*(?:,\s*)*", ", ", cleaned).strip(" ,;|-\u2013\u2014")
    if len(cleaned) > MAX_DISPLAY_LENGTH and ";" in cleaned:
        more = _MORE_PLACES.search(cleaned)
        return fit_places(listed_places(cleaned), int(more.group(1)) if more else 0) or None
    return clean_text(cleaned, MAX_DISPLAY_LENGTH)


def listed_places(location: str) -> list[str]:
    """The places a location lists apart by ";" ("London, UK; New York, NY"), each as
    written, without the count of those a long list leaves out."""
    return [place.strip() for place in _MORE_PLACES.sub("", location).split(";") if place.strip()]


def fit_places(places: list[str], more: int = 0) -> str:
    """Places joined by "; ", as many whole ones as fit the display, then "+N more" for the
    rest (and the `more` already left out): cut at the length, a long list of places
    ended in half a town's name. A first place too long alone is cut as any text is."""
    suffix = ""
    for count in range(len(places), 0, -1):
        left_out = len(places) - count + more
        suffix = f"{PLACE_SEPARATOR}+{left_out} more" if left_out else ""
        joined = PLACE_SEPARATOR.join(places[:count]) + suffix
        if len(joined) <= MAX_DISPLAY_LENGTH:
            return joined
    first = clean_text(places[0], MAX_DISPLAY_LENGTH - len(suffix)) if places else None
    return (first or "") + suffix


@lru_cache(maxsize=4096)
def parse_location(text: str | None, *, country: str | None = None) -> Location:
    """Read a location; an explicit valid `country` (name or code) wins over the text.

    Cached: a few places recur across thousands of postings.
    """
    display = clean_location(text)
    explicit = country_code(clean_text(country))
    if explicit:
        return Location(display, explicit)
    return Location(display, country_from_text(display) if display else None)
