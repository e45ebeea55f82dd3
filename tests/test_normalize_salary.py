"""Salary parsing: real ad spellings in, exact numbers or nothing out."""

import time

import pytest

from models.normalize import SALARY_PERIODS, Salary, annualize, parse_salary, salary_in_description

UNKNOWN = Salary(None, None, None, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$150k\u2013$200k", Salary(150_000, 200_000, "USD", None)),
        ("USD 180,000-220,000", Salary(180_000, 220_000, "USD", None)),
        ("€70.000 \u2013 €90.000", Salary(70_000, 90_000, "EUR", None)),
        ("£60k", Salary(60_000, 60_000, "GBP", None)),
        ("CHF 140'000", Salary(140_000, 140_000, "CHF", None)),
        ("$1.2M", Salary(1_200_000, 1_200_000, "USD", None)),
        ("$150,000 - $180,000 + equity", Salary(150_000, 180_000, "USD", None)),
        ("120 000 - 150 000 EUR brutto", Salary(120_000, 150_000, "EUR", None)),
        ("¥8,000,000", Salary(8_000_000, 8_000_000, "JPY", None)),
        ("€45.5k", Salary(45_500, 45_500, "EUR", None)),
        ("Level 3: $150k-$180k", Salary(150_000, 180_000, "USD", None)),
        ("$150,000.50 - $180,000.75", Salary(150_000.5, 180_000.75, "USD", None)),
        ("$25/hr - $30/hr", Salary(25, 30, "USD", "hour")),
        ("$100K/year - $120K/year", Salary(100_000, 120_000, "USD", "year")),
        ("$25 per hour to $30 per hour", Salary(25, 30, "USD", "hour")),
        ("$100k/yr - 401k match", Salary(100_000, 100_000, "USD", "year")),
    ],
)
def test_reads_amounts_and_currency_from_text(text, expected):
    assert parse_salary(text) == expected


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("CA$90k-110k", "CAD"),
        ("C$120,000", "CAD"),
        ("A$150,000", "AUD"),
        ("S$8,000 - 10,000", "SGD"),
        ("HK$40,000", "HKD"),
        ("US$100k", "USD"),
        ("$120,000 - $150,000 CAD", "CAD"),
        ("Salary (AUD): $130k - $160k", "AUD"),
        ("R$12.000", "BRL"),
        ("₹30,00,000", "INR"),
        ("120k eur", "EUR"),
        ("90.000 euros", "EUR"),
        ("SEK 55 000 per month", "SEK"),
        ("£45,000", "GBP"),
        ("€80k", "EUR"),
    ],
)
def test_maps_currency_markers_to_iso_codes(text, currency):
    assert parse_salary(text).currency == currency


@pytest.mark.parametrize(
    ("text", "country", "currency"),
    [
        ("$120,000 - $150,000", "CA", "CAD"),
        ("$150k", "AU", "AUD"),
        ("¥400,000", "CN", "CNY"),
        ("$150k", "US", "USD"),
        ("$150k", "GB", "USD"),
        ("$150k", None, "USD"),
        ("$120,000 - $150,000 USD", "CA", "USD"),
    ],
)
def test_a_bare_dollar_is_the_dollar_of_the_jobs_country(text, country, currency):
    """A Toronto job's "$120,000" is Canadian dollars; read as US ones it looked 35% richer."""
    assert parse_salary(text, country=country).currency == currency


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        ("kr 600 000 per year", "SE", Salary(600_000, 600_000, "SEK", "year")),
        ("600 000 kr/år", "SE", Salary(600_000, 600_000, "SEK", "year")),
        ("45 000 kr per month", "NO", Salary(45_000, 45_000, "NOK", "month")),
        ("kr. 50.000 om måneden", "DK", Salary(50_000, 50_000, "DKK", "month")),
        ("Kr 550.000 - 650.000 i året", "NO", Salary(550_000, 650_000, "NOK", "year")),
        ("12.000.000 kr.", "IS", Salary(12_000_000, 12_000_000, "ISK", None)),
        ("KR 600 000 - 700 000", "SE", Salary(600_000, 700_000, "SEK", None)),
        ("SEK 600k", None, Salary(600_000, 600_000, "SEK", None)),
        # A code beside "kr" names which kronor, wherever the job is.
        ("600 000 kr (SEK) per år", "GB", Salary(600_000, 600_000, "SEK", "year")),
    ],
)
def test_kronor_are_the_krona_or_krone_of_the_jobs_country(text, country, expected):
    """ "kr" is written of Swedish, Norwegian, Danish and Icelandic money alike."""
    assert parse_salary(text, country=country) == expected


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("kr 600 000 per year", None),
        ("45 000 kr per month", "GB"),
        ("600 000 kr/år", "DE"),
        ("kr 45 000/mån", "FI"),
        ("600 000 - 700 000 kr", None),
    ],
)
def test_kronor_of_a_job_elsewhere_are_unknown_pay(text, country):
    """Which kronor cannot be told, and a wrong guess would be off by a third."""
    assert parse_salary(text, country=country) == UNKNOWN


