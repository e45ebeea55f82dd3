"""Dates and times of an incoming posting: ISO 8601, dates, epoch seconds or ms, UTC out."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from models.schemas import _parse_timestamp, job_in

START = datetime(2026, 12, 4, tzinfo=UTC)
END = datetime(2026, 12, 4, 23, 59, 59, 999999, tzinfo=UTC)
DATE_ONLY = ["2026-12-04", " 2026-12-04 ", "20261204", date(2026, 12, 4)]


@pytest.mark.parametrize("value", DATE_ONLY)
def test_a_date_without_a_time_is_the_start_of_its_day(value):
    assert _parse_timestamp(value) == START


@pytest.mark.parametrize("value", DATE_ONLY)
def test_a_date_without_a_time_read_to_the_end_of_its_day_is_its_last_microsecond(value):
    assert _parse_timestamp(value, end_of_day=True) == END


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-12-04T10:00:00Z", datetime(2026, 12, 4, 10, tzinfo=UTC)),
        ("2026-12-04T00:00:00+01:00", datetime(2026, 12, 3, 23, tzinfo=UTC)),
        ("2026-12-04 00:00", START),
        (datetime(2026, 12, 4, tzinfo=timezone(timedelta(hours=-5))), START + timedelta(hours=5)),
        (1_796_342_400_000, START),  # epoch milliseconds, as Lever sends them
    ],
)
def test_a_time_given_is_kept_even_when_read_to_the_end_of_the_day(value, expected):
    assert _parse_timestamp(value) == _parse_timestamp(value, end_of_day=True) == expected


def test_a_posting_dated_a_day_was_posted_at_its_start():
    assert job_in.fields["posted_at"].deserialize("2026-12-04") == START


def test_a_posting_valid_through_a_day_is_valid_until_its_end():
    """A posting "validThrough": "2026-12-04" was dropped as expired that afternoon."""
    assert job_in.fields["valid_through"].deserialize("2026-12-04") == END
