"""The job profiles table (on the core ``Base`` metadata): one row per person who saved a profile.

The dialogue keeps the working copy of the profile in the user's state; this row is what the digest
run reads (who wants alerts, for what, when they last had a digest, which matches are waiting). It
goes with the user: ``ON DELETE CASCADE`` from ``users``, so /hapus removes it in the same transaction.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, ForeignKey, String, false, func, text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base, UtcDateTime, utcnow

__all__ = ["JobProfile", "SeenVacancy"]


class JobProfile(Base):
    __tablename__ = "job_profiles"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    chat_id: Mapped[int] = mapped_column(BigInteger)
    lang: Mapped[str] = mapped_column(String(2), default="id")
    zone: Mapped[str] = mapped_column(String(4), default="WIB", server_default="WIB")
    profile: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    alerts: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false(), index=True)
    pending: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    last_digest_day: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, server_default=func.now())


class SeenVacancy(Base):
    """A vacancy id the alerts have already matched to subscribers, so a restart (or a second instance)
    after an import does not forget which vacancies are new: one row per id, written once."""

    __tablename__ = "alert_seen_vacancies"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, server_default=func.now())
