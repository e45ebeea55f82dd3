"""Locations: a tidy display and a country only when the text is certain."""

import threading
import time

import pytest

from models.normalize import (
    Location,
    gazetteer,
    join_places,
    parse_location,
    place_key,
    title_without_place,
)
from models.normalize.location import MAX_DISPLAY_LENGTH, country_from_text


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("London, UK", "GB"),
        ("London, United Kingdom", "GB"),
        ("London, England", "GB"),
        ("San Francisco, CA", "US"),
        ("Austin, TX", "US"),
        ("New York, NY", "US"),
        ("Washington, DC", "US"),
        ("Berlin, Germany", "DE"),
        ("Berlin, DE", "DE"),
        ("London, Ontario", "CA"),
        ("Toronto, ON", "CA"),
        ("Sydney, NSW", "AU"),
        ("Munich, Bavaria, Germany", "DE"),
        ("Bengaluru, Karnataka, India", "IN"),
        ("Atlanta, Georgia", "US"),
        ("Paris, France (Hybrid)", "FR"),
        ("Remote - US", "US"),
        ("Remote, Germany", "DE"),
        ("USA", "US"),
        ("San Francisco, CA / New York, NY", "US"),
    ],
)
def test_finds_the_country_named_in_the_text(text, country):
    assert parse_location(text).country == country


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("U.S.", "US"),
        ("U.K.", "GB"),
        ("London, U.K.", "GB"),
        ("Washington, D.C.", "US"),
        ("New York, N.Y.", "US"),
        ("Austin, TX, U.S.A.", "US"),
        ("Remote (U.S.)", "US"),
    ],
)
def test_reads_dotted_abbreviations(text, country):
    assert parse_location(text).country == country


@pytest.mark.parametrize("text", ["Salem, OR", "Beaverton, OR", "Portland, OR or Seattle, WA"])
def test_oregon_written_or_is_a_state_not_a_word_joining_places(text):
    """Oregon's code is no "or" joining alternatives ("London or Berlin")."""
    assert parse_location(text).country == "US"


def test_reads_a_dotted_explicit_country():
    assert parse_location("Somewhere", country="U.S.").country == "US"


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Cambridge, MA", "US"),
        ("Boulder, CO", "US"),
        ("Pittsburgh, PA", "US"),
        ("Evanston, IL", "US"),
        ("Athens, GA", "US"),
        ("Bloomington, IN", "US"),
        ("Wilmington, DE", "US"),
        ("San Mateo, CA", "US"),
        ("Fresno, CA", "US"),
        ("Emeryville, CA", "US"),
        ("Vancouver, WA", "US"),
        ("Athens, Georgia", "US"),
        ("Stuttgart, DE", "DE"),
        ("Walldorf, DE", "DE"),
        ("Pune, IN", "IN"),
        ("Toronto, CA", "CA"),
        ("Rabat, MA", "MA"),
        ("Medellín, CO", "CO"),
        ("Haifa, IL", "IL"),
        ("Tbilisi, Georgia", "GE"),
        ("Perth, WA", "AU"),
        ("Darwin, NT", "AU"),
        ("Yellowknife, NT", "CA"),
        ("Melbourne, Victoria", "AU"),
        ("Geelong, Victoria", "AU"),
    ],
)
def test_a_region_named_like_a_country_is_read_where_the_city_lies(text, country):
    """Massachusetts and Morocco are both "MA", Georgia a state and a country: the gazetteer
    has Cambridge in Massachusetts and not in Morocco, Tbilisi in Georgia and not in the US."""
    assert parse_location(text).country == country


@pytest.mark.parametrize("text", ["Ontario, CA", "Remote - Ontario, CA"])
def test_a_town_named_as_a_province_of_the_other_reading_stays_unknown(text):
    """Ontario is a Canadian province and a Californian city: "Ontario, CA" may be either,
    and a remote job within Ontario, Canada, must not be read as in the US."""
    assert parse_location(text).country is None


def test_a_bare_victoria_stays_unknown():
    """Victoria is an Australian state and the capital of British Columbia."""
    assert parse_location("Victoria").country is None


@pytest.mark.parametrize(("text", "country"), [("Quebec, CA", "CA"), ("Indiana, PA", "US")])
def test_a_town_named_as_a_region_of_the_country_it_lies_in_is_read_there(text, country):
    assert parse_location(text).country == country


