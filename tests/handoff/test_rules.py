"""Pure rules: service hours (WIB, holidays), due times, expected wait."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.handoff.rules import Hours, Timers, expected_wait, in_service, next_opening, queue_key, sla_due

HOURS = Hours(holidays=frozenset({date(2025, 12, 25)}))


def wib(day: int, hour: int, minute: int = 0, month: int = 1) -> datetime:
    return (
        datetime(2025, month, day, hour - 7, minute, tzinfo=UTC)
        if hour >= 7
        else datetime(2025, month, day - 1, hour + 17, minute, tzinfo=UTC)
    )


def test_service_hours_are_weekdays_8_to_16_wib() -> None:
    assert in_service(wib(6, 8), HOURS)  # Monday 08:00
    assert in_service(wib(6, 15, 59), HOURS)
    assert not in_service(wib(6, 16), HOURS)
    assert not in_service(wib(6, 7, 59), HOURS)
    assert not in_service(wib(11, 10), HOURS)  # Saturday
    assert not in_service(wib(25, 10, month=12), HOURS)  # holiday


def test_next_opening_skips_the_weekend() -> None:
    friday_evening = wib(10, 18)
    assert next_opening(friday_evening, HOURS) == wib(13, 8)
    assert next_opening(wib(6, 9), HOURS) == wib(6, 9)


def test_urgent_first_then_oldest() -> None:
    t = datetime(2025, 1, 6, tzinfo=UTC)
    keys = sorted(
        [queue_key(False, t, 1), queue_key(True, t + timedelta(hours=1), 3), queue_key(False, t, 2)]
    )
    assert [k[-1] for k in keys] == [3, 1, 2]


def test_sla_and_expected_wait() -> None:
    t = datetime(2025, 1, 6, tzinfo=UTC)
    assert sla_due(t, False, Timers()) == t + timedelta(minutes=10)
    assert sla_due(t, True, Timers()) == t + timedelta(minutes=5)
    assert expected_wait([], Timers()) == timedelta(minutes=10)
    waits = [timedelta(minutes=m) for m in (2, 4, 30)]
    assert expected_wait(waits, Timers()) == timedelta(minutes=4)
