"""Reading amounts, currencies and pay periods as job ads spell them."""

import math
import re

import pycountry

# Longest spellings first, so "CA$" is read before "$".
PREFIXED_SYMBOLS = {
    "CA$": "CAD",
    "CAD$": "CAD",
    "C$": "CAD",
    "AU$": "AUD",
    "AUD$": "AUD",
    "A$": "AUD",
    "NZ$": "NZD",
    "SG$": "SGD",
    "S$": "SGD",
    "HK$": "HKD",
    "US$": "USD",
    "MX$": "MXN",
    "R$": "BRL",
    "CN¥": "CNY",
    "RMB": "CNY",
    "€": "EUR",
    "£": "GBP",
    "₹": "INR",
    "₩": "KRW",
    "₪": "ILS",
    "₺": "TRY",
    "₽": "RUB",
    "zł": "PLN",
    "₱": "PHP",
    "Rs.": "INR",
    "Rs": "INR",
}
# A bare symbol shared by several currencies: an explicit code elsewhere decides, else the
# job's country (LOCAL_CURRENCIES), else the default. "kr" has none: Swedish kronor are worth
# a third less than Danish kroner, so kronor of a job outside the Nordics are no known pay.
GENERIC_SYMBOLS: dict[str, tuple[str | None, set[str]]] = {
    "$": ("USD", {"USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN"}),
    "¥": ("JPY", {"JPY", "CNY"}),
    "kr": (None, {"SEK", "NOK", "DKK", "ISK"}),
}
# Danes and Icelanders write "kr." ("kr. 50.000").
_GENERIC_SPELLINGS = ("kr.",)
# Codes read as currencies; codes that are also English or tech words (ALL, TOP, PHP, TRY)
# are left out.
CURRENCY_CODES = frozenset(
    {
        "USD",
        "EUR",
        "GBP",
        "CAD",
        "AUD",
        "NZD",
        "CHF",
        "SEK",
        "NOK",
        "DKK",
        "ISK",
        "PLN",
        "CZK",
        "HUF",
        "RON",
        "BGN",
        "INR",
        "JPY",
        "CNY",
        "HKD",
        "SGD",
        "KRW",
        "TWD",
        "BRL",
        "MXN",
        "ARS",
        "CLP",
        "COP",
        "ZAR",
        "ILS",
        "AED",
        "SAR",
        "NGN",
        "KES",
        "EGP",
        "UAH",
        "IDR",
        "MYR",
        "THB",
        "VND",
    }
)
CURRENCY_NAMES = {
    "euro": "EUR",
    "euros": "EUR",
    "dollars": "USD",
    "pounds": "GBP",
    "sterling": "GBP",
    "rupees": "INR",
}
MULTIPLIERS = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mm": 1e6,
    "mn": 1e6,
    "million": 1e6,
    "l": 1e5,
    "lakh": 1e5,
    "lakhs": 1e5,
    "lac": 1e5,
    "lacs": 1e5,
    "lpa": 1e5,
    "cr": 1e7,
    "crore": 1e7,
    "crores": 1e7,
}
# Lakh and crore: written only of rupees.
INDIAN_MULTIPLIERS = frozenset(
    {"l", "lakh", "lakhs", "lac", "lacs", "lpa", "cr", "crore", "crores"}
)
PERIOD_PATTERNS = {
    "year": r"per\s+(?:year|annum|yr)|an?\s+year|/\s*(?:year|yr|annum|y|a)\b|\bp\.a\b|\bp/a\b"
    r"|[\dk]\s?pa\b|\byearly\b|\blpa\b|\bctc\b"
    r"|\bannual(?:ly)?\b(?!\s+(?:bonus|leave|holiday|vacation|review|equity|refresh))"
    # Swedish, Norwegian, Danish: "per år", "/år", "i året", "om året".
    r"|\bper\s+år\b|/\s*år\b|\b(?:i|om)\s+året\b",
    "month": r"per\s+(?:month|mo)\b|an?\s+month|/\s*(?:month|mo|mth|m)\b|\bmonthly\b|\bpcm\b"
    r"|\bp\.m\."
    # Swedish, Norwegian, Danish: "per månad", "i måneden", "om måneden", "/mån", "/mnd".
    r"|\bper\s+mån[ae]d\b|\b(?:i|om)\s+mån[ae]den\b|/\s*(?:mån|mnd)\b",
    "day": r"per\s+day|an?\s+day\b|/\s*(?:day|d)\b|\bdaily\b|\bday\s+rate\b|\bp/d\b",
    "hour": r"per\s+hour|an?\s+hour|/\s*(?:hour|hr|h)\b|\bhourly\b|\bp/h\b",
    "week": r"per\s+week|\ba\s+week\b|/\s*(?:week|wk)\b|\bweekly\b|\bp/w\b",
}
# Periods that are not what pay is quoted by: the workload ("20 hrs/week", "in the office 3
# days a week", "3x/week") and how often pay is paid out ("paid bi-weekly"). Read as a
# period, they made "$40/hr, 20 hrs/week" two periods and so no pay, and "$120k base
# salary, paid monthly" $120k a month.
_NOT_A_PAY_PERIOD = re.compile(
    r"(?:\b(?:hours?|hrs?|days?|times|shifts?)|\dx)\s*(?:a|per|/|each)\s*(?:week|wk|month|mo)\b"
    r"|\bpaid\s+(?:(?:bi|semi)[\s-]?)?(?:weekly|monthly)\b|\b(?:once|twice)\s+a\s+month\b",
    re.IGNORECASE,
)
RAW_PERIODS = (
    ("year", r"year|annum|annual|yr"),
    ("month", r"month|mo|mth"),
    ("week", r"week|wk"),
    ("day", r"day|daily"),
    ("hour", r"hour|hr"),
)