def test_a_location_without_such_a_tie_does_not_read_the_gazetteer(monkeypatch):
    """Reading the gazetteer takes half a second and some memory: only a tie pays for it."""

    def unread():
        raise AssertionError("the gazetteer was read")

    monkeypatch.setattr(gazetteer, "_towns", unread)
    for text in ("London, UK", "Austin, TX", "Berlin", "Remote - US", "Toronto, ON"):
        assert country_from_text(text) is not None


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Remote; US only", "US"),
        ("Remote | UK", "GB"),
        ("US; Remote", "US"),
        ("Remote in Germany", "DE"),
        ("Remote within the UK", "GB"),
        ("Remote from the Netherlands", "NL"),
    ],
)
def test_a_remote_policy_beside_the_place_leaves_its_country(text, country):
    """A bare "Remote" names no place, so it must not make "US only" uncertain."""
    assert parse_location(text).country == country


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("NYC", "US"),
        ("Paris", "FR"),
        ("London", "GB"),
        ("Zürich", "CH"),
        ("Singapore", "SG"),
        ("SF Bay Area", "US"),
        ("Hybrid - Amsterdam", "NL"),
        ("Tel Aviv", "IL"),
        ("Bangalore", "IN"),
        ("Tokyo", "JP"),
        ("Toronto", "CA"),
        ("Dublin", "IE"),
        ("Stockholm", "SE"),
        ("Warsaw", "PL"),
        ("Seoul", "KR"),
    ],
)
def test_knows_big_unambiguous_cities(text, country):
    assert parse_location(text).country == country


@pytest.mark.parametrize(
    "text",
    [
        "Remote - Europe",
        "Remote",
        "Europe",
        "EMEA",
        "Remote (EMEA)",
        "Worldwide",
        "London or New York",
        "US or Canada",
        "London, Paris, Berlin",
        "Cambridge",
        "Georgia",
        "IN",
        "Concord, CA",
        "Sunnydale, CA",
        "Remote (UK time +/- 2 hours)",
        "Somewhere nice",
        None,
        "",
    ],
)
def test_leaves_the_country_unknown_when_not_certain(text):
    assert parse_location(text).country is None


@pytest.mark.parametrize(
    ("text", "display"),
    [
        ("London, UK", "London, UK"),
        ("  London ,  UK ,", "London, UK"),
        ("London,UK", "London, UK"),
        ("Remote - Europe", "Remote - Europe"),
        ("San Francisco,\n CA", "San Francisco, CA"),
        ("Berlin,, Germany", "Berlin, Germany"),
        ("- Paris -", "Paris"),
        ("New\tYork", "New York"),
        ("Remote\u00a0-\u00a0US", "Remote - US"),
        ("Zürich", "Zürich"),
        ("   ", None),
        ("", None),
        (None, None),
        (",", None),
        ("x" * 300, "x" * 200),
    ],
)
def test_cleans_the_display_string(text, display):
    assert parse_location(text).display == display


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        ("Somewhere", "uk", "GB"),
        ("Somewhere", "GB", "GB"),
        ("Somewhere", "gb", "GB"),
        ("Berlin", "DEU", "DE"),
        ("London, UK", "United States", "US"),
        ("Remote", "Germany", "DE"),
        (None, "Canada", "CA"),
        ("Berlin", "Europe", "DE"),
        ("Paris", "Remote", "FR"),
        ("Paris", "", "FR"),
        ("Somewhere", "Narnia", None),
        ("Manchester", "England", "GB"),
        (None, "Scotland", "GB"),
        (None, "Republic of Korea", "KR"),
    ],
)
def test_explicit_country_wins_when_valid(text, country, expected):
    assert parse_location(text, country=country).country == expected


def test_returns_a_location_value():
    assert parse_location("London, UK") == Location("London, UK", "GB")


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Remote (US, Canada)", None),
        ("Remote (Germany, France, Spain)", None),
        ("US, UK", None),
        ("SF, NYC, Seattle", "US"),
        ("New York, San Francisco", "US"),
        ("Toronto, Vancouver", "CA"),
        ("Remote (France, Germany), Berlin", None),
        # One place by its city, region and country is not a list.
        ("Georgia, USA", "US"),
        ("San Jose, CA, US", "US"),
        ("Paris, France", "FR"),
        ("Singapore, Singapore", "SG"),
        ("Mexico City, Mexico", "MX"),
    ],
)
def test_places_listed_with_commas_are_each_a_place(text, country):
    """ "US, Canada" is two countries, not a town "US" in Canada: the job is not only in
    Canada, and a seeker filtering for the US must not miss it."""
    assert parse_location(text).country == country


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("SF, NYC, Seattle", "San Francisco / New York / Seattle"),
        ("Remote (US, Canada)", "Remote (US or Canada)"),
        ("Germany, France, Spain", "Spain; France; Germany"),
    ],
)
def test_a_list_of_places_keys_every_place(one, other):
    assert place_key(one) == place_key(other)


@pytest.mark.parametrize(
    ("text", "country", "key"),
    [
        ("New York, NY (Hybrid, 3 days/week)", "US", "new york"),
        ("Hybrid (3 days/week) - London, UK", "GB", "london"),
        ("Seattle, WA (On-site 5 days/week)", "US", "seattle"),
        ("Berlin (2-3 days per week in office)", "DE", "berlin"),
        ("San Francisco, CA 94105", "US", "san francisco"),
        ("Austin, TX 78701-1234", "US", "austin"),
        ("10115 Berlin, Germany", "DE", "berlin"),
    ],
)
def test_office_days_and_postal_codes_are_not_places(text, country, key):
    """ "3 days/week" beside a place was split at its slash into a place "week", which left
    the job's country unknown (hidden from the country filter) and its key not the town's."""
    assert (parse_location(text).country, place_key(text)) == (country, key)


