"""Sponsors and their secrets: API tokens and manage links, stored only as hashes.

A token is 256 random bits; the database keeps its sha256, so a leaked table
grants nothing, and a lookup by hash compares no secret byte by byte.
"""

from __future__ import annotations

import hashlib
import secrets

import sqlalchemy as sa
import sqlalchemy.orm as so

from models.normalize.text import clean_text
from models.normalize.urls import canonical_email
from models.tables import Listing, Sponsor

API_TOKEN_PREFIX = "jbs_"  # recognizable in logs and by secret scanners


class SponsorError(ValueError):
    """A sponsor operation that cannot apply (e.g. a form poster made trusted)."""


class UnknownSponsor(SponsorError):
    """No sponsor has this id."""


def token_hash(token: str) -> str:
    """The stored form of a secret token."""
    return hashlib.sha256(token.encode()).hexdigest()


def create(
    session: so.Session, name: str, email: str, *, trusted: bool = False
) -> tuple[Sponsor, str]:
    """A new API sponsor and its token; the token is returned once and never stored."""
    address = canonical_email(email)
    if address is None:
        raise SponsorError(f"not a valid e-mail address: {email!r}")
    name = name.strip()
    if not name:
        raise SponsorError("the sponsor needs a name")
    if len(name) > 200 or not name.isprintable():
        raise SponsorError("the sponsor's name must be one line of at most 200 characters")
    token = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    sponsor = Sponsor(name=name, email=address, trusted=trusted, api_token_hash=token_hash(token))
    session.add(sponsor)
    session.flush()
    return sponsor, token


def authenticate(session: so.Session, token: str | None) -> Sponsor | None:
    """The active sponsor holding this API token, or None."""
    if not token or not token.startswith(API_TOKEN_PREFIX) or len(token) > 200:
        return None
    return session.scalar(
        sa.select(Sponsor).where(Sponsor.api_token_hash == token_hash(token), Sponsor.active)
    )


def all_sponsors() -> sa.Select[tuple[Sponsor]]:
    return sa.select(Sponsor).order_by(Sponsor.id)


def get(session: so.Session, sponsor_id: int) -> Sponsor:
    sponsor = session.get(Sponsor, sponsor_id)
    if sponsor is None:
        raise UnknownSponsor(f"no sponsor with id {sponsor_id}")
    return sponsor


def revoke(session: so.Session, sponsor_id: int) -> Sponsor:
    """Deactivate a sponsor: its token stops working and its e-mail can no longer post."""
    sponsor = get(session, sponsor_id)
    sponsor.active = False
    return sponsor


def set_trusted(session: so.Session, sponsor_id: int, trusted: bool) -> Sponsor:
    """Let a sponsor's postings publish without review (API sponsors only).

    Form posters are known only by an unverified e-mail address, which anyone
    could type, so trusting one would let anybody skip moderation.
    """
    sponsor = get(session, sponsor_id)
    if trusted and not sponsor.active:
        raise SponsorError("a revoked sponsor cannot be trusted")
    if trusted and sponsor.api_token_hash is None:
        raise SponsorError("only API sponsors can be trusted; form posters are always reviewed")
    sponsor.trusted = trusted
    return sponsor


MAX_FEATURED_QUOTA = 1000


def set_featured_quota(session: so.Session, sponsor_id: int, quota: int) -> Sponsor:
    """How many of its jobs a sponsor may feature at a time through the API (0: none).

    Lowering it ends no placement that runs: the sponsor just cannot start another
    until it is under the new quota.
    """
    if not 0 <= quota <= MAX_FEATURED_QUOTA:
        raise SponsorError(f"the featured quota must be from 0 to {MAX_FEATURED_QUOTA}")
    sponsor = get(session, sponsor_id)
    if quota and sponsor.api_token_hash is None:
        raise SponsorError("only API sponsors can feature jobs; form posters have no token")
    sponsor.featured_quota = quota
    return sponsor


def form_sponsor(session: so.Session, name: str, email: str) -> Sponsor:
    """The sponsor record of a web-form poster, one per e-mail address, never trusted.

    The address is keyed as the form read it (`canonical_email` decodes %-escapes, so
    "%68iring@x.example" is hiring@x.example): keyed as typed, a revoked poster could
    post again under a new spelling of the same address.
    """
    address = canonical_email(email)
    if address is None:
        raise SponsorError(f"not a valid e-mail address: {email!r}")
    email = address.lower()
    sponsor = session.scalar(
        sa.select(Sponsor)
        .where(sa.func.lower(Sponsor.email) == email, Sponsor.api_token_hash.is_(None))
        .order_by(Sponsor.id)
        .limit(1)
    )
    if sponsor is None:
        # Named by what was typed as the company: one line, no control characters, as an
        # API sponsor's name (a newline and tabs forged lines of `jobboard sponsors list`).
        name = clean_text(name, 200) or email
        sponsor = Sponsor(name=name, email=email, trusted=False)
        session.add(sponsor)
        session.flush()
    return sponsor


def issue_manage_token(listing: Listing) -> str:
    """A fresh secret manage link for one posting; any earlier link stops working."""
    token = secrets.token_urlsafe(32)
    listing.manage_token_hash = token_hash(token)
    return token


def listing_by_manage_token(session: so.Session, token: str) -> Listing | None:
    """The sponsor listing a manage link belongs to, or None, as for a revoked sponsor's: like
    its API token, revoking a sponsor ends its manage links."""
    if not token or len(token) > 200:
        return None
    return session.scalar(
        sa.select(Listing)
        .join(Sponsor, Sponsor.id == Listing.sponsor_id)
        .where(Listing.manage_token_hash == token_hash(token), Sponsor.active)
    )
