"""`jobboard sponsors ...` and `jobboard admin create-user`."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from models import admin_users, sponsors
from models.tables import Sponsor
from tests.sponsors.conftest import submit_form
from tests.sponsors.factories import form_data


def test_sponsors_create_prints_a_working_token_once(cli, session):
    result = cli("sponsors", "create", "Acme AI", "--email", "jobs@acme.example")
    assert result.exit_code == 0
    token = re.search(r"(jbs_\S+)", result.output).group(1)
    assert sponsors.authenticate(session, token).name == "Acme AI"
    assert token not in cli("sponsors", "list").output


def test_sponsors_create_refuses_a_bad_email_and_stores_nothing(cli, session):
    result = cli("sponsors", "create", "Acme AI", "--email", "not-an-email")
    assert result.exit_code == 1
    assert "not a valid e-mail address" in result.output
    assert session.scalar(sa.select(sa.func.count()).select_from(Sponsor)) == 0


@pytest.mark.parametrize(
    ("name", "email", "reason"),
    [
        ("n" * 201, "jobs@acme.example", "at most 200 characters"),
        ("Acme\nInjected", "jobs@acme.example", "one line"),
        ("Acme AI", "x" * 65 + "@acme.example", "not a valid e-mail address"),
        ("Acme AI", "jobs@" + "a" * 250 + ".example", "not a valid e-mail address"),
    ],
)
def test_sponsors_create_refuses_what_the_columns_cannot_hold(cli, session, name, email, reason):
    result = cli("sponsors", "create", name, "--email", email)
    assert result.exit_code == 1 and reason in result.output
    assert session.scalar(sa.select(sa.func.count()).select_from(Sponsor)) == 0


def test_sponsors_create_trusted_and_list(cli):
    cli("sponsors", "create", "Acme AI", "--email", "jobs@acme.example", "--trusted")
    assert "1\tAcme AI\tjobs@acme.example\tapi\tactive,trusted" in cli("sponsors", "list").output


def test_a_form_posters_name_is_one_plain_line_in_the_list_however_it_was_typed(cli, client):
    """A form poster is named by the company typed in: with a newline, tabs and a terminal
    escape it forged a trusted sponsor's line in `sponsors list` and cleared the screen."""
    forged = "Acme\n99\tOpenAI\tceo@openai.example\tapi\tactive,trusted\x1b[2J"
    assert submit_form(client, "/post", form_data(company=forged)).status_code == 303
    lines = cli("sponsors", "list").output.splitlines()
    assert lines == [
        "1\tAcme 99 OpenAI ceo@openai.example api active,trusted[2J\thiring@orbital.example"
        "\tform\tactive\tfeatured_quota=0"
    ]


def test_sponsors_revoke_disables_the_token(cli, session):
    token = re.search(r"(jbs_\S+)", cli("sponsors", "create", "A", "--email", "a@a.example").output)
    assert cli("sponsors", "revoke", "1").exit_code == 0
    assert sponsors.authenticate(session, token.group(1)) is None


def test_sponsors_trust_and_untrust(cli, session):
    cli("sponsors", "create", "A", "--email", "a@a.example")
    assert cli("sponsors", "trust", "1").exit_code == 0
    assert session.scalar(sa.select(Sponsor.trusted)) is True
    session.commit()
    assert cli("sponsors", "trust", "1", "--off").exit_code == 0
    assert session.scalar(sa.select(Sponsor.trusted)) is False


def test_an_unknown_sponsor_is_a_clear_error(cli):
    result = cli("sponsors", "revoke", "42")
    assert result.exit_code == 1 and "no sponsor with id 42" in result.output


def test_admin_create_user_asks_the_password_twice(cli, session):
    password = "correct horse battery staple"
    result = cli("admin", "create-user", "mod", input=f"{password}\n{password}\n")
    assert result.exit_code == 0, result.output
    assert password not in result.output
    assert admin_users.authenticate(session, "mod", password) is not None


def test_admin_create_user_refuses_mismatched_or_short_passwords(cli, session):
    mismatch = cli("admin", "create-user", "mod", input="a long password 1\na long password 2\n")
    assert mismatch.exit_code != 0
    short = cli("admin", "create-user", "mod", input="short\nshort\n")
    assert short.exit_code == 1 and "at least 12" in short.output


def test_admin_create_user_refuses_a_password_of_spaces(cli):
    blank = " " * 12
    result = cli("admin", "create-user", "mod", input=f"{blank}\n{blank}\n")
    assert result.exit_code == 1 and "not only spaces" in result.output


@pytest.mark.parametrize(("first", "second"), [("alice", "ALICE"), ("Bob", "bob")])
def test_admin_user_names_differing_only_in_case_are_one_name(cli, first, second):
    password = "correct horse battery staple"
    assert cli("admin", "create-user", first, input=f"{password}\n{password}\n").exit_code == 0
    again = cli("admin", "create-user", second, input=f"{password}\n{password}\n")
    assert again.exit_code == 1 and "exists already" in again.output


def test_admin_user_name_of_two_lines_is_refused(cli):
    password = "correct horse battery staple"
    result = cli("admin", "create-user", "mod\nroot", input=f"{password}\n{password}\n")
    assert result.exit_code == 1 and "on one line" in result.output


def test_a_revoked_sponsor_cannot_be_trusted(cli, session):
    cli("sponsors", "create", "Acme AI", "--email", "jobs@acme.example")
    cli("sponsors", "revoke", "1")
    result = cli("sponsors", "trust", "1")
    assert result.exit_code == 1 and "revoked sponsor cannot be trusted" in result.output
    assert session.scalar(sa.select(Sponsor.trusted)) is False


def test_sponsors_quota_sets_how_many_jobs_a_sponsor_may_feature(cli, session):
    cli("sponsors", "create", "A", "--email", "a@a.example", "--featured-quota", "3")
    assert "featured_quota=3" in cli("sponsors", "list").output
    result = cli("sponsors", "quota", "1", "5")
    assert result.exit_code == 0 and "featured_quota=5" in result.output
    assert session.scalar(sa.select(Sponsor.featured_quota)) == 5


@pytest.mark.parametrize("quota", ["-1", "1001", "many"])
def test_sponsors_quota_out_of_range_is_refused(cli, quota):
    cli("sponsors", "create", "A", "--email", "a@a.example")
    result = cli("sponsors", "quota", "1", quota)
    assert result.exit_code == 2 and "FEATURED" in result.output


def test_a_form_poster_gets_no_featured_quota(cli, session):
    sponsors.form_sponsor(session, "Posted by form", "jobs@form.example")
    session.commit()
    result = cli("sponsors", "quota", "1", "2")
    assert result.exit_code == 1 and "only API sponsors can feature jobs" in result.output