@pytest.mark.parametrize("space", [" ", "\u00a0", "\u202f", "\u2009"])
def test_a_space_between_thousands_is_part_of_the_number(space):
    """Nordic and French ads group thousands with a (no-break, narrow or thin) space."""
    assert parse_salary(f"600{space}000 kr/år", country="SE").min == 600_000
    assert parse_salary(f"€60{space}000 - €70{space}000") == Salary(60_000, 70_000, "EUR", None)


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("$45/hr", "hour"),
        ("$25 - $30 per hour", "hour"),
        ("£20 hourly", "hour"),
        ("$8,000/month", "month"),
        ("S$8,000 - 10,000 monthly", "month"),
        ("£2,500 pcm", "month"),
        ("£500 per day", "day"),
        ("€600 day rate", "day"),
        ("80-100k EUR per annum", "year"),
        ("£45,000 pa", "year"),
        ("$120k a year", "year"),
        ("$140,000/yr", "year"),
        ("€60,000 annually", "year"),
        ("₹25 LPA", "year"),
        ("$150k", None),
        ("$150k + annual bonus", None),
    ],
)
def test_reads_the_period_from_words_only(text, period):
    assert parse_salary(text).period == period


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Hours or office days a week are the workload, not a weekly pay.
        ("$45 to $60 per hour, 20 hrs/week", Salary(45, 60, "USD", "hour")),
        ("$40/hr, 10-20 hours per week", Salary(40, 40, "USD", "hour")),
        ("$40/hour | 15-25 hrs/wk", Salary(40, 40, "USD", "hour")),
        ("$40/hr (20 hours/week)", Salary(40, 40, "USD", "hour")),
        ("$150K - $200K, hybrid 3 days per week", Salary(150_000, 200_000, "USD", None)),
        ("$150K - $200K, in office 2 days/week", Salary(150_000, 200_000, "USD", None)),
        ("$150K - $200K, in office 3x/week", Salary(150_000, 200_000, "USD", None)),
        # How often pay is paid out is not what it is quoted by.
        ("$25/hr, paid weekly", Salary(25, 25, "USD", "hour")),
        ("$120k base salary, paid monthly", Salary(120_000, 120_000, "USD", None)),
        ("$60,000 a year, paid bi-weekly", Salary(60_000, 60_000, "USD", "year")),
        # Still pay by the week or month.
        ("$2,000 per week", Salary(2_000, 2_000, "USD", "week")),
        ("£2,500 paid per month", Salary(2_500, 2_500, "GBP", "month")),
    ],
)
def test_workload_and_payout_frequency_are_not_the_pay_period(text, expected):
    assert parse_salary(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("80-100k EUR", (80_000, 100_000)),
        ("$120-150k", (120_000, 150_000)),
        ("₹25-30 LPA", (2_500_000, 3_000_000)),
        ("1-1.5M USD", (1_000_000, 1_500_000)),
        ("between 90 and 110 thousand GBP", (90_000, 110_000)),
    ],
)
def test_shares_a_trailing_multiplier_across_the_range(text, expected):
    salary = parse_salary(text)
    assert (salary.min, salary.max) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("₹25 LPA", (2_500_000, "INR", "year")),
        ("₹12L - ₹18L per annum", (1_200_000, "INR", "year")),
        ("INR 15 lakhs", (1_500_000, "INR", None)),
        ("Rs. 1.2 crore", (12_000_000, "INR", None)),
        ("25-35 LPA", (2_500_000, "INR", "year")),
        ("18 lakhs per annum", (1_800_000, "INR", "year")),
    ],
)
def test_reads_indian_lakh_and_crore_notation(text, expected):
    salary = parse_salary(text)
    assert (salary.min, salary.currency, salary.period) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("₹25,00,000 - ₹35,00,000", (2_500_000, 3_500_000)),
        ("INR 12,00,000 per annum", (1_200_000, 1_200_000)),
        ("Rs 8,50,000", (850_000, 850_000)),
        ("12,34,56,789 INR", (123_456_789, 123_456_789)),
    ],
)
def test_reads_indian_digit_grouping_as_one_number(text, expected):
    """Indian ads group digits in pairs: "25,00,000" is 25 lakh (2.5 million), not 25."""
    salary = parse_salary(text)
    assert (salary.min, salary.max) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Up to $200k", (None, 200_000)),
        ("up to £80,000", (None, 80_000)),
        ("$150k+", (150_000, None)),
        ("From €60,000", (60_000, None)),
        ("Starting at $90,000", (90_000, None)),
        ("$150k+ equity", (150_000, 150_000)),
    ],
)
def test_keeps_open_ended_ranges_open(text, expected):
    salary = parse_salary(text)
    assert (salary.min, salary.max) == expected


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "   ",
        "Competitive",
        "DOE",
        "401(k) match",
        "5-7 years experience",
        "Team of 12 engineers",
        "$50/hr ($104,000/yr)",
        "$100k per year or $50 per hour",
        "70,000 (EUR or USD)",
        "$0",
    ],
)
def test_returns_unknown_rather_than_a_wrong_number(text):
    assert parse_salary(text) == UNKNOWN


