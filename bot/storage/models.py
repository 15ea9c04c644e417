"""SQLAlchemy models: users with their dialogue state, the masked transcript, processed update ids.

Every datetime is timezone-aware UTC on the way in and out (SQLite stores it naive, as UTC). The
metadata has a naming convention so constraint names are the same on SQLite and PostgreSQL and in the
hand-written migrations beside this module. Feature packages (``bot/<feature>/models.py``) declare their
tables on the same :class:`Base`; :func:`all_metadata` imports them all.
"""

from __future__ import annotations

import importlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "Base",
    "OutboxRow",
    "ProcessedUpdate",
    "TranscriptRow",
    "User",
    "UtcDateTime",
    "all_metadata",
    "utcnow",
]

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only auto-increments an INTEGER PRIMARY KEY (the rowid alias), never a BIGINT one.
AutoBigInteger = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """``DateTime(timezone=True)`` that always returns aware UTC datetimes, also on SQLite."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: pass a timezone-aware value")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class User(Base):
    """One Telegram user: the id Telegram gives (64-bit, never generated here) and the dialogue state."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    first_name: Mapped[str] = mapped_column(String(128), default="")
    language: Mapped[str | None] = mapped_column(String(2))
    consent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    version: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))  # writes of state
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, server_default=func.now())
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, server_default=func.now())
    unreachable_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # outbox: blocked the bot / no chat


class TranscriptRow(Base):
    """One message in or out, its text already masked, with what matching decided for it."""

    __tablename__ = "transcript"
    __table_args__ = (
        CheckConstraint("direction IN ('in', 'out')", name="direction"),
        CheckConstraint("band IS NULL OR band IN ('answer', 'clarify', 'fallback')", name="band"),
    )

    id: Mapped[int] = mapped_column(AutoBigInteger, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    direction: Mapped[str] = mapped_column(String(3))
    text: Mapped[str] = mapped_column(Text)
    intent: Mapped[str | None] = mapped_column(String(64))
    score: Mapped[float | None] = mapped_column(Float)
    band: Mapped[str | None] = mapped_column(String(10))
    lang: Mapped[str | None] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(
        UtcDateTime, index=True, default=utcnow, server_default=func.now()
    )


class ProcessedUpdate(Base):
    """A Telegram update id already handled, so a redelivered update is not answered twice."""

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    processed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, server_default=func.now())


class OutboxRow(Base):
    """One Bot API call the bot owes a chat (a message, an edit, a copy, a callback answer), written in the
    transaction that decided it and sent by the delivery worker in ``id`` order per chat.

    ``state``: pending (to send), sent, failed (the chat cannot be reached: blocked, no such chat) or dead
    (this call was refused, e.g. a malformed message, or retries ran out). ``dedupe`` is unique: a
    proactive message carries ``user:day`` so a user gets at most one a day.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint("state IN ('pending', 'sent', 'failed', 'dead')", name="state"),
        Index("ix_outbox_queue", "state", "chat_id", "id"),
        Index("ix_outbox_sent_at", "sent_at"),
        Index("ix_outbox_user_id", "user_id"),
        Index("ix_outbox_dedupe", "dedupe", unique=True),
    )

    id: Mapped[int] = mapped_column(
        AutoBigInteger, primary_key=True, autoincrement=True
    )  # the order in a chat
    chat_id: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[int | None] = mapped_column(BigInteger)  # whose data it is (/hapus deletes it)
    method: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)  # the Bot API parameters, rendered
    priority: Mapped[int] = mapped_column(Integer, default=0)  # 0: a reply to someone who wrote; 1: bulk
    state: Mapped[str] = mapped_column(String(8), default="pending")
    not_before: Mapped[datetime] = mapped_column(UtcDateTime)
    next_try_at: Mapped[datetime] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(200))
    claimed_until: Mapped[datetime | None] = mapped_column(UtcDateTime)  # a worker's lease
    claim_token: Mapped[str | None] = mapped_column(String(32))
    message_id: Mapped[int | None] = mapped_column(BigInteger)  # Telegram's, once sent (later edits use it)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    dedupe: Mapped[str | None] = mapped_column(String(64))


def all_metadata() -> MetaData:
    """The metadata with every table: imports each feature's ``bot/<feature>/models.py`` first."""
    for path in sorted(Path(__file__).parents[1].glob("*/models.py")):
        if path.parent.name != "storage":
            importlib.import_module(f"bot.{path.parent.name}.models")
    return Base.metadata
