"""Pay no job pays: bounds that tell a salary from a typo, whatever its currency and period."""

from .exchange import UNITS_PER_USD

HOURS_PER_PERIOD = {"year": 1, "month": 12, "week": 52, "day": 260, "hour": 2080}
# Yearly pay, in US dollars, that can be a real salary: from a small stipend to a star's
# package. Outside it a posting's pay is a typo ($180,000 an hour, $15 a year, 5e9) that
# would top the salary sort or match every salary filter, so it is dropped.
PLAUSIBLE_YEARLY_USD = (300, 5_000_000)
# Pay quoted by the month, day or hour is a wage or a contractor's rate: above this a year
# it is a yearly figure sent under the wrong period ($180,000 "per month").
MOST_YEARLY_USD_BY_SHORTER_PERIOD = 1_500_000
# An hour's pay, in US dollars, below which it is a placeholder: forms that require pay get
# "$1 - $1" or "£1" typed in, which passed as an hour's pay (and pay stated without a period
# can be an hour's). No posted rate, an intern's or a data labeller's, is that low.
LEAST_HOURLY_USD = 1.5
# Pay stated without a period is a year's from this much (in US dollars) up: no month's, day's
# or hour's pay is quoted that high, so "$180K - $250K" can be compared with yearly salaries.
YEARLY_ONLY_FROM_USD = 20_000


def plausible_pay(*amounts: float | None, currency: str | None, period: str | None) -> bool:
    """Whether each amount is a yearly pay in PLAUSIBLE_YEARLY_USD (by the month, day or hour,
    at most MOST_YEARLY_USD_BY_SHORTER_PERIOD; by the hour, at least LEAST_HOURLY_USD);
    without a period, whether it is one for some period (at most a year's pay, at least an
    hour's). An unknown currency may be any of UNITS_PER_USD's."""
    low, high = _yearly_bounds(currency, period)
    return all(_within(amount, period, low, high) for amount in amounts if amount is not None)


def only_yearly(*amounts: float | None, currency: str | None) -> bool:
    """Whether amounts stated without a period can only be a year's pay (in a known currency,
    each at least YEARLY_ONLY_FROM_USD)."""
    rate = UNITS_PER_USD.get(currency or "")
    known = [amount for amount in amounts if amount is not None]
    return bool(rate and known) and min(known) >= YEARLY_ONLY_FROM_USD * rate


def _yearly_bounds(currency: str | None, period: str | None) -> tuple[float, float]:
    rate = UNITS_PER_USD.get(currency or "")
    rates = (rate, rate) if rate else (min(UNITS_PER_USD.values()), max(UNITS_PER_USD.values()))
    shorter = period in HOURS_PER_PERIOD and period != "year"
    top = MOST_YEARLY_USD_BY_SHORTER_PERIOD if shorter else PLAUSIBLE_YEARLY_USD[1]
    # Pay without a period is at least an hour's.
    by_the_hour = period == "hour" or period not in HOURS_PER_PERIOD
    least = LEAST_HOURLY_USD * HOURS_PER_PERIOD["hour"] if by_the_hour else PLAUSIBLE_YEARLY_USD[0]
    return least * rates[0], top * rates[1]


def _within(amount: float, period: str | None, low: float, high: float) -> bool:
    if period in HOURS_PER_PERIOD:
        return low <= amount * HOURS_PER_PERIOD[period] <= high
    return amount * HOURS_PER_PERIOD["hour"] >= low and amount <= high