@pytest.mark.parametrize(
    "fields",
    [
        {"minimum": 180000, "maximum": 250000, "currency": "USD", "period": "hour"},
        {"minimum": 180000, "maximum": 250000, "currency": "USD", "period": "month"},
        {"minimum": 15, "maximum": 20, "currency": "USD", "period": "year"},
        {"minimum": 1, "maximum": 9_999_999_999, "currency": "USD", "period": "year"},
        {"minimum": 5e9, "currency": "EUR"},
        {"minimum": 0.05, "currency": "GBP", "period": "hour"},
        {"minimum": 2e12, "period": "year"},
        {"text": "$5,000,000 - $10,000,000"},
    ],
)
def test_drops_pay_no_job_pays(fields):
    """A typo such as a yearly range sent as hourly would top the salary sort; it is dropped."""
    assert parse_salary(**fields) == UNKNOWN


@pytest.mark.parametrize(
    "fields",
    [
        {"text": "$1 - $1"},
        {"text": "$1"},
        {"text": "£1 - £1"},
        {"text": "€1 per hour"},
        {"text": "$1-$2 per year"},
        {"text": "$0 - $0"},
        {"minimum": 1, "maximum": 1, "currency": "USD"},
        {"minimum": 1, "currency": "CHF", "period": "hour"},
    ],
)
def test_drops_placeholder_pay(fields):
    """Forms that require pay get "$1 - $1" typed in; kept, it read as a dollar an hour."""
    assert parse_salary(**fields) == UNKNOWN


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$15-$25/hr", Salary(15, 25, "USD", "hour")),
        ("$15 - $25", Salary(15, 25, "USD", None)),
        ("₹200 per hour", Salary(200, 200, "INR", "hour")),
        ("₹10,000 per month", Salary(10_000, 10_000, "INR", "month")),
    ],
)
def test_keeps_small_pay_that_is_a_real_wage(text, expected):
    assert parse_salary(text) == expected


