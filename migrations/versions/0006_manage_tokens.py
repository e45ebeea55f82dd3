"""Sponsor manage links: the hash of each form posting's secret manage token.

Revision ID: 0006_manage_tokens
Revises: 560ff09049cc
Create Date: 2026-11-26 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_manage_tokens"
down_revision: str | None = "560ff09049cc"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("listings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("manage_token_hash", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint("uq_listings_manage_token_hash", ["manage_token_hash"])


def downgrade() -> None:
    with op.batch_alter_table("listings", schema=None) as batch_op:
        batch_op.drop_constraint("uq_listings_manage_token_hash", type_="unique")
        batch_op.drop_column("manage_token_hash")
