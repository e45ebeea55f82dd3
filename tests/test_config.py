"""Settings read from the environment: a value that cannot mean anything names its variable."""

from __future__ import annotations

import pytest

from models import config


@pytest.mark.parametrize("value", ["abc", "1e3", "2.5", "0", "-1", "3651", "99999999999"])
def test_stale_days_out_of_range_or_not_a_whole_number_is_a_config_error(monkeypatch, value):
    monkeypatch.setenv("JOBBOARD_STALE_DAYS", value)
    with pytest.raises(config.ConfigError, match=r"^JOBBOARD_STALE_DAYS must be a whole number"):
        config.stale_days()


@pytest.mark.parametrize(
    ("value", "days"), [(None, 45), ("", 45), ("1", 1), (" 30 ", 30), ("3650", 3650)]
)
def test_stale_days_is_a_whole_number_of_days_from_1_to_3650_unset_meaning_45(
    monkeypatch, value, days
):
    if value is None:
        monkeypatch.delenv("JOBBOARD_STALE_DAYS", raising=False)
    else:
        monkeypatch.setenv("JOBBOARD_STALE_DAYS", value)
    assert config.stale_days() == days
