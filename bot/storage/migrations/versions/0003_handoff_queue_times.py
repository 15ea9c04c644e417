"""Handoff: when a case (re)entered the queue, and what the bot had answered before it opened.

``queued_at`` lets a case handed back with /alihkan keep its place (``created_at``) while its SLA
and the pickup statistics count from the moment it was queued again. ``answered`` lists the intent ids
the bot answered the user before the case opened, for the case card.

Revision ID: 0003
Revises: 0002
Create Date: 2025-01-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("handoff_cases") as batch:
        batch.add_column(sa.Column("queued_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("answered", sa.Text(), server_default="", nullable=False))
    op.execute("UPDATE handoff_cases SET queued_at = created_at")


def downgrade() -> None:
    with op.batch_alter_table("handoff_cases") as batch:
        batch.drop_column("answered")
        batch.drop_column("queued_at")
