"""Job profiles: what a job seeker saved for matching, their job-alert subscription, and the vacancy
ids the alerts have already matched (so a restart does not forget which vacancies are new).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "job_profiles",
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("lang", sa.String(2), nullable=False),
        sa.Column("zone", sa.String(4), server_default="WIB", nullable=False),
        sa.Column("profile", sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("alerts", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("pending", sa.JSON(), server_default=sa.text("'[]'"), nullable=False),
        sa.Column("last_digest_day", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_job_profiles_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_job_profiles")),
    )
    op.create_index(op.f("ix_job_profiles_alerts"), "job_profiles", ["alerts"])
    op.create_table(
        "alert_seen_vacancies",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_seen_vacancies")),
    )


def downgrade() -> None:
    op.drop_table("alert_seen_vacancies")
    op.drop_index(op.f("ix_job_profiles_alerts"), table_name="job_profiles")
    op.drop_table("job_profiles")