def test_two_lists_sharing_their_first_place_are_two_places():
    assert place_key("London, Paris, Berlin") != place_key("London, Munich")


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("London", "London, England, United Kingdom"),
        ("San Francisco, CA", "SF"),
        ("New York, NY", "NYC"),
        ("Bangalore", "Bengaluru, Karnataka, India"),
        ("Zürich", "Zurich, Switzerland"),
        ("New York, NY; San Francisco, CA", "San Francisco, CA / New York City"),
        ("Hybrid - Berlin", "Berlin, Germany (Hybrid)"),
        ("United States", "USA"),
        ("UK", "United Kingdom"),
    ],
)
def test_place_keys_match_spellings_of_one_place(one, other):
    assert place_key(one) == place_key(other)


@pytest.mark.parametrize("text", ["Remote", "Remote-first", None, ""])
def test_a_location_naming_no_town_has_an_empty_place_key(text):
    assert place_key(text) == ""


def test_threads_reaching_their_first_tie_together_read_the_gazetteer_once(monkeypatch):
    """A web worker's threads, or a crawl beside them, must not each pay the half second and
    the memory of reading the towns."""
    reads = []

    def slow_records(file_name):
        reads.append(file_name)
        time.sleep(0.2)
        return iter([])

    monkeypatch.setattr(gazetteer, "_records", slow_records)
    gazetteer._read_towns.cache_clear()
    try:
        threads = [
            threading.Thread(target=gazetteer.lies_in, args=("Cambridge", "US")) for _ in "ab"
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        gazetteer._read_towns.cache_clear()
    assert reads == [gazetteer.TOWNS_FILE]


@pytest.mark.parametrize(
    ("title", "location", "without"),
    [
        ("ML Engineer (New York)", "New York, NY", "ML Engineer"),
        ("ML Engineer - San Francisco, CA", "SF", "ML Engineer"),
        ("Research Scientist, London", "London, UK", "Research Scientist"),
        ("ML Engineer (US)", "Remote - US", "ML Engineer"),
        ("ML Engineer (London)", "Paris, France", "ML Engineer (London)"),
        ("ML Engineer, Platform", "London", "ML Engineer, Platform"),
        ("London", "London", "London"),
        ("ML Engineer (London)", None, "ML Engineer (London)"),
    ],
)
def test_a_title_loses_only_a_last_part_naming_its_own_place(title, location, without):
    assert title_without_place(title, location) == without


@pytest.mark.parametrize(
    ("places", "remote", "location"),
    [
        (["San Francisco, CA", "New York, NY"], None, "San Francisco, CA; New York, NY"),
        (["London, UK", "london,  uk", "London"], None, "London, UK"),
        (["New York, NY", "NYC", "Berlin"], None, "New York, NY; Berlin"),
        (["Paris, France", "Paris, TX"], None, "Paris, France; Paris, TX"),
        (["Berlin", "Remote"], "remote", "Berlin"),
        (["Berlin", "Remote"], "hybrid", "Berlin; Remote"),
        (["Remote"], "remote", "Remote"),
        (["Remote - US", "Remote - Canada"], "remote", "Remote - US; Remote - Canada"),
        ([None, 42, "", "Berlin"], None, "Berlin"),
        ([None, {"city": "Berlin"}], None, None),
    ],
)
def test_a_postings_places_join_into_one_location_each_named_once(places, remote, location):
    """The primary first; a place named again in another spelling, or a "Remote" that says
    no more than the remote policy, is left out."""
    assert join_places(places, remote=remote) == location


def test_joined_places_are_each_a_place_of_the_job():
    location = join_places(["London, UK", "New York, NY"])
    assert place_key(location) == "london/new york"
    assert parse_location(location).country is None  # two countries: none is certain
    assert parse_location(location, country="GB").country == "GB"  # as the ATS gives it


def test_a_long_list_of_places_shows_whole_places_and_counts_the_rest():
    towns = [f"Springfield {n}, Region {n}, United States" for n in range(30)]
    location = join_places(towns)
    assert len(location) <= MAX_DISPLAY_LENGTH
    shown, more = location.rsplit("; ", 1)
    assert shown.split("; ") == towns[: len(shown.split("; "))]
    assert more == f"+{30 - len(shown.split('; '))} more"
    assert parse_location(location).country == "US"
    assert "more" not in place_key(location)


def test_a_long_location_sent_whole_is_cut_between_its_places():
    text = "; ".join(f"Office {n}, Berlin, Germany" for n in range(20)) + "; +5 more"
    display = parse_location(text).display
    assert len(display) <= MAX_DISPLAY_LENGTH
    assert display.endswith(f"Germany; +{20 - display.count('Germany') + 5} more")


@pytest.mark.parametrize(
    ("text", "key", "country"),
    [("New York, NY +2 more", "new york", "US"), ("Berlin, Germany (+3 more)", "berlin", "DE")],
)
def test_a_count_of_further_places_is_no_place(text, key, country):
    assert (place_key(text), parse_location(text).country) == (key, country)
