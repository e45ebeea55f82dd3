"""Web settings from the environment: a bad value names its variable, not a later traceback."""

from __future__ import annotations

import multiprocessing
import stat

import pytest

from api import create_app, settings
from models.config import ConfigError
from tests.conftest import set_env


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


def draw_secret_key(barrier, keys, directory) -> None:
    """In a process of its own: wait for the others, then read or make the machine's key."""
    barrier.wait()
    keys.put(settings.machine_secret_key(directory))


def test_processes_starting_at_once_agree_on_one_machine_key(tmp_path):
    context = multiprocessing.get_context("spawn")
    barrier, keys = context.Barrier(6), context.Queue()
    workers = [
        context.Process(target=draw_secret_key, args=(barrier, keys, tmp_path)) for _ in range(6)
    ]
    for worker in workers:
        worker.start()
    drawn = {keys.get(timeout=60) for _ in workers}
    for worker in workers:
        worker.join()
    assert drawn == {(tmp_path / "secret_key").read_text().strip()}
    assert [path.name for path in tmp_path.iterdir()] == ["secret_key"]  # no temp file left


def test_the_machine_key_file_is_readable_by_its_owner_only(tmp_path):
    key = settings.machine_secret_key(tmp_path)
    assert len(key) == 64 and settings.machine_secret_key(tmp_path) == key
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600


def app_secret_key(keys) -> None:
    keys.put(create_app({"DATABASE_URL": "sqlite://"}).secret_key)


def test_without_secret_key_apps_made_in_separate_processes_sign_with_one_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    context = multiprocessing.get_context("spawn")
    keys = context.Queue()
    for _ in range(2):
        context.Process(target=app_secret_key, args=(keys,)).start()
    assert len({keys.get(timeout=60), keys.get(timeout=60)}) == 1


def test_a_secret_key_from_the_environment_wins(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "set-by-the-operator")
    assert settings.from_environment()["SECRET_KEY"] == "set-by-the-operator"


def test_a_machine_key_that_cannot_be_made_says_to_set_secret_key(tmp_path):
    (tmp_path / "instance").write_text("a file, not a directory")
    with pytest.raises(ConfigError, match=r"set SECRET_KEY"):
        settings.machine_secret_key(tmp_path / "instance")


@pytest.mark.parametrize("value", ["abc", "1.5", "-1", "6", "99999999999999999999"])
def test_proxy_hops_that_is_no_whole_number_from_0_to_5_names_the_variable(monkeypatch, value):
    monkeypatch.setenv("JOBBOARD_PROXY_HOPS", value)
    with pytest.raises(ConfigError) as raised:
        settings.from_environment()
    assert str(raised.value) == (
        f"JOBBOARD_PROXY_HOPS must be a whole number of proxies from 0 to 5, not {value!r}"
    )


@pytest.mark.parametrize(("value", "hops"), [(None, 0), ("", 0), ("0", 0), (" 1 ", 1), ("5", 5)])
def test_proxy_hops_is_a_whole_number_from_0_to_5_unset_meaning_0(monkeypatch, value, hops):
    set_env(monkeypatch, "JOBBOARD_PROXY_HOPS", value)
    assert settings.from_environment()["PROXY_HOPS"] == hops


@pytest.mark.parametrize("value", ["bogus://x", "memory", "async+memory://", "redis//host:6379"])
def test_a_rate_limit_storage_of_no_known_kind_names_the_variable(monkeypatch, value):
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", value)
    with pytest.raises(ConfigError) as raised:
        settings.from_environment()
    assert str(raised.value) == (
        "RATELIMIT_STORAGE_URI must be a storage URI such as memory:// or "
        f"redis://host:6379/0, not {value!r}"
    )


@pytest.mark.parametrize(
    "value",
    [
        "redis://127.0.0.1:6379/abc",
        "redis://127.0.0.1:6379/-1",
        "rediss://127.0.0.1:6379/0?db=x",
        "redis+unix:///run/redis.sock?db=one",
        "redis://127.0.0.1:port/0",
    ],
)
def test_a_redis_storage_with_a_malformed_database_or_port_names_the_variable(monkeypatch, value):
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", value)
    with pytest.raises(ConfigError) as raised:
        settings.from_environment()
    assert str(raised.value) == (
        "RATELIMIT_STORAGE_URI must give its Redis port and database as numbers "
        f"(redis://host:6379/0), not {value!r}"
    )


@pytest.mark.parametrize(
    ("value", "uri"),
    [
        (None, "memory://"),
        ("", "memory://"),
        ("redis://127.0.0.1:6379", "redis://127.0.0.1:6379"),
        ("redis://:secret@127.0.0.1:6379/2", "redis://:secret@127.0.0.1:6379/2"),
        ("rediss://cache.internal/15?ssl_cert_reqs=none", None),
        ("redis+unix:///run/redis.sock?db=1", None),
        ("redis+sentinel://127.0.0.1:26379/mymaster", None),
        ("memcached://127.0.0.1:11211", None),
    ],
)
def test_a_rate_limit_storage_uri_of_a_known_kind_is_used_as_given(monkeypatch, value, uri):
    set_env(monkeypatch, "RATELIMIT_STORAGE_URI", value)
    assert settings.from_environment()["RATELIMIT_STORAGE_URI"] == (uri or value)
