"""Journeys: a user's saved PHK date, their reminder settings and which reminders went out.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "journeys",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("phk_date", sa.Date(), nullable=False),
        sa.Column("phk_exact", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=True),
        sa.Column("contract_end", sa.Date(), nullable=True),
        sa.Column("claimed_at", sa.Date(), nullable=True),
        sa.Column("claim_deadline", sa.Date(), nullable=True),
        sa.Column("province", sa.String(64), nullable=True),
        sa.Column("zone", sa.String(4), nullable=True),
        sa.Column("lang", sa.String(2), server_default=sa.text("'id'"), nullable=False),
        sa.Column("consent_at", UTC_DATETIME, nullable=False),
        sa.Column("reminders_on", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("sent", sa.JSON(), server_default=sa.text("'[]'"), nullable=False),
        sa.Column("reminders_sent", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("stopped_at", UTC_DATETIME, nullable=True),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_journeys_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name="pk_journeys"),
    )
    op.create_index("ix_journeys_reminders_on_phk_date", "journeys", ["reminders_on", "phk_date"])


def downgrade() -> None:
    op.drop_index("ix_journeys_reminders_on_phk_date", table_name="journeys")
    op.drop_table("journeys")
