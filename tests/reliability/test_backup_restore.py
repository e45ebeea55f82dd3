"""Backups: a `pg_dump -Fc` restored with `pg_restore` into a fresh database serves the same jobs.

This is the procedure README.md ("Backups and restore") gives, with the machine's
own pg_dump and pg_restore, on the test PostgreSQL server.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import sqlalchemy as sa

from models import migrate
from tests.reliability.conftest import load_demo, make_app, trusted_sponsor_token


def libpq_args(url: str) -> list[str]:
    """Host, port, user and database of a SQLAlchemy URL as pg_dump/pg_restore options."""
    parts = sa.make_url(url)
    return [
        "-h",
        parts.host or "127.0.0.1",
        "-p",
        str(parts.port or 5432),
        "-U",
        parts.username or "postgres",
        "-d",
        parts.database,
    ]


def all_jobs(client) -> list[dict]:
    """Every job the API lists, following the cursor to the end."""
    items, cursor = [], None
    while True:
        query = {"limit": 100} | ({"cursor": cursor} if cursor else {})
        page = client.get("/api/v1/jobs", query_string=query).get_json()
        items += page["items"]
        if not (cursor := page["next_cursor"]):
            return items


def served(url: str, token: str) -> dict:
    """What the app answers on this database: jobs, the feed, one job page, the sponsor's jobs."""
    app = make_app(url)
    client = app.test_client()
    jobs = all_jobs(client)
    answers = {
        "jobs": jobs,
        "feed": client.get("/feed.json").get_json()["items"],
        "page": client.get(jobs[0]["url"].removeprefix("http://jobs.test")).status_code,
        "sponsor": client.get(
            "/api/v1/sponsor/jobs", headers={"Authorization": f"Bearer {token}"}
        ).get_json(),
    }
    app.extensions["jobboard.engine"].dispose()
    return answers


def test_a_restored_dump_serves_the_same_jobs(databases, tmp_path: Path) -> None:
    source = databases()
    migrate.upgrade(source)
    load_demo(source)
    engine = sa.create_engine(source)
    token = trusted_sponsor_token(engine)
    engine.dispose()
    app = make_app(source)
    posted = app.test_client().post(
        "/api/v1/sponsor/jobs",
        headers={"Authorization": f"Bearer {token}"},
        json={
            "title": "Backup Engineer",
            "company": "Orbital Labs",
            "apply_url": "https://orbital.example/jobs/backup",
            "description": "Keep *dumps*.",
        },
    )
    app.extensions["jobboard.engine"].dispose()
    assert posted.status_code == 201
    before = served(source, token)

    dump = tmp_path / "jobboard.dump"
    subprocess.run(
        ["pg_dump", "-Fc", "--no-owner", "-f", str(dump), *libpq_args(source)],
        check=True,
        timeout=120,
    )
    target = databases()
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", *libpq_args(target), str(dump)],
        check=True,
        timeout=120,
    )

    migrate.upgrade(target)  # the dump carries its schema version: nothing to do
    after = served(target, token)
    assert len(after["jobs"]) == 49 and after["sponsor"][0]["title"] == "Backup Engineer"
    assert after == before
