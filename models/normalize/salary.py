"""Salary: read pay from free text or ATS fields without ever guessing a number."""

import math
import re
from dataclasses import dataclass

from .bounds import HOURS_PER_PERIOD, only_yearly, plausible_pay
from .money import (
    CURRENCY_PATTERN,
    GENERIC_SYMBOLS,
    INDIAN_MULTIPLIERS,
    MULTIPLIER_PATTERN,
    MULTIPLIERS,
    NUMBER_PATTERN,
    currency_of_token,
    detect_periods,
    find_currency_tokens,
    generic_symbol,
    normalize_currency,
    normalize_period,
    parse_number,
    resolve_currency,
)

SALARY_PERIODS = ("year", "month", "week", "day", "hour")

_AMOUNT = re.compile(
    rf"(?P<pre>{CURRENCY_PATTERN})?\s?(?P<num>{NUMBER_PATTERN})(?:\s?(?P<mult>{MULTIPLIER_PATTERN}))?(?P<plus>\+(?!\s*[A-Za-z]))?"
    rf"(?:\s?(?P<post>{CURRENCY_PATTERN}))?",
    re.IGNORECASE,
)
_RANGE_SEPARATOR = re.compile(r"\s*(?:-|to|and|until)\s*", re.IGNORECASE)
# Or after the first end's period, when both ends are marked ("$25/hr - $30/hr"; but not
# "$100k/yr - 401k").
_PERIOD_THEN_SEPARATOR = re.compile(
    r"(?:\s*/\s*[a-z]+|\s+per\s+[a-z]+)\s*(?:-|to|and|until)\s*", re.IGNORECASE
)
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_UP_TO = re.compile(r"(?:up\s+to|max(?:imum)?|under|below)\s*:?\s*$", re.IGNORECASE)
_FROM = re.compile(
    r"(?:from|starting\s+(?:at|from)|at\s+least|min(?:imum)?|over)\s*:?\s*$", re.IGNORECASE
)


@dataclass(frozen=True)
class Salary:
    """A pay range; every field None when unknown, min <= max, currency ISO 4217."""

    min: float | None
    max: float | None
    currency: str | None
    period: str | None

    @property
    def comparable_period(self) -> str | None:
        """The period to annualize by: the stated one, else "year" when the amounts can be
        nothing else ("$180K - $250K"), so the salary filter and sort include them while the
        pay is still shown as stated, without a period."""
        if self.period is None and only_yearly(self.min, self.max, currency=self.currency):
            return "year"
        return self.period


UNKNOWN_SALARY = Salary(None, None, None, None)


def annualize(amount: float | None, period: str | None) -> float | None:
    """Convert an amount to a yearly figure so different periods sort together."""
    if amount is None or period not in HOURS_PER_PERIOD:
        return None
    return float(amount) * HOURS_PER_PERIOD[period]


def _amount_value(match: re.Match[str], multiplier: str | None = None) -> float | None:
    """Value of one matched amount, using a multiplier borrowed from its range partner if given."""
    mult = (match.group("mult") or multiplier or "").lower()
    number = parse_number(match.group("num"), has_multiplier=bool(mult))
    if number is None:
        return None
    return number * MULTIPLIERS.get(mult, 1)


def _joined(text: str, first: re.Match[str], second: re.Match[str]) -> bool:
    """Whether the text between two amounts makes them the ends of one range."""
    gap = text[first.end() : second.start()]
    if _RANGE_SEPARATOR.fullmatch(gap):
        return True
    return bool(_PERIOD_THEN_SEPARATOR.fullmatch(gap) and _markers(first) and _markers(second))


def _candidates(text: str) -> list[tuple[re.Match[str], re.Match[str] | None]]:
    """Pair each amount with the amount it forms a range with ("80 - 100k"), in reading order."""
    matches = list(_AMOUNT.finditer(text))
    pairs, index = [], 0
    while index < len(matches):
        first = matches[index]
        second = matches[index + 1] if index + 1 < len(matches) else None
        if second and not first.group("plus") and _joined(text, first, second):
            pairs.append((first, second))
            index += 2
        else:
            pairs.append((first, None))
            index += 1
    return pairs


def _markers(*matches: re.Match[str] | None) -> list[str]:
    """Currency markers written right next to the given amounts."""
    return [m.group(g) for m in matches if m for g in ("pre", "post") if m.group(g)]


def _currency(text: str, attached: list[str], country: str | None) -> tuple[str | None, bool]:
    """Pick the currency for the chosen amounts; the flag says whether markers disagreed."""
    tokens = attached or find_currency_tokens(text)
    symbols = {generic_symbol(token) for token in attached}
    if attached and None not in symbols and len(symbols) == 1:
        family = GENERIC_SYMBOLS[symbols.pop()][1]
        others = find_currency_tokens(text)
        tokens = attached + [
            t for t in others if not generic_symbol(t) and currency_of_token(t) in family
        ]
    code = resolve_currency(tokens, country)
    return code, bool(tokens) and code is None


def _bounds(
    text: str, first: re.Match[str], second: re.Match[str] | None
) -> tuple[float | None, float | None]:
    """Read the low and high ends of the chosen amounts, honouring "up to", "from" and "150k+"."""
    if second is None:
        value = _amount_value(first)
        before = text[: first.start()]
        if _UP_TO.search(before):
            return None, value
        if first.group("plus") or _FROM.search(before):
            return value, None
        return value, value
    high = _amount_value(second)
    borrowed = second.group("mult") if not first.group("mult") else None
    low = _amount_value(first)
    if borrowed and low is not None and high is not None:
        shared = _amount_value(first, borrowed)
        low = shared if shared is not None and shared <= high else low
    return low, high