@pytest.mark.parametrize(
    "fields",
    [
        {"minimum": 1_000_000, "maximum": 1_500_000, "currency": "USD", "period": "year"},
        {"minimum": 30_000_000, "currency": "JPY", "period": "year"},
        {"minimum": 80_000_000, "currency": "KRW", "period": "year"},
        {"minimum": 10_000, "currency": "INR", "period": "month"},
        {"minimum": 8, "currency": "USD", "period": "hour"},
        {"minimum": 1500, "currency": "EUR", "period": "day"},
        {"minimum": 25_000, "currency": "USD", "period": "month"},
        {"minimum": 400, "currency": "USD", "period": "hour"},
        {"minimum": 500_000_000, "currency": "IDR", "period": "year"},
        {"minimum": 35, "currency": "USD"},
    ],
)
def test_keeps_pay_from_a_stipend_to_a_star_package(fields):
    assert parse_salary(**fields).min == fields["minimum"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$200k - $150k", (150_000, 200_000)),
        ("€90.000 - €70.000", (70_000, 90_000)),
        ("£60k", (60_000, 60_000)),
    ],
)
def test_orders_min_before_max(text, expected):
    salary = parse_salary(text)
    assert (salary.min, salary.max) == expected


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"minimum": 150000, "maximum": 200000, "currency": "USD", "period": "YEAR"},
            Salary(150_000, 200_000, "USD", "year"),
        ),
        (
            {"minimum": "150000", "maximum": "200000.00", "currency": "usd"},
            Salary(150_000, 200_000, "USD", None),
        ),
        (
            {"minimum": 60, "maximum": 80, "currency": "GBP", "period": "per-hour-wage"},
            Salary(60, 80, "GBP", "hour"),
        ),
        (
            {"minimum": 5000, "currency": "EUR", "period": "monthly"},
            Salary(5000, None, "EUR", "month"),
        ),
        ({"maximum": 90000, "currency": "€"}, Salary(None, 90_000, "EUR", None)),
        (
            {"minimum": 200000, "maximum": 150000, "currency": "CAD"},
            Salary(150_000, 200_000, "CAD", None),
        ),
        (
            {"minimum": "150k", "maximum": "$180,000", "currency": "USD"},
            Salary(150_000, 180_000, "USD", None),
        ),
        ({"minimum": True, "maximum": None, "currency": "USD"}, UNKNOWN),
        ({"minimum": float("nan"), "currency": "USD"}, UNKNOWN),
        ({"minimum": -5, "currency": "USD"}, UNKNOWN),
        ({"currency": "USD", "period": "year"}, UNKNOWN),
    ],
)
def test_reads_structured_fields(fields, expected):
    assert parse_salary(**fields) == expected


@pytest.mark.parametrize(
    ("text", "fields", "expected"),
    [
        (
            "$150k - $200k",
            {"minimum": 160000, "maximum": 190000},
            Salary(160_000, 190_000, "USD", None),
        ),
        ("$150k - $200k", {"currency": "CAD"}, Salary(150_000, 200_000, "CAD", None)),
        ("$8k - $10k per year", {"period": "MONTH"}, Salary(8_000, 10_000, "USD", "month")),
        ("120000 - 140000", {"currency": "GBP"}, Salary(120_000, 140_000, "GBP", None)),
        ("45-55", {"currency": "USD", "period": "hourly"}, Salary(45, 55, "USD", "hour")),
        ("5+ years", {"currency": "USD"}, UNKNOWN),
        ("Competitive", {"minimum": 100000, "currency": "EUR"}, Salary(100_000, None, "EUR", None)),
    ],
)
def test_structured_fields_win_over_text(text, fields, expected):
    assert parse_salary(text, **fields) == expected


@pytest.mark.parametrize(
    ("raw", "period"),
    [
        ("per-year-salary", "year"),
        ("YEAR", "year"),
        ("yearly", "year"),
        ("annual", "year"),
        ("Annually", "year"),
        ("per annum", "year"),
        ("hourly", "hour"),
        ("per-hour-wage", "hour"),
        ("HOUR", "hour"),
        ("MONTH", "month"),
        ("monthly", "month"),
        ("per-month-salary", "month"),
        ("daily", "day"),
        ("DAY", "day"),
        ("WEEK", "week"),
        ("per-week-salary", "week"),
        ("weekly", "week"),
        ("one-time", None),
        ("", None),
    ],
)
def test_normalizes_ats_period_spellings(raw, period):
    assert parse_salary(minimum=500, currency="USD", period=raw).period == period