LOWERCASE_CODES = ("usd", "eur", "gbp", "chf", "cad", "aud", "inr", "sgd")


def _token_pattern(token: str) -> str:
    """Match a marker, but never the letters inside a longer word ("Rs" in "years")."""
    before = r"(?<![A-Za-z])" if token[0].isalpha() else ""
    after = r"(?![A-Za-z])" if token[-1].isalpha() else ""
    return f"{before}{re.escape(token)}{after}"


_symbols = sorted(
    [*PREFIXED_SYMBOLS, *GENERIC_SYMBOLS, *_GENERIC_SPELLINGS, *CURRENCY_NAMES],
    key=len,
    reverse=True,
)
CURRENCY_PATTERN = "|".join(
    [
        *(_token_pattern(symbol) for symbol in _symbols),
        rf"(?<![A-Za-z])(?-i:{'|'.join(sorted(CURRENCY_CODES))})(?![A-Za-z])",
        rf"(?<![A-Za-z])(?:{'|'.join(LOWERCASE_CODES)})(?![A-Za-z])",
    ]
)
# What groups thousands besides "," and ".": "140'000", and spaces, plain, no-break, narrow
# no-break or thin ("600 000", as Nordic and French ads write it).
_GROUPING_MARKS = "'\u2019\u00a0\u202f\u2009 "
# Indian grouping ("25,00,000": lakhs in pairs) first, then thousands in threes, then plain digits.
NUMBER_PATTERN = (
    r"\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d{1,2})?(?!\d)"
    rf"|\d{{1,3}}(?:[,.{_GROUPING_MARKS}]\d{{3}})+(?:[.,]\d{{1,2}})?(?!\d)|\d+(?:[.,]\d+)?"
)
MULTIPLIER_PATTERN = rf"(?:{'|'.join(sorted(MULTIPLIERS, key=len, reverse=True))})(?![A-Za-z])"
_CURRENCY_TOKEN = re.compile(CURRENCY_PATTERN, re.IGNORECASE)
_PERIODS = {
    period: re.compile(pattern, re.IGNORECASE) for period, pattern in PERIOD_PATTERNS.items()
}
_GROUPING = re.compile(f"[{_GROUPING_MARKS}]")


