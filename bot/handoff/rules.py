"""Pure handoff rules: queue order, SLA due times, service hours, expected wait. No I/O, no clock.

Every function takes the time it needs as an argument, so tests (and the timers) decide what "now" is.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = [
    "TRIAGE_DAYS",
    "Hours",
    "Timers",
    "deadline_near",
    "expected_wait",
    "in_service",
    "queue_key",
    "sla_due",
    "reminder_due",
    "idle_due",
    "next_opening",
]

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TRIAGE_DAYS = 14  # a JKP claim deadline this close puts a case ahead of older ones (after crisis cases)


@dataclass(frozen=True)
class Hours:
    """When counsellors work: weekdays (0 = Monday), opening and closing time, time zone, holidays."""

    days: frozenset[int] = frozenset(range(5))
    start: time = time(8, 0)
    end: time = time(16, 0)
    zone: str = "Asia/Jakarta"
    holidays: frozenset[date] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Timers:
    """How long things may take before the bot nudges someone."""

    sla: timedelta = timedelta(minutes=10)
    sla_urgent: timedelta = timedelta(minutes=5)
    reply_reminder: timedelta = timedelta(minutes=30)
    idle_close: timedelta = timedelta(hours=24)
    default_wait: timedelta = timedelta(minutes=10)
    tick_seconds: float = 5.0


def in_service(now: datetime, hours: Hours) -> bool:
    """True when ``now`` (aware) falls in service hours on a working, non-holiday day."""
    local = now.astimezone(ZoneInfo(hours.zone))
    if local.weekday() not in hours.days or local.date() in hours.holidays:
        return False
    return hours.start <= local.time() < hours.end


def next_opening(now: datetime, hours: Hours) -> datetime:
    """The next moment service hours begin (``now`` itself when open); searched up to 60 days ahead."""
    if in_service(now, hours):
        return now
    zone = ZoneInfo(hours.zone)
    local = now.astimezone(zone)
    for offset in range(61):
        day = local.date() + timedelta(days=offset)
        opening = datetime.combine(day, hours.start, zone)
        if opening > local and day.weekday() in hours.days and day not in hours.holidays:
            return opening
    return local


def queue_key(
    urgent: bool, created_at: datetime, case_id: int, *, near: bool = False
) -> tuple[int, int, datetime, int]:
    """Sort key: urgent (crisis) cases first, then claim deadlines within 14 days, then the oldest, then the id."""
    return (0 if urgent else 1, 0 if near else 1, created_at, case_id)


def deadline_near(deadline: date | None, today: date, days: int = TRIAGE_DAYS) -> bool:
    """A claim deadline from today up to ``days`` ahead (a passed one no longer hurries anyone)."""
    return deadline is not None and today <= deadline <= today + timedelta(days=days)


def sla_due(created_at: datetime, urgent: bool, timers: Timers) -> datetime:
    """When a waiting case should have been picked up."""
    return created_at + (timers.sla_urgent if urgent else timers.sla)


def reminder_due(assigned_at: datetime, last_reply: datetime | None, timers: Timers) -> datetime:
    """When the counsellor of an assigned case is reminded that the user waits for an answer."""
    return max(assigned_at, last_reply or assigned_at) + timers.reply_reminder


def idle_due(last_activity: datetime, timers: Timers) -> datetime:
    """When an assigned case with no messages either way closes itself."""
    return last_activity + timers.idle_close


def expected_wait(pickups: Sequence[timedelta], timers: Timers) -> timedelta:
    """Median of recent pickup times (the configured default when there are none yet), at least a minute."""
    # typeshed types median() for numbers only; it sorts and takes the middle (or (a + b) / 2), which
    # timedelta supports, so the result is a timedelta.
    base: timedelta = statistics.median(pickups) if pickups else timers.default_wait  # type: ignore[type-var]
    return max(base, timedelta(minutes=1))


def minutes(delta: timedelta) -> int:
    """Whole minutes, rounded up, at least 1."""
    return max(1, int(-(-delta.total_seconds() // 60)))


def days_from_names(names: Iterable[str]) -> frozenset[int]:
    """``["mon", "fri"]`` -> ``{0, 4}``; unknown names are ignored (the parser reports them)."""
    return frozenset(DAYS.index(n) for n in names if n in DAYS)