@pytest.mark.parametrize(
    ("amount", "period", "expected"),
    [
        (100_000, "year", 100_000),
        (8_000, "month", 96_000),
        (500, "day", 130_000),
        (50, "hour", 104_000),
        (45.5, "hour", 94_640),
        (0, "year", 0),
        (1, "month", 12),
        (1, "day", 260),
        (1, "hour", 2080),
        (None, "year", None),
        (100_000, None, None),
        (None, None, None),
        (2_000, "week", 104_000),
        (100, "fortnight", None),
        (2.5, "year", 2.5),
    ],
)
def test_annualize_scales_by_the_period(amount, period, expected):
    assert annualize(amount, period) == expected


@pytest.mark.parametrize(
    ("salary", "period"),
    [
        (Salary(180_000, 250_000, "USD", None), "year"),
        (Salary(70_000, None, "EUR", None), "year"),
        (Salary(3_000_000, 4_000_000, "JPY", None), "year"),
        (Salary(5_000, 7_000, "EUR", None), None),  # a month's, or a contractor's week
        (Salary(90_000, 120_000, "INR", None), None),  # a month's in rupees
        (Salary(180_000, 250_000, None, None), None),  # whose money is unknown
        (Salary(8_000, 9_000, "USD", "month"), "month"),
    ],
)
def test_pay_without_a_period_compares_as_yearly_only_when_it_can_be_nothing_else(salary, period):
    assert salary.comparable_period == period


def test_every_detected_period_is_a_known_period():
    texts = [
        "$45/hr",
        "$8,000/month",
        "£500 per day",
        "80-100k EUR per annum",
        "$150k",
        "£600 a week",
    ]
    assert {parse_salary(text).period for text in texts} <= {*SALARY_PERIODS, None}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "About us\nThe annual base salary range for this role is $180,000 - $250,000 USD.",
            Salary(180_000, 250_000, "USD", "year"),
        ),
        ("Pay range\n$150,000—$200,000 USD", Salary(150_000, 200_000, "USD", None)),
        ("Compensation: €70k-90k + equity", Salary(70_000, 90_000, "EUR", None)),
        ("Hourly rate: $45/hr", Salary(45, 45, "USD", "hour")),
        ("Gehalt: 70.000 - 90.000 € brutto", Salary(70_000, 90_000, "EUR", None)),
        # Greenhouse's pay transparency block: a heading, then the range on the next line.
        ("Hourly Pay:\n$45—$60 USD", Salary(45, 60, "USD", "hour")),
        ("Hourly wage: $30 - $38", Salary(30, 38, "USD", "hour")),
        ("Annual pay: $120,000 - $150,000", Salary(120_000, 150_000, "USD", "year")),
        ("Pay:\n$45—$60 USD per hour", Salary(45, 60, "USD", "hour")),
        ("Salary: $150k-$180k, in the office 3 days a week", Salary(150_000, 180_000, "USD", None)),
    ],
)
def test_reads_pay_a_description_states(text, expected):
    assert salary_in_description(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "We raised $40M in our Series B. Compensation is competitive.",
        "Salary: competitive + $5,000 learning budget",
        "Competitive salary, equity and 401(k) match",
        "Teams of 5-10 engineers ship $100k-$200k deals",
        "We pay for your gym: $50 a month.\nWe pay: $1,000 a year for books",
        None,
    ],
)
def test_reads_no_pay_from_other_numbers_in_a_description(text):
    assert salary_in_description(text) == UNKNOWN


def test_reading_a_long_description_for_pay_stays_quick():
    """A sponsor's request waits on it: 13,000 lines naming salary took over 2 seconds."""
    started = time.perf_counter()
    salary_in_description("salary 5 years\n" * 13_000 + "salary " + "1," * 90_000)
    assert time.perf_counter() - started < 0.2
