"""Place names the location parser needs beyond ISO 3166: regions, aliases and big cities."""

# fmt: off
US_STATES = {
    "AL": "alabama", "AK": "alaska", "AZ": "arizona", "AR": "arkansas", "CA": "california",
    "CO": "colorado", "CT": "connecticut", "DE": "delaware", "DC": "district of columbia",
    "FL": "florida", "GA": "georgia", "HI": "hawaii", "ID": "idaho", "IL": "illinois",
    "IN": "indiana", "IA": "iowa", "KS": "kansas", "KY": "kentucky", "LA": "louisiana",
    "ME": "maine", "MD": "maryland", "MA": "massachusetts", "MI": "michigan", "MN": "minnesota",
    "MS": "mississippi", "MO": "missouri", "MT": "montana", "NE": "nebraska", "NV": "nevada",
    "NH": "new hampshire", "NJ": "new jersey", "NM": "new mexico", "NY": "new york",
    "NC": "north carolina", "ND": "north dakota", "OH": "ohio", "OK": "oklahoma", "OR": "oregon",
    "PA": "pennsylvania", "RI": "rhode island", "SC": "south carolina", "SD": "south dakota",
    "TN": "tennessee", "TX": "texas", "UT": "utah", "VT": "vermont", "VA": "virginia",
    "WA": "washington", "WV": "west virginia", "WI": "wisconsin", "WY": "wyoming",
}
CA_PROVINCES = {
    "AB": "alberta", "BC": "british columbia", "MB": "manitoba", "NB": "new brunswick",
    "NL": "newfoundland and labrador", "NS": "nova scotia", "NT": "northwest territories",
    "NU": "nunavut", "ON": "ontario", "PE": "prince edward island", "QC": "quebec",
    "SK": "saskatchewan", "YT": "yukon",
}
AU_STATES = {
    "NSW": "new south wales", "VIC": "victoria", "QLD": "queensland", "WA": "western australia",
    "SA": "south australia", "TAS": "tasmania", "ACT": "australian capital territory",
    "NT": "northern territory",
}
# The countries whose regions postings write by code ("Cambridge, MA", "Toronto, ON").
REGIONS = {"US": US_STATES, "CA": CA_PROVINCES, "AU": AU_STATES}
# Region names that share a spelling with a country ("Georgia") are resolved through the city,
# so they are left out here; "Victoria" is also a Canadian city.
_SHARED_NAMES = ("georgia", "washington", "new york", "victoria")
REGION_NAMES = {
    **{name: "US" for name in US_STATES.values() if name not in _SHARED_NAMES},
    **{name: "CA" for name in CA_PROVINCES.values()},
    **{name: "AU" for name in AU_STATES.values() if name not in _SHARED_NAMES},
    "england": "GB", "scotland": "GB", "wales": "GB", "northern ireland": "GB", "bavaria": "DE",
    "bayern": "DE", "catalonia": "ES", "ile-de-france": "FR", "karnataka": "IN",
    "maharashtra": "IN", "telangana": "IN", "tamil nadu": "IN",
}
COUNTRY_ALIASES = {
    "uk": "GB", "u.k.": "GB", "great britain": "GB", "britain": "GB", "united kingdom": "GB",
    "us": "US", "u.s.": "US", "usa": "US", "u.s.a.": "US", "united states": "US", "america": "US",
    "united states of america": "US", "russia": "RU", "turkey": "TR", "türkiye": "TR",
    "south korea": "KR", "korea": "KR", "vietnam": "VN", "czech republic": "CZ", "holland": "NL",
    "the netherlands": "NL", "uae": "AE", "deutschland": "DE", "schweiz": "CH", "suisse": "CH",
    "españa": "ES", "espana": "ES", "italia": "IT", "brasil": "BR", "méxico": "MX",
    "ivory coast": "CI", "hong kong sar": "HK", "the philippines": "PH", "österreich": "AT",
    # Nations of the UK, as a country field names them; ISO and pycountry know only GB.
    "england": "GB", "scotland": "GB", "wales": "GB", "northern ireland": "GB",
    "republic of korea": "KR", "macedonia": "MK", "brunei": "BN", "palestine": "PS",
}
# Big cities whose bare name means one country to a job seeker; ambiguous ones
# (Cambridge, Birmingham, Manchester) are left out. Portland is fine: both are in the US.
CITIES = {
    "US": (
        "new york", "new york city", "nyc", "san francisco", "sf", "bay area", "sf bay area",
        "san francisco bay area", "palo alto", "mountain view", "menlo park", "sunnyvale",
        "san jose", "santa clara", "redwood city", "cupertino", "los angeles", "san diego",
        "seattle", "bellevue", "redmond", "austin", "boston", "chicago", "denver", "boulder",
        "atlanta", "pittsburgh", "philadelphia", "washington dc", "washington, d.c.", "miami",
        "houston", "dallas", "salt lake city", "portland", "minneapolis", "detroit", "raleigh",
        "nashville", "phoenix", "brooklyn", "manhattan", "oakland", "berkeley", "irvine",
    ),
    "GB": ("london", "edinburgh", "glasgow", "bristol", "leeds", "oxford"),
    "CA": ("toronto", "montreal", "montréal", "vancouver", "ottawa", "calgary", "waterloo"),
    "DE": (
        "berlin", "munich", "münchen", "hamburg", "frankfurt", "cologne", "köln", "stuttgart",
        "tübingen",
    ),
    "FR": ("paris", "lyon", "marseille", "toulouse", "grenoble"),
    "NL": ("amsterdam", "rotterdam", "utrecht", "eindhoven", "the hague"),
    "CH": ("zurich", "zürich", "geneva", "lausanne", "basel"),
    "IE": ("dublin",),
    "ES": ("madrid", "barcelona"),
    "IT": ("milan", "rome"),
    "SE": ("stockholm",),
    "DK": ("copenhagen",),
    "NO": ("oslo",),
    "FI": ("helsinki",),
    "PL": ("warsaw", "krakow", "kraków", "wrocław"),
    "CZ": ("prague",),
    "AT": ("vienna",),
    "PT": ("lisbon", "porto"),
    "BE": ("brussels",),
    "EE": ("tallinn",),
    "IL": ("tel aviv", "tel aviv-yafo", "jerusalem", "haifa"),
    "AE": ("dubai", "abu dhabi"),
    "IN": (
        "bangalore", "bengaluru", "mumbai", "pune", "chennai", "hyderabad", "gurgaon", "gurugram",
        "noida", "new delhi",
    ),
    "SG": ("singapore",),
    "JP": ("tokyo", "osaka", "kyoto"),
    "KR": ("seoul",),
    "CN": ("beijing", "shanghai", "shenzhen"),
    "HK": ("hong kong",),
    "TW": ("taipei",),
    "AU": ("sydney", "melbourne", "brisbane", "perth", "canberra"),
    "NZ": ("auckland", "wellington"),
    "BR": ("são paulo", "sao paulo"),
    "MX": ("mexico city",),
    "AR": ("buenos aires",),
    "NG": ("lagos",),
    "KE": ("nairobi",),
    "ZA": ("cape town", "johannesburg"),
}
# fmt: on

CITY_COUNTRIES = {city: country for country, cities in CITIES.items() for city in cities}
# Other names of one city (accents are folded before lookup), so two sources' spellings match.
CITY_ALIASES = {
    "nyc": "new york",
    "new york city": "new york",
    "manhattan": "new york",
    "sf": "san francisco",
    "bangalore": "bengaluru",
    "munchen": "munich",
    "koln": "cologne",
    "gurgaon": "gurugram",
    "tel aviv yafo": "tel aviv",
    "washington dc": "washington",
}
# Words that name more than one country: they leave the country unknown.
MULTI_COUNTRY_REGIONS = frozenset(
    {
        "africa",
        "americas",
        "anywhere",
        "apac",
        "asia",
        "benelux",
        "cet",
        "dach",
        "emea",
        "est",
        "eu",
        "europe",
        "global",
        "gmt",
        "international",
        "latam",
        "mena",
        "middle east",
        "nordics",
        "north america",
        "pst",
        "south america",
        "utc",
        "worldwide",
    }
)
