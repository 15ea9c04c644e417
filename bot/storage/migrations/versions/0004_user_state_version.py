"""Users: ``version`` counts the writes of a user's dialogue state.

Two updates of one user processed at the same moment (webhook instances, or a user tapping twice)
each load the state, and the second write would silently undo the first. ``record_turn`` now writes
only when the version it loaded is still current; otherwise the turn is computed again.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), server_default=sa.text("0"), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("version")
