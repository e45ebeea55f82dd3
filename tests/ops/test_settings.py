"""Web settings from the environment: a bad value names its variable, not a later traceback."""

from __future__ import annotations

import pytest

from api import settings


@pytest.mark.parametrize("value", ["soon", "-1", "inf", "nan"])
def test_a_bad_number_of_seconds_names_the_variable(monkeypatch, value):
    monkeypatch.setenv("JOBBOARD_ANSWER_REUSE_SECONDS", value)
    with pytest.raises(ValueError, match="JOBBOARD_ANSWER_REUSE_SECONDS must be a number"):
        settings.from_environment()


def test_the_answer_cache_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("JOBBOARD_CATALOG_RECHECK_SECONDS", "0.5")
    monkeypatch.setenv("JOBBOARD_ANSWER_REUSE_SECONDS", "0")
    found = settings.from_environment()
    assert (found["CATALOG_RECHECK_SECONDS"], found["ANSWER_REUSE_SECONDS"]) == (0.5, 0.0)


def test_an_unknown_facet_index_mode_names_the_variable_and_the_choices(monkeypatch):
    monkeypatch.setenv("JOBBOARD_FACET_INDEX", "sometimes")
    with pytest.raises(ValueError, match="JOBBOARD_FACET_INDEX must be one of background, inline"):
        settings.from_environment()
