"""Handoff tables: cases, their private notes, and counsellors (on the core ``Base`` metadata)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import AutoBigInteger, Base, UtcDateTime, utcnow

__all__ = ["STATUSES", "Case", "CaseNote", "Counsellor"]

STATUSES = ("waiting", "assigned", "closed", "cancelled")


class Case(Base):
    """One request for a person: waiting in the queue, assigned to a counsellor, closed or cancelled."""

    __tablename__ = "handoff_cases"
    __table_args__ = (
        CheckConstraint("status IN ('waiting', 'assigned', 'closed', 'cancelled')", name="status"),
        CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating"),
        Index("ix_handoff_cases_status_urgent_created_at", "status", "urgent", "created_at"),
    )

    id: Mapped[int] = mapped_column(AutoBigInteger, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    status: Mapped[str] = mapped_column(String(10), default="waiting")
    urgent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    topic: Mapped[str] = mapped_column(String(32), default="other")
    description: Mapped[str] = mapped_column(Text, default="")
    lang: Mapped[str] = mapped_column(String(2), default="id")
    first_name: Mapped[str] = mapped_column(String(128), default="")
    counsellor_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, server_default=func.now())
    queued_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # opened, or last handed back (/alihkan)
    answered: Mapped[str] = mapped_column(Text, default="", server_default="")  # intent ids, comma-separated
    assigned_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_counsellor_reply_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_activity_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, server_default=func.now())
    rating: Mapped[int | None] = mapped_column(Integer)
    sla_notified_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class CaseNote(Base):
    """A counsellor's private note on a case (masked); the user never sees it."""

    __tablename__ = "handoff_notes"

    id: Mapped[int] = mapped_column(AutoBigInteger, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("handoff_cases.id", ondelete="CASCADE"), index=True
    )
    counsellor_id: Mapped[int] = mapped_column(BigInteger)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, server_default=func.now())


class Counsellor(Base):
    """A counsellor seen by the bot: the name users see, whether on duty, the case they are typing into."""

    __tablename__ = "handoff_counsellors"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    first_name: Mapped[str] = mapped_column(String(128), default="")
    on_duty: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    current_case_id: Mapped[int | None] = mapped_column(BigInteger)
