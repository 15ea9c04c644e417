"""Which journey reminders are due, and what they say. Pure: the time is always passed in.

A person who saved their dates and opted in (/pengingat) gets, at most once each:

* ``d30``, ``d7``, ``d1`` — 30, 7 and 1 days before the claim deadline, until they tap "sudah klaim".
  A reminder that could not go out on its day (one proactive message a day, of any kind) goes the next
  day instead; the most urgent one due covers the earlier ones ("7 days left" makes "30 days" moot).
* ``m2`` .. ``m6`` — in the first week of each benefit month from month 2 (its obligations), once claimed.
* ``jht`` — in the first 30 days after JHT becomes claimable.

Deadline reminders come first, then the month's obligations, then JHT. Every reminder is computed for
the person's *send day*: the next moment outside quiet hours (21:00-07:00) in their own time zone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bot.dialogue.types import Button, Reply
from bot.knowledge import KnowledgeBase
from bot.services.freetext import add_months
from bot.services.jkp.journey import Words
from bot.services.jkp.rules import JkpRules
from bot.services.proactive import local_day, next_send_time, zone

__all__ = [
    "DEADLINE_DAYS",
    "JourneyRecord",
    "Ranges",
    "Reminder",
    "candidate_ranges",
    "reminder_reply",
    "select_reminders",
]

DEADLINE_DAYS = (1, 7, 30)  # ascending: the most urgent threshold reached wins
MONTH_WINDOW = timedelta(days=7)  # a month's obligations reminder goes out in its first week
JHT_WINDOW = timedelta(days=30)
KIND = "reminder"  # the ProactiveSink kind


@dataclass(frozen=True)
class JourneyRecord:
    """One saved timeline, as the reminder selection reads it."""

    user_id: int
    phk: date
    exact: bool = True
    last_day: date | None = None
    claimed: date | None = None
    reminders_on: bool = False
    zone: str | None = None
    lang: str = "id"
    sent: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Reminder:
    """A reminder to queue: ``key`` is marked sent with ``covers`` once the sink accepts it."""

    user_id: int
    key: str
    covers: tuple[str, ...]
    day: date  # the user's local day it is for
    not_before: datetime  # not sent before this (quiet hours)
    lang: str
    target: date  # the deadline, the month's start or the JHT date
    days: int = 0  # days left (deadline reminders)


SLACK = timedelta(days=3)  # month-end clamping moves a date by at most 3 days
MONTH_SPAN = timedelta(days=30)  # a month-only PHK date counts from its 1st: up to 30 days earlier


@dataclass(frozen=True)
class Ranges:
    """Date ranges outside which no timeline can have a reminder due (inclusive): read only these rows.

    ``unclaimed``: PHK dates whose deadline is 0-30 days away (one range per regime); ``left``: PHK or
    last-day dates whose JHT date is in its window; ``claimed``: claim dates with a benefit month starting.
    """

    unclaimed: tuple[tuple[date, date], ...]
    left: tuple[date, date]
    claimed: tuple[date, date]

    def holds(self, user: JourneyRecord) -> bool:
        """The same test as the SQL in ``JourneyStore.candidates``, for one record."""

        def inside(day: date | None, span: tuple[date, date]) -> bool:
            return day is not None and span[0] <= day <= span[1]

        spans = (
            self.unclaimed if user.exact else tuple((low, high + MONTH_SPAN) for low, high in self.unclaimed)
        )
        return (
            (user.claimed is None and any(inside(user.phk, span) for span in spans))
            or inside(user.phk, self.left)
            or inside(user.last_day, self.left)
            or inside(user.claimed, self.claimed)
        )


def candidate_ranges(rules: JkpRules, first: date, last: date) -> Ranges:
    """The ranges for local send days from ``first`` to ``last`` (zones put users on two days at once)."""
    unclaimed = []
    for regime in rules.regimes.values():
        window = regime.claim_window_months
        low, high = (
            add_months(first, -window) - SLACK,
            add_months(last + timedelta(days=max(DEADLINE_DAYS)), -window) + SLACK,
        )
        if regime.key == "old":
            high = min(high, rules.transition - timedelta(days=1))
        else:
            low = max(low, rules.transition)
        if low <= high:
            unclaimed.append((low, high))
    jht = rules.thresholds["jht_after_months"]
    left = (add_months(first - JHT_WINDOW, -jht) - SLACK, add_months(last, -jht) + SLACK)
    first_month, months = rules.thresholds["obligations_from_month"], rules.thresholds["benefit_months"]
    claimed = (
        add_months(first - MONTH_WINDOW, -(months - 1)) - SLACK,
        add_months(last, -(first_month - 1)) + SLACK,
    )
    return Ranges(tuple(unclaimed), left, claimed)


def select_reminders(users: Iterable[JourneyRecord], now: datetime, rules: JkpRules) -> list[Reminder]:
    """The reminders due for ``users`` at ``now`` (aware), at most one per user."""
    found = []
    for user in users:
        if not user.reminders_on:
            continue
        tz = zone(user.zone)
        send_at = next_send_time(now, tz)
        reminder = _due(user, local_day(send_at, tz), send_at, rules)
        if reminder is not None:
            found.append(reminder)
    return found


def _due(user: JourneyRecord, day: date, send_at: datetime, rules: JkpRules) -> Reminder | None:
    phk = user.phk if user.exact else user.phk.replace(day=1)
    window = rules.regime_for(user.phk).claim_window_months
    if user.claimed is None:
        deadline = add_months(phk, window)
        left = (deadline - day).days
        for index, limit in enumerate(DEADLINE_DAYS):
            key = f"d{limit}"
            if 0 <= left <= limit and key not in user.sent:
                covers = tuple(f"d{n}" for n in DEADLINE_DAYS[index:])
                return Reminder(user.user_id, key, covers, day, send_at, user.lang, deadline, left)
    else:
        month = _month_due(user, user.claimed, day, rules)
        if month is not None:
            number, start = month
            return Reminder(user.user_id, f"m{number}", (f"m{number}",), day, send_at, user.lang, start)
    jht = add_months(user.last_day or user.phk, rules.thresholds["jht_after_months"])
    if jht <= day < jht + JHT_WINDOW and "jht" not in user.sent:
        return Reminder(user.user_id, "jht", ("jht",), day, send_at, user.lang, jht)
    return None


def _month_due(user: JourneyRecord, claimed: date, day: date, rules: JkpRules) -> tuple[int, date] | None:
    first, months = rules.thresholds["obligations_from_month"], rules.thresholds["benefit_months"]
    for number in range(first, months + 1):
        start = add_months(claimed, number - 1)
        if start <= day < start + MONTH_WINDOW and f"m{number}" not in user.sent:
            return number, start
    return None


def reminder_reply(kb: KnowledgeBase, reminder: Reminder) -> Reply:
    """The reminder's text with "stop reminders" and (before the claim is noted) "sudah klaim" buttons."""
    words = Words.of(kb, reminder.lang)
    when = words.date(reminder.target)
    if reminder.key.startswith("d"):
        text = (
            words("tl.deadline_today", date=when)
            if reminder.days == 0
            else words("r.deadline_last", date=when)
            if reminder.days == 1
            else words("r.deadline", date=when, days=reminder.days)
        )
    elif reminder.key.startswith("m"):
        text = words(
            "r.month",
            n=reminder.key[1:],
            date=when,
            rule=words.rules.rule_text("month_obligations", words.lang),
        )
    else:
        text = words("r.jht", date=when)
    stop = Button(words("j.btn.stop"), "j:stop")
    if reminder.key.startswith("m"):  # the claim is already noted
        return Reply(text, ((stop,),))
    return Reply(text, ((Button(words("j.btn.claimed"), "j:claimed"), stop),))
