"""The ``journeys`` table: one saved timeline per user, stored only after the user tapped "save"."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, false, text, true
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base, UtcDateTime, utcnow

__all__ = ["Journey"]


class Journey(Base):
    """A user's own dates and their reminder settings; deleted with the user (/hapus) by the foreign key."""

    __tablename__ = "journeys"
    __table_args__ = (Index("ix_journeys_reminders_on_phk_date", "reminders_on", "phk_date"),)

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    phk_date: Mapped[date] = mapped_column(Date)
    phk_exact: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    last_day: Mapped[date | None] = mapped_column(Date)
    contract_end: Mapped[date | None] = mapped_column(Date)
    claimed_at: Mapped[date | None] = mapped_column(Date)
    claim_deadline: Mapped[date | None] = mapped_column(Date)  # from the timeline: counsellors' triage
    province: Mapped[str | None] = mapped_column(String(64))
    zone: Mapped[str | None] = mapped_column(String(4))  # WIB / WITA / WIT; None = WIB
    lang: Mapped[str] = mapped_column(String(2), default="id", server_default=text("'id'"))
    consent_at: Mapped[datetime] = mapped_column(UtcDateTime)
    reminders_on: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    sent: Mapped[list[Any]] = mapped_column(JSON, default=list, server_default=text("'[]'"))  # reminder keys
    reminders_sent: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    stopped_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # last time reminders were stopped
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
