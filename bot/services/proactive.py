"""Proactive (bulk) messages: the contract features use to queue them, and the quiet-hours rule.

Reminders and job alerts are messages nobody asked for at that moment. They are opt-in, at most one a
day per user (of any kind: a reminder and a job digest on the same day are two, so the second waits),
never at night in the user's own time zone, and they go through the durable outbox. Features decide
*what* to send (pure); they hand it to a :class:`ProactiveSink`, which the assembly binds to the outbox.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.dialogue.types import Reply

QUIET_START, QUIET_END = time(21, 0), time(7, 0)  # no proactive sends 21:00-07:00, user's local time
ZONES = {"WIB": ZoneInfo("Asia/Jakarta"), "WITA": ZoneInfo("Asia/Makassar"), "WIT": ZoneInfo("Asia/Jayapura")}
DEFAULT_ZONE = "WIB"


def zone(name: str | None) -> ZoneInfo:
    """The time zone for ``WIB``/``WITA``/``WIT``; WIB when unknown."""
    return ZONES.get((name or "").upper(), ZONES[DEFAULT_ZONE])


def is_quiet(moment: datetime, tz: ZoneInfo) -> bool:
    """True at night in ``tz`` (21:00 up to 07:00), when nothing proactive may be sent."""
    local = moment.astimezone(tz).time()
    return local >= QUIET_START or local < QUIET_END


def next_send_time(moment: datetime, tz: ZoneInfo) -> datetime:
    """``moment`` itself outside quiet hours, else the next 07:00 in ``tz`` (as an aware datetime)."""
    if not is_quiet(moment, tz):
        return moment
    local = moment.astimezone(tz)
    morning = local.date() if local.time() < QUIET_END else local.date() + timedelta(days=1)
    return datetime.combine(morning, QUIET_END, tzinfo=tz)


def local_day(moment: datetime, tz: ZoneInfo) -> date:
    """The user's calendar day at ``moment``: the unit of "at most one proactive message a day"."""
    return moment.astimezone(tz).date()


class ProactiveSink(Protocol):
    """Queues one proactive message; bound to the outbox by the assembly, to :class:`MemorySink` in tests."""

    async def __call__(
        self,
        *,
        user_id: int,
        chat_id: int,
        replies: Sequence[Reply],
        day: date,
        kind: str,
        not_before: datetime,
    ) -> bool:
        """Queue ``replies`` for ``user_id`` on their local ``day``, not sent before ``not_before``.

        False (nothing queued) when the user already has a proactive message for that day, of any
        ``kind``, or cannot be reached (blocked the bot, deleted their data): the caller keeps its item
        for another day.
        """
        ...


@dataclass
class Queued:
    user_id: int
    chat_id: int
    replies: tuple[Reply, ...]
    day: date
    kind: str
    not_before: datetime


@dataclass
class MemorySink:
    """The in-memory twin of the outbox binding: one message per user and day, unreachable users refused."""

    queued: list[Queued] = field(default_factory=list)
    unreachable: set[int] = field(default_factory=set)

    async def __call__(
        self,
        *,
        user_id: int,
        chat_id: int,
        replies: Sequence[Reply],
        day: date,
        kind: str,
        not_before: datetime,
    ) -> bool:
        if user_id in self.unreachable or any(q.user_id == user_id and q.day == day for q in self.queued):
            return False
        self.queued.append(Queued(user_id, chat_id, tuple(replies), day, kind, not_before))
        return True


__all__ = [
    "DEFAULT_ZONE",
    "QUIET_END",
    "QUIET_START",
    "ZONES",
    "MemorySink",
    "ProactiveSink",
    "Queued",
    "is_quiet",
    "local_day",
    "next_send_time",
    "zone",
]
