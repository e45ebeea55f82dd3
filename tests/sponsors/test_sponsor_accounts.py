"""Sponsor tokens, manage links and moderator passwords: only hashes are stored."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from models import admin_users, sponsors
from models.tables import AdminUser, Sponsor


def test_a_new_sponsor_token_authenticates_and_only_its_hash_is_stored(session):
    sponsor, token = sponsors.create(session, "Acme AI", "jobs@acme.example")
    session.commit()
    stored = session.scalar(sa.select(Sponsor.api_token_hash))
    assert token not in stored and stored == sponsors.token_hash(token)
    assert sponsors.authenticate(session, token) is sponsor


@pytest.mark.parametrize("token", [None, "", "jbs_wrong", "not-a-token", "jbs_" + "x" * 500])
def test_a_wrong_token_authenticates_nobody(session, token):
    sponsors.create(session, "Acme AI", "jobs@acme.example")
    session.commit()
    assert sponsors.authenticate(session, token) is None


def test_a_revoked_token_stops_working(session):
    sponsor, token = sponsors.create(session, "Acme AI", "jobs@acme.example")
    sponsors.revoke(session, sponsor.id)
    session.commit()
    assert sponsors.authenticate(session, token) is None


def test_a_form_poster_cannot_be_trusted(session):
    poster = sponsors.form_sponsor(session, "Acme AI", "Jobs@Acme.example")
    with pytest.raises(sponsors.SponsorError):
        sponsors.set_trusted(session, poster.id, True)


def test_form_posters_are_one_sponsor_per_email(session):
    first = sponsors.form_sponsor(session, "Acme AI", "Jobs@Acme.example")
    again = sponsors.form_sponsor(session, "Acme", "jobs@acme.example")
    assert first is again and not first.trusted


def test_an_api_sponsor_with_the_same_email_is_not_the_form_poster(session):
    api_sponsor, _ = sponsors.create(session, "Acme AI", "jobs@acme.example", trusted=True)
    poster = sponsors.form_sponsor(session, "Acme AI", "jobs@acme.example")
    assert poster is not api_sponsor and not poster.trusted


def test_an_admin_password_is_stored_as_a_slow_salted_hash(session):
    admin_users.create(session, "mod", "correct horse battery")
    session.commit()
    stored = session.scalar(sa.select(AdminUser.password_hash))
    assert "correct horse" not in stored and stored.startswith(("scrypt:", "pbkdf2:"))


@pytest.mark.parametrize(
    ("username", "password", "ok"),
    [
        ("mod", "correct horse battery", True),
        ("mod", "wrong horse battery", False),
        ("nobody", "correct horse battery", False),
    ],
)
def test_admin_authentication(session, username, password, ok):
    user = admin_users.create(session, "mod", "correct horse battery")
    session.commit()
    assert (admin_users.authenticate(session, username, password) is user) is ok


@pytest.mark.parametrize(("username", "password"), [("", "long enough pw"), ("mod", "short")])
def test_admin_users_need_a_name_and_a_long_password(session, username, password):
    with pytest.raises(admin_users.AdminUserError):
        admin_users.create(session, username, password)


def test_a_taken_admin_name_is_refused(session):
    admin_users.create(session, "mod", "correct horse battery")
    with pytest.raises(admin_users.AdminUserError):
        admin_users.create(session, "mod", "another long password")
