"""Quiet hours and the one-a-day rule of the proactive-message contract."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.dialogue.types import Reply
from bot.services.proactive import MemorySink, is_quiet, local_day, next_send_time, zone


def test_quiet_hours_follow_the_users_zone() -> None:
    moment = datetime(2026, 3, 2, 13, 30, tzinfo=UTC)  # 20:30 WIB, 21:30 WITA, 22:30 WIT
    assert not is_quiet(moment, zone("WIB"))
    assert is_quiet(moment, zone("WITA"))
    assert is_quiet(moment, zone("wit"))


def test_a_night_moment_moves_to_the_next_morning_seven_local() -> None:
    late = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # 22:00 WIB
    assert next_send_time(late, zone("WIB")) == datetime(2026, 3, 3, 0, 0, tzinfo=UTC)  # 07:00 WIB
    early = datetime(2026, 3, 2, 21, 0, tzinfo=UTC)  # 04:00 WIB on 3 March
    assert next_send_time(early, zone("WIB")) == datetime(2026, 3, 3, 0, 0, tzinfo=UTC)
    day = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
    assert next_send_time(day, zone("WIB")) == day


def test_unknown_zone_is_wib_and_local_day_crosses_midnight() -> None:
    moment = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)  # 01:00 WIB on 3 March
    assert zone(None) == zone("WIB") == zone("XYZ")
    assert local_day(moment, zone("WIB")) == date(2026, 3, 3)


async def test_memory_sink_keeps_one_message_per_user_and_day() -> None:
    sink = MemorySink(unreachable={9})
    now = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
    args = dict(chat_id=1, replies=[Reply("x")], day=date(2026, 3, 2), not_before=now)
    assert await sink(user_id=1, kind="reminder", **args)
    assert not await sink(user_id=1, kind="jobs", **args)
    assert not await sink(user_id=9, kind="reminder", **args)
    assert len(sink.queued) == 1
