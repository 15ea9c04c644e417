"""Initial schema: users, transcript, processed_updates.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)
# Names are wrapped in op.f(): they are final, the metadata naming convention must not add to them.


def upgrade() -> None:
    _create_users()
    _create_transcript()
    _create_processed_updates()


def downgrade() -> None:
    op.drop_table("processed_updates")
    op.drop_index(op.f("ix_transcript_created_at"), table_name="transcript")
    op.drop_index(op.f("ix_transcript_user_id"), table_name="transcript")
    op.drop_table("transcript")
    op.drop_table("users")


def _create_users() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("first_name", sa.String(128), nullable=False),
        sa.Column("language", sa.String(2), nullable=True),
        sa.Column("consent_at", UTC_DATETIME, nullable=True),
        sa.Column("state", sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("created_at", UTC_DATETIME, server_default=sa.func.now(), nullable=False),
        sa.Column("last_seen_at", UTC_DATETIME, server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
    )


def _create_transcript() -> None:
    op.create_table(
        "transcript",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("direction", sa.String(3), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("intent", sa.String(64), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("band", sa.String(10), nullable=True),
        sa.Column("lang", sa.String(2), nullable=True),
        sa.Column("created_at", UTC_DATETIME, server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint("direction IN ('in', 'out')", name=op.f("ck_transcript_direction")),
        sa.CheckConstraint(
            "band IS NULL OR band IN ('answer', 'clarify', 'fallback')", name=op.f("ck_transcript_band")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_transcript_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transcript")),
    )
    op.create_index(op.f("ix_transcript_user_id"), "transcript", ["user_id"])
    op.create_index(op.f("ix_transcript_created_at"), "transcript", ["created_at"])


def _create_processed_updates() -> None:
    op.create_table(
        "processed_updates",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("processed_at", UTC_DATETIME, server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("update_id", name=op.f("pk_processed_updates")),
    )
