"""Reminder selection with an injected clock: thresholds, catch-up, quiet hours, one a day, stop, claim."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest

from bot.services.jkp.reminders import JourneyRecord, reminder_reply, select_reminders
from bot.services.jkp.rules import JkpRules
from bot.services.proactive import MemorySink

# PHK 1 Jul 2026 -> deadline 1 Jan 2027 (30 days before: 2 Dec; 7: 25 Dec; 1: 31 Dec); JHT from 1 Aug 2026.
USER = JourneyRecord(1, date(2026, 7, 1), reminders_on=True)


@pytest.fixture
def rules(data: dict[str, Any]) -> JkpRules:
    return data["jkp_rules"]  # type: ignore[no-any-return]


def at(day: date, hour_utc: int = 3) -> datetime:  # 03:00 UTC = 10:00 WIB
    return datetime(day.year, day.month, day.day, hour_utc, tzinfo=UTC)


def keys(found: list) -> list[str]:
    return [r.key for r in found]


def test_30_7_and_1_days_before_the_deadline(rules: JkpRules) -> None:
    assert keys(select_reminders([USER], at(date(2026, 12, 1)), rules)) == []
    assert keys(select_reminders([USER], at(date(2026, 12, 2)), rules)) == ["d30"]
    assert (
        keys(select_reminders([replace(USER, sent=frozenset({"d30"}))], at(date(2026, 12, 20)), rules)) == []
    )
    assert keys(
        select_reminders([replace(USER, sent=frozenset({"d30"}))], at(date(2026, 12, 25)), rules)
    ) == ["d7"]
    last = select_reminders([replace(USER, sent=frozenset({"d30", "d7"}))], at(date(2026, 12, 31)), rules)
    assert keys(last) == ["d1"] and last[0].days == 1
    assert keys(select_reminders([USER], at(date(2027, 1, 2)), rules)) == []  # passed: nothing to remind


def test_a_missed_reminder_goes_the_next_day_and_the_most_urgent_covers_the_rest(rules: JkpRules) -> None:
    [late] = select_reminders([USER], at(date(2026, 12, 27)), rules)  # saved only with 5 days left
    assert (late.key, late.covers, late.days) == ("d7", ("d7", "d30"), 5)


def test_no_deadline_reminders_once_claimed_but_the_months_obligations(rules: JkpRules) -> None:
    claimed = replace(USER, claimed=date(2026, 9, 30), sent=frozenset({"jht"}))
    assert keys(select_reminders([claimed], at(date(2026, 12, 10)), rules)) == []  # no d30/d7 any more
    assert keys(select_reminders([claimed], at(date(2026, 10, 30)), rules)) == ["m2"]
    assert keys(select_reminders([claimed], at(date(2026, 11, 5)), rules)) == ["m2"]  # within the first week
    assert keys(select_reminders([claimed], at(date(2026, 11, 6)), rules)) == []
    assert keys(select_reminders([claimed], at(date(2027, 2, 28)), rules)) == ["m6"]


def test_jht_when_it_becomes_claimable(rules: JkpRules) -> None:
    assert keys(select_reminders([USER], at(date(2026, 8, 1)), rules)) == ["jht"]
    assert keys(
        select_reminders([replace(USER, last_day=date(2026, 6, 20))], at(date(2026, 7, 20)), rules)
    ) == ["jht"]
    assert keys(select_reminders([USER], at(date(2026, 7, 31)), rules)) == []


def test_stopped_reminders_select_nothing(rules: JkpRules) -> None:
    assert select_reminders([replace(USER, reminders_on=False)], at(date(2026, 12, 2)), rules) == []


def test_quiet_hours_move_the_reminder_to_the_next_morning_in_the_users_zone(rules: JkpRules) -> None:
    night = datetime(2026, 12, 1, 15, tzinfo=UTC)  # 22:00 WIB on 1 Dec, 23:00 WITA, 00:00 WIT on 2 Dec
    [wib] = select_reminders([USER], night, rules)
    assert wib.day == date(2026, 12, 2) and wib.not_before == datetime(
        2026, 12, 2, 0, tzinfo=UTC
    )  # 07:00 WIB
    [wit] = select_reminders([replace(USER, zone="WIT")], night, rules)
    assert wit.not_before == datetime(2026, 12, 1, 22, tzinfo=UTC)  # 07:00 WIT on 2 Dec
    [day] = select_reminders([USER], at(date(2026, 12, 2)), rules)
    assert day.not_before == at(date(2026, 12, 2))  # daytime: now


async def test_one_a_day_through_the_sink_and_never_to_an_unreachable_user(kb, rules: JkpRules) -> None:
    sink = MemorySink(unreachable={2})
    users = [USER, replace(USER, user_id=2)]
    for reminder in select_reminders(users, at(date(2026, 12, 2)), rules):
        await sink(
            user_id=reminder.user_id,
            chat_id=reminder.user_id,
            replies=[reminder_reply(kb, reminder)],
            day=reminder.day,
            kind="reminder",
            not_before=reminder.not_before,
        )
    assert [q.user_id for q in sink.queued] == [1]
    again = await sink(
        user_id=1,
        chat_id=1,
        replies=[],
        day=date(2026, 12, 2),
        kind="job_alert",
        not_before=at(date(2026, 12, 2)),
    )
    assert again is False


def test_every_reminder_has_a_stop_button_and_deadline_ones_sudah_klaim(kb, rules: JkpRules) -> None:
    [deadline] = select_reminders([USER], at(date(2026, 12, 2)), rules)
    reply = reminder_reply(kb, deadline)
    assert "1 Januari 2027, 30 hari lagi" in reply.text and "BPJS Ketenagakerjaan" in reply.text
    assert {b.data for row in reply.buttons for b in row} == {"j:stop", "j:claimed"}
    [month] = select_reminders(
        [replace(USER, claimed=date(2026, 9, 30), lang="en")], at(date(2026, 10, 30)), rules
    )
    reply = reminder_reply(kb, month)
    assert "month 2" in reply.text and "5 employers" in reply.text
    assert {b.data for row in reply.buttons for b in row} == {"j:stop"}


def test_the_candidate_ranges_never_drop_a_due_reminder(rules: JkpRules) -> None:
    """Random timelines on many days: selecting from the rows the SQL ranges keep finds the same reminders."""
    import random
    from datetime import timedelta

    from bot.services.jkp.reminders import candidate_ranges

    rng = random.Random(3)
    for _ in range(60):
        today = date(2025, 1, 1) + timedelta(days=rng.randrange(0, 900))
        users = []
        for user_id in range(200):
            phk = today - timedelta(days=rng.randrange(0, 450))
            users.append(
                JourneyRecord(
                    user_id,
                    phk,
                    exact=rng.random() < 0.8,
                    reminders_on=True,
                    last_day=phk - timedelta(days=rng.randrange(0, 20)) if rng.random() < 0.3 else None,
                    claimed=phk + timedelta(days=rng.randrange(0, 200)) if rng.random() < 0.4 else None,
                    zone=rng.choice(["WIB", "WITA", "WIT"]),
                )
            )
        now = datetime(today.year, today.month, today.day, rng.randrange(0, 24), tzinfo=UTC)
        ranges = candidate_ranges(rules, today - timedelta(days=1), today + timedelta(days=1))
        assert select_reminders([u for u in users if ranges.holds(u)], now, rules) == select_reminders(
            users, now, rules
        )