def parse_number(raw: str, has_multiplier: bool = False) -> float | None:
    """Read "180,000", "70.000", "140'000" or "1.2" the way the writer meant it."""
    digits = _GROUPING.sub("", raw)
    separators = [char for char in digits if char in ",."]
    if len(set(separators)) == 2:
        decimal = digits[max(digits.rfind(","), digits.rfind("."))]
        thousands = "," if decimal == "." else "."
        digits = digits.replace(thousands, "").replace(decimal, ".")
    elif separators:
        sep = separators[0]
        head, _, tail = digits.partition(sep)
        grouped = len(separators) > 1 or (len(tail) == 3 and not has_multiplier)
        digits = digits.replace(sep, "") if grouped else f"{head}.{tail}"
    try:
        value = float(digits)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def generic_symbol(token: str) -> str | None:
    """The shared symbol a marker spells ("Kr." and "KR" are "kr"), or None for a marker of
    one currency."""
    symbol = token.lower().rstrip(".")
    return symbol if symbol in GENERIC_SYMBOLS else None


def currency_of_token(token: str) -> str | None:
    """Map one currency marker ("CA$", "€", "usd", "euros") to its ISO 4217 code."""
    if token in PREFIXED_SYMBOLS:
        return PREFIXED_SYMBOLS[token]
    lowered = token.lower()
    if lowered in CURRENCY_NAMES:
        return CURRENCY_NAMES[lowered]
    for symbol, code in PREFIXED_SYMBOLS.items():
        if symbol.lower() == lowered:
            return code
    return token.upper() if token.upper() in CURRENCY_CODES else None


# The currency a bare "$", "¥" or "kr" means in these countries; elsewhere GENERIC_SYMBOLS'
# default.
LOCAL_CURRENCIES = {
    "CA": "CAD",
    "AU": "AUD",
    "NZ": "NZD",
    "SG": "SGD",
    "HK": "HKD",
    "MX": "MXN",
    "CN": "CNY",
    "SE": "SEK",
    "NO": "NOK",
    "DK": "DKK",
    "IS": "ISK",
}


def resolve_currency(tokens: list[str], country: str | None = None) -> str | None:
    """Agree on one currency from the markers found; None when they disagree or there are none.

    A bare "$" of a job in Toronto is Canadian dollars, not US ones, and "kr" of a job in
    Oslo Norwegian kroner (`country`)."""
    explicit = {
        code for token in tokens if not generic_symbol(token) and (code := currency_of_token(token))
    }
    generic = {symbol for token in tokens if (symbol := generic_symbol(token))}
    if len(explicit) > 1 or len(generic) > 1:
        return None
    if not generic:
        return next(iter(explicit), None)
    default, family = GENERIC_SYMBOLS[generic.pop()]
    if not explicit:
        local = LOCAL_CURRENCIES.get(country or "")
        return local if local in family else default
    code = explicit.pop()
    return code if code in family else None


def find_currency_tokens(text: str) -> list[str]:
    """List the currency markers written anywhere in the text."""
    return [match.group() for match in _CURRENCY_TOKEN.finditer(text)]


def detect_periods(text: str) -> set[str]:
    """Name the pay periods the words of the text mention ("week" included, so it can veto)."""
    text = _NOT_A_PAY_PERIOD.sub(" ", text)
    return {period for period, pattern in _PERIODS.items() if pattern.search(text)}


def normalize_period(raw: str | None) -> str | None:
    """Map an ATS period spelling ("per-year-salary", "HOURLY", "monthly") to one of the periods."""
    if not isinstance(raw, str):
        return None
    words = re.split(r"[^a-z]+", raw.lower())
    for period, pattern in RAW_PERIODS:
        if any(re.fullmatch(rf"(?:per)?(?:{pattern})(?:ly|s)?", word) for word in words if word):
            return period
    return None


def normalize_currency(raw: str | None) -> str | None:
    """Map a structured currency field ("usd", "€", "CA$") to an ISO 4217 code."""
    if not isinstance(raw, str) or not raw.strip():
        return None
    token = raw.strip()
    if symbol := generic_symbol(token):
        return GENERIC_SYMBOLS[symbol][0]
    code = currency_of_token(token)
    if code is None and re.fullmatch(r"[A-Za-z]{3}", token):
        code = token.upper() if pycountry.currencies.get(alpha_3=token.upper()) else None
    return code
