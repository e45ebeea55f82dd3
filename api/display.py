"""How job fields read to people: labels, money and dates, as Jinja filters for every page."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pycountry
from babel.numbers import format_decimal, get_currency_symbol

from models.tables import Job
from models.where import POLICY_NAMES

LABELS = {
    "remote": POLICY_NAMES,
    "type": {
        "full_time": "Full-time",
        "part_time": "Part-time",
        "contract": "Contract",
        "internship": "Internship",
        "temporary": "Temporary",
    },
    "seniority": {
        "intern": "Intern",
        "junior": "Junior",
        "mid": "Mid-level",
        "senior": "Senior",
        "staff": "Staff",
        "principal": "Principal",
        "lead": "Lead",
        "manager": "Manager",
        "director": "Director",
        "executive": "Executive",
    },
    "sort": {"newest": "Newest", "salary": "Highest salary", "relevance": "Best match"},
}
PER_PERIOD = {
    "year": "a year",
    "month": "a month",
    "week": "a week",
    "day": "a day",
    "hour": "an hour",
}


def label(value: str | None, kind: str) -> str:
    """The human name of a stored code, e.g. ("onsite", "remote") -> "On-site"."""
    if value is None:
        return ""
    return LABELS[kind].get(value, value.replace("_", " ").capitalize())


def money(amount: Decimal | float, currency: str | None) -> str:
    """£90,000 · $52.50 · CHF 120,000: whole amounts without decimals."""
    pattern = "#,##0" if amount == int(amount) else "#,##0.00"
    number = format_decimal(amount, pattern, locale="en")
    if not currency:
        return number
    symbol = get_currency_symbol(currency, locale="en")
    return f"{symbol}\u00a0{number}" if symbol[-1].isalpha() else f"{symbol}{number}"


def salary(job: Job) -> str | None:
    """E.g. "£90,000 to £120,000 a year" (with an en dash), or None when no pay is named."""
    low, high = job.salary_min, job.salary_max
    if low is None and high is None:
        return None
    if low is not None and high is not None and low != high:
        amount = f"{money(low, job.salary_currency)}\u2013{money(high, job.salary_currency)}"
    elif low is not None and high is not None:
        amount = money(low, job.salary_currency)
    elif low is not None:
        amount = f"From {money(low, job.salary_currency)}"
    else:
        amount = f"Up to {money(high, job.salary_currency)}"
    period = PER_PERIOD.get(job.salary_period or "")
    return f"{amount} {period}" if period else amount


def country_name(code: str | None) -> str:
    """ "GB" -> "United Kingdom"; unknown codes are shown as they are."""
    if not code:
        return ""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


def day(moment: datetime | None) -> str:
    """20 Nov 2026: unambiguous in every locale."""
    return "" if moment is None else f"{moment.day} {moment:%b %Y}"
