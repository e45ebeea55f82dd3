"""The `jobboard` command on both backends."""

from __future__ import annotations

import sqlalchemy as sa

from models.tables import Job


def test_every_command_has_help(cli):
    for command in ("db", "serve", "run", "demo", "scheduler", "expire"):
        result = cli(command, "--help")
        assert result.exit_code == 0, command
        assert "Usage:" in result.output


def test_db_upgrade_is_repeatable(cli):
    assert cli("db", "upgrade").exit_code == 0
    assert cli("db", "upgrade").exit_code == 0


def test_demo_loads_the_bundled_postings_through_ingest(cli, session):
    result = cli("demo")
    assert result.exit_code == 0, result.output
    assert "48 created" in result.output and "0 rejected" in result.output
    assert session.scalar(sa.select(sa.func.count()).select_from(Job)) == 48
    featured = session.scalar(
        sa.select(sa.func.count()).select_from(Job).where(Job.featured_until.is_not(None))
    )
    assert featured == 4


def test_demo_twice_changes_nothing(cli, session):
    cli("demo")
    before = session.execute(
        sa.select(Job.id, Job.updated_at, Job.content_hash).order_by(Job.id)
    ).all()
    result = cli("demo")
    assert "0 created, 0 updated, 48 unchanged" in result.output
    after = session.execute(
        sa.select(Job.id, Job.updated_at, Job.content_hash).order_by(Job.id)
    ).all()
    assert before == after
