"""Counsellor handoff: cases, case notes, counsellors.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)
AUTO_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    _create_cases()
    _create_notes()
    _create_counsellors()


def downgrade() -> None:
    op.drop_table("handoff_counsellors")
    op.drop_index(op.f("ix_handoff_notes_case_id"), table_name="handoff_notes")
    op.drop_table("handoff_notes")
    for name in (
        "ix_handoff_cases_status_urgent_created_at",
        "ix_handoff_cases_counsellor_id",
        "ix_handoff_cases_user_id",
    ):
        op.drop_index(op.f(name), table_name="handoff_cases")
    op.drop_table("handoff_cases")


def _create_cases() -> None:
    op.create_table(
        "handoff_cases",
        sa.Column("id", AUTO_ID, autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("urgent", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("topic", sa.String(32), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("lang", sa.String(2), nullable=False),
        sa.Column("first_name", sa.String(128), nullable=False),
        sa.Column("counsellor_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", UTC_DATETIME, server_default=sa.func.now(), nullable=False),
        sa.Column("assigned_at", UTC_DATETIME, nullable=True),
        sa.Column("closed_at", UTC_DATETIME, nullable=True),
        sa.Column("cancelled_at", UTC_DATETIME, nullable=True),
        sa.Column("last_counsellor_reply_at", UTC_DATETIME, nullable=True),
        sa.Column("last_activity_at", UTC_DATETIME, server_default=sa.func.now(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("sla_notified_at", UTC_DATETIME, nullable=True),
        sa.Column("reminder_sent_at", UTC_DATETIME, nullable=True),
        sa.CheckConstraint(
            "status IN ('waiting', 'assigned', 'closed', 'cancelled')", name=op.f("ck_handoff_cases_status")
        ),
        sa.CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name=op.f("ck_handoff_cases_rating")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handoff_cases")),
    )
    op.create_index(op.f("ix_handoff_cases_user_id"), "handoff_cases", ["user_id"])
    op.create_index(op.f("ix_handoff_cases_counsellor_id"), "handoff_cases", ["counsellor_id"])
    op.create_index(
        op.f("ix_handoff_cases_status_urgent_created_at"), "handoff_cases", ["status", "urgent", "created_at"]
    )


def _create_notes() -> None:
    op.create_table(
        "handoff_notes",
        sa.Column("id", AUTO_ID, autoincrement=True, nullable=False),
        sa.Column("case_id", sa.BigInteger(), nullable=False),
        sa.Column("counsellor_id", sa.BigInteger(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["handoff_cases.id"],
            name=op.f("fk_handoff_notes_case_id_handoff_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handoff_notes")),
    )
    op.create_index(op.f("ix_handoff_notes_case_id"), "handoff_notes", ["case_id"])


def _create_counsellors() -> None:
    op.create_table(
        "handoff_counsellors",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("first_name", sa.String(128), nullable=False),
        sa.Column("on_duty", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("current_case_id", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handoff_counsellors")),
    )
