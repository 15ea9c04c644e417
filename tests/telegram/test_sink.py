"""The ProactiveSink bound to the outbox: one a user and local day, never to unreachable or deleted users."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.dialogue import Reply
from bot.services.proactive import ProactiveSink
from bot.storage import Database, Repository
from bot.storage.outbox import BULK, Envelope
from bot.telegram.sink import OutboxSink
from tests.conftest import FakeClock

DAY = date(2025, 1, 6)
MORNING = datetime(2025, 1, 6, 0, 0, tzinfo=UTC)  # 07:00 WIB


async def sink_for(db: Database, clock: FakeClock) -> tuple[Repository, OutboxSink]:
    repo = Repository(db, clock=clock)
    await repo.save_user(5, first_name="Siti", state={})
    return repo, OutboxSink(repo.outbox)


async def test_one_proactive_message_a_day_of_any_kind(db: Database, clock: FakeClock) -> None:
    repo, sink = await sink_for(db, clock)
    typed: ProactiveSink = sink
    assert await typed(
        user_id=5, chat_id=5, replies=[Reply("reminder")], day=DAY, kind="reminder", not_before=MORNING
    )
    assert not await sink(
        user_id=5, chat_id=5, replies=[Reply("jobs")], day=DAY, kind="jobs", not_before=MORNING
    )
    assert await sink(
        user_id=5,
        chat_id=5,
        replies=[Reply("tomorrow")],
        day=DAY + timedelta(days=1),
        kind="jobs",
        not_before=MORNING + timedelta(days=1),
    )
    assert (await repo.outbox.stats()).counts["pending"] == 2


async def test_rows_are_bulk_held_until_not_before_and_spaced_a_second_apart(
    db: Database, clock: FakeClock
) -> None:
    repo, sink = await sink_for(db, clock)
    at = clock.now + timedelta(hours=1)
    assert await sink(
        user_id=5, chat_id=5, replies=[Reply("one"), Reply("two")], day=DAY, kind="r", not_before=at
    )
    assert await repo.outbox.claim("w", limit=5, lease=timedelta(seconds=30)) == []
    clock.advance(timedelta(hours=1))
    [first] = await repo.outbox.claim("w", limit=5, lease=timedelta(seconds=30))
    assert first.priority == BULK and first.params["text"] == "one"
    await repo.outbox.sent(first.id, "w", 1)
    assert await repo.outbox.claim("w", limit=5, lease=timedelta(seconds=30)) == []  # "two" is a second later
    clock.advance(timedelta(seconds=1))
    assert [c.params["text"] for c in await repo.outbox.claim("w", limit=5, lease=timedelta(seconds=30))] == [
        "two"
    ]


async def test_unreachable_and_deleted_users_are_refused(db: Database, clock: FakeClock) -> None:
    repo, sink = await sink_for(db, clock)
    assert not await sink(user_id=6, chat_id=6, replies=[Reply("x")], day=DAY, kind="r", not_before=MORNING)
    assert await sink(user_id=5, chat_id=5, replies=[Reply("x")], day=DAY, kind="r", not_before=MORNING)
    await repo.delete_user(5)  # /hapus: the queued message goes too, and nothing more is accepted
    assert (await repo.outbox.stats()).counts["pending"] == 0
    assert not await sink(
        user_id=5, chat_id=5, replies=[Reply("x")], day=DAY + timedelta(days=1), kind="r", not_before=MORNING
    )
    await repo.save_user(7, first_name="Budi", state={})
    await repo.outbox.enqueue([Envelope(7, "sendMessage", {"chat_id": 7, "text": "hi"})])
    [hi] = await repo.outbox.claim("w", limit=1, lease=timedelta(seconds=30))
    await repo.outbox.unreachable(hi.id, "w", 7, "403 Forbidden: bot was blocked by the user")
    assert not await sink(user_id=7, chat_id=7, replies=[Reply("x")], day=DAY, kind="r", not_before=MORNING)
