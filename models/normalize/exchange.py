"""Pay in one currency as US dollars: so the board can filter and sort jobs paid in different
currencies on one scale, and tell a salary from a typo whatever its currency."""

# Units of each currency to one US dollar, near the market rates of late 2025. Jobs always show
# their own currency; these rates only place them on one scale, so a rate a few percent off
# moves a job across a salary filter's line only when its pay is that close to the line.
# fmt: off
UNITS_PER_USD = {
    "USD": 1, "EUR": 0.86, "GBP": 0.75, "CAD": 1.38, "AUD": 1.53, "NZD": 1.73, "CHF": 0.8,
    "SEK": 9.5, "NOK": 10.1, "DKK": 6.4, "ISK": 125, "PLN": 3.65, "CZK": 20.9, "HUF": 330,
    "RON": 4.35, "BGN": 1.68, "INR": 88, "JPY": 150, "CNY": 7.1, "HKD": 7.78, "SGD": 1.29,
    "KRW": 1400, "TWD": 30.5, "BRL": 5.35, "MXN": 18.4, "ARS": 1400, "CLP": 940, "COP": 3900,
    "ZAR": 17.5, "ILS": 3.3, "AED": 3.67, "SAR": 3.75, "NGN": 1500, "KES": 129, "EGP": 48,
    "UAH": 41.5, "IDR": 16500, "MYR": 4.2, "THB": 32.5, "VND": 26300,
}
# fmt: on
# The most used first: the order a seeker picks from.
_FIRST = ("USD", "EUR", "GBP")
CURRENCIES = (*_FIRST, *sorted(UNITS_PER_USD.keys() - set(_FIRST)))


def in_usd(amount: float | None, currency: str | None) -> int | None:
    """The amount in whole US dollars; None for a currency without a rate (or none given),
    whose pay cannot be placed beside others'.

    The board converts a seeker's salary floor with this same function, so a job paid
    exactly the floor, in the floor's currency, always passes it.
    """
    rate = UNITS_PER_USD.get(currency or "")
    return None if amount is None or rate is None else round(amount / rate)