def _plausible_bare(low: float | None, high: float | None, given_period: str | None) -> bool:
    """Accept an amount with no currency or period words only if it cannot be "5" of "5+ years"."""
    smallest = min(value for value in (low, high) if value is not None)
    return given_period in ("hour", "day") or smallest >= 1000


def _parse_text(
    text: str | None, trust_bare_numbers: bool, given_period: str | None, country: str | None
) -> Salary:
    """Read a salary from text, or UNKNOWN_SALARY when it is absent or ambiguous."""
    if not isinstance(text, str) or not text.strip():
        return UNKNOWN_SALARY
    text = _DASHES.sub("-", text)
    candidates = _candidates(text)
    if not candidates:
        return UNKNOWN_SALARY
    first, second = next((pair for pair in candidates if _markers(*pair)), candidates[0])
    currency, conflicting = _currency(text, _markers(first, second), country)
    multipliers = {m.group("mult").lower() for m in (first, second) if m and m.group("mult")}
    if multipliers & INDIAN_MULTIPLIERS:  # "25-35 LPA", "30L": rupees, LPA a year
        currency = currency or (None if conflicting else "INR")
    periods = detect_periods(text) | ({"year"} if "lpa" in multipliers else set())
    if conflicting or len(periods) > 1:
        return UNKNOWN_SALARY
    period = next((p for p in periods if p in SALARY_PERIODS), None)
    has_multiplier = bool(multipliers)
    low, high = _bounds(text, first, second)
    if low is None and high is None:
        return UNKNOWN_SALARY
    marked = bool(currency or periods or has_multiplier)
    if not marked and not (trust_bare_numbers and _plausible_bare(low, high, given_period)):
        return UNKNOWN_SALARY
    return Salary(low, high, currency, period)


def _structured_amount(value: float | str | None) -> float | None:
    """Read an ATS amount field given as a number or a string such as "150000" or "150k"."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            match = _AMOUNT.search(value)
            number = _amount_value(match) if match else None
    else:
        return None
    return number if number is not None and math.isfinite(number) and number > 0 else None


# A description line that states pay, and so may be read for it when no salary field is given.
_PAY_LINE = re.compile(
    r"\b(?:salary|salaries|compensation|pay\s+(?:range|rate|band|scale)|base\s+pay|hourly\s+rate"
    r"|day\s+rate|OTE|gehalt|salaire"
    # Greenhouse's pay transparency headings ("Hourly Pay:", "Annual pay:"), and "Pay:" as a
    # line's heading: "we pay for your gym" or "We pay: ..." names no pay.
    r"|(?:hourly|daily|monthly|annual|yearly)\s+(?:pay|wages?))\b|^\s*pay\s*:",
    re.IGNORECASE,
)
# Pay is stated once, in a sentence: reading every "salary" line of a 200 kB description
# in full took seconds (a sponsor's request waiting on it).
MAX_PAY_LINES = 5
MAX_PAY_LINE_LENGTH = 300


def salary_in_description(text: str | None, country: str | None = None) -> Salary:
    """Pay stated in a description ("The annual base salary range for this role is $180,000 -
    $250,000 USD"), or UNKNOWN_SALARY.

    Only a line naming pay is read (with the line after it, where a range often follows its
    heading), and only a range or an amount with its period: a lone "$5,000" beside "salary"
    is as likely a learning budget, and "$40M Series B" is no pay at all.
    """
    lines = [line[:MAX_PAY_LINE_LENGTH] for line in (text or "").split("\n")]
    pay_lines = [index for index, line in enumerate(lines) if _PAY_LINE.search(line)]
    for index in pay_lines[:MAX_PAY_LINES]:
        for candidate in (lines[index], " ".join(lines[index : index + 2])):
            salary = parse_salary(candidate, country=country)
            is_range = salary.min is not None and salary.max is not None and salary.min < salary.max
            if salary.currency and (is_range or salary.period):
                return salary
    return UNKNOWN_SALARY


def parse_salary(
    text: str | None = None,
    *,
    minimum: float | str | None = None,
    maximum: float | str | None = None,
    currency: str | None = None,
    period: str | None = None,
    country: str | None = None,
) -> Salary:
    """Combine a salary text with structured ATS fields; structured fields win where given.

    `country`, the job's, says which dollars a bare "$" means."""
    given_currency, given_period = normalize_currency(currency), normalize_period(period)
    parsed = _parse_text(text, bool(given_currency or given_period), given_period, country)
    low, high = _structured_amount(minimum), _structured_amount(maximum)
    if low is None and high is None:
        low, high = parsed.min, parsed.max
    low = low if low is not None and math.isfinite(low) and low > 0 else None
    high = high if high is not None and math.isfinite(high) and high > 0 else None
    if low is None and high is None:
        return UNKNOWN_SALARY
    if low is not None and high is not None and low > high:
        low, high = high, low
    salary = Salary(low, high, given_currency or parsed.currency, given_period or parsed.period)
    plausible = plausible_pay(low, high, currency=salary.currency, period=salary.period)
    return salary if plausible else UNKNOWN_SALARY
