"""The outbox table: queueing with a turn, claiming chat heads in order, leases, and the operators' view."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.storage import Database, Repository, StaleState, TurnRecord
from bot.storage.outbox import BULK, Envelope, OutboxStore
from tests.conftest import FakeClock

LEASE = timedelta(seconds=30)


def message(chat_id: int, text: str, **kw: object) -> Envelope:
    return Envelope(chat_id, "sendMessage", {"chat_id": chat_id, "text": text}, **kw)  # type: ignore[arg-type]


@pytest.fixture
def outbox(db: Database, clock: FakeClock) -> OutboxStore:
    return OutboxStore(db, clock=clock)


def texts(claimed: list) -> list[str]:
    return [c.params["text"] for c in claimed]


async def test_a_turn_queues_its_messages_in_the_same_transaction(db: Database, clock: FakeClock) -> None:
    repo = Repository(db, clock=clock)
    turn = TurnRecord(7, "Siti", {}, None, update_id=1, version=0, outbox=(message(7, "a"), message(7, "b")))
    assert await repo.record_turn(turn)
    assert not await repo.record_turn(turn)  # the redelivered update queues nothing more
    assert texts(await repo.outbox.claim("w", limit=10, lease=LEASE)) == ["a"]  # one head per chat


async def test_a_stale_turn_rolls_its_messages_back(db: Database, clock: FakeClock) -> None:
    repo = Repository(db, clock=clock)
    await repo.save_user(7, first_name="Siti", state={})
    with pytest.raises(StaleState):
        await repo.record_turn(TurnRecord(7, "Siti", {}, None, version=99, outbox=(message(7, "lost"),)))
    assert await repo.outbox.claim("w", limit=10, lease=LEASE) == []


async def test_only_each_chats_head_is_claimed_and_replies_come_before_bulk(outbox: OutboxStore) -> None:
    await outbox.enqueue(
        [message(1, "bulk-1", priority=BULK), message(2, "r2-a"), message(2, "r2-b"), message(3, "r3")]
    )
    claimed = await outbox.claim("w", limit=10, lease=LEASE)
    assert texts(claimed) == ["r2-a", "r3", "bulk-1"]
    assert await outbox.claim("w2", limit=10, lease=LEASE) == []  # heads are held; r2-b waits behind r2-a
    first = claimed[0]
    assert await outbox.sent(first.id, "w", 17)
    assert texts(await outbox.claim("w2", limit=10, lease=LEASE)) == ["r2-b"]


async def test_a_retry_holds_the_chat_and_the_lease_brings_rows_back(
    outbox: OutboxStore, clock: FakeClock
) -> None:
    await outbox.enqueue([message(1, "a"), message(1, "b")])
    [a] = await outbox.claim("w", limit=10, lease=LEASE)
    assert await outbox.retry(a.id, "w", clock.now + timedelta(seconds=5), "502 Bad Gateway")
    assert await outbox.claim("w", limit=10, lease=LEASE) == []  # "b" never overtakes "a"
    clock.advance(timedelta(seconds=5))
    [again] = await outbox.claim("w", limit=10, lease=LEASE)
    assert (again.id, again.attempts) == (a.id, 2)
    # the worker dies holding it: nobody may take it until the lease ends, then anybody may
    assert await outbox.claim("w2", limit=10, lease=LEASE) == []
    clock.advance(LEASE + timedelta(seconds=1))
    [taken] = await outbox.claim("w2", limit=10, lease=LEASE)
    assert taken.id == a.id
    assert not await outbox.sent(a.id, "w", None)  # the old holder can no longer write it
    assert await outbox.sent(a.id, "w2", None)


async def test_not_before_holds_a_row_without_blocking_the_chat(
    outbox: OutboxStore, clock: FakeClock
) -> None:
    await outbox.enqueue(
        [message(1, "tomorrow", priority=BULK, not_before=clock.now + timedelta(hours=9)), message(1, "now")]
    )
    assert texts(await outbox.claim("w", limit=10, lease=LEASE)) == ["now"]


async def test_dead_rows_let_the_chat_go_on_and_unreachable_stops_it(db: Database, clock: FakeClock) -> None:
    repo = Repository(db, clock=clock)
    outbox = repo.outbox
    await repo.save_user(5, first_name="Siti", state={})
    await outbox.enqueue([message(4, "poison"), message(4, "fine"), message(5, "x"), message(5, "y")])
    poison, x = await outbox.claim("w", limit=10, lease=LEASE)
    assert await outbox.dead(poison.id, "w", "400 Bad Request: can't parse entities")
    assert await outbox.unreachable(x.id, "w", 5, "403 Forbidden: bot was blocked by the user")
    assert texts(await outbox.claim("w", limit=10, lease=LEASE)) == ["fine"]
    assert not await outbox.reachable(5)
    await repo.save_user(5, first_name="Siti", state={})  # they wrote again
    assert await outbox.reachable(5)
    stats = await outbox.stats()
    assert stats.counts == {"pending": 1, "sent": 0, "failed": 2, "dead": 1}


async def test_release_hands_every_held_row_back_at_once(outbox: OutboxStore) -> None:
    await outbox.enqueue([message(1, "a"), message(2, "b")])
    assert len(await outbox.claim("w", limit=5, lease=LEASE)) == 2
    assert await outbox.release("w") == 2
    assert [c.attempts for c in await outbox.claim("w2", limit=5, lease=LEASE)] == [
        2,
        2,
    ]  # the call may have landed


async def test_rows_queued_by_a_running_worker_are_born_claimed_by_it(
    outbox: OutboxStore, clock: FakeClock
) -> None:
    outbox.owner = ("mine", LEASE)
    await outbox.enqueue(
        [
            message(1, "a"),
            message(1, "b"),
            message(2, "c"),
            message(3, "later", not_before=clock.now + timedelta(hours=1)),
        ]
    )
    assert await outbox.claim("other", limit=5, lease=LEASE) == []  # nobody else takes them
    fresh = await outbox.fresh("mine", limit=5)
    assert texts(fresh) == ["a", "c"] and all(f.fresh and f.attempts == 1 for f in fresh)  # "b" waits for "a"
    assert texts(await outbox.fresh("mine", limit=5, skip={f.id for f in fresh})) == []
    assert await outbox.sent(fresh[0].id, "mine", 1)
    [b] = await outbox.fresh("mine", limit=5, skip={fresh[1].id})
    assert b.params["text"] == "b"
    clock.advance(LEASE + timedelta(seconds=1))  # the owner died: its rows come back for anyone
    assert sorted(texts(await outbox.claim("other", limit=5, lease=LEASE))) == ["b", "c"]


async def test_dedupe_key_queues_once(outbox: OutboxStore) -> None:
    assert await outbox.enqueue([message(1, "a", dedupe="p:1:2025-01-06")]) == 1
    assert await outbox.enqueue([message(1, "b", dedupe="p:1:2025-01-06")]) == 0


async def test_deleting_a_user_drops_their_rows(db: Database, clock: FakeClock) -> None:
    repo = Repository(db, clock=clock)
    await repo.outbox.enqueue(
        [message(8, "theirs"), message(900, "relay of their photo", user_id=8), message(9, "someone else")]
    )
    await repo.delete_user(8)
    assert texts(await repo.outbox.claim("w", limit=10, lease=LEASE)) == ["someone else"]


async def test_hapus_turn_deletes_old_rows_but_queues_its_own_answer(db: Database, clock: FakeClock) -> None:
    repo = Repository(db, clock=clock)
    await repo.outbox.enqueue([message(8, "old, unsent")])
    await repo.record_turn(TurnRecord(8, "", {}, None, delete_user=True, outbox=(message(8, "deleted"),)))
    assert texts(await repo.outbox.claim("w", limit=10, lease=LEASE)) == ["deleted"]


async def test_stats_and_purge(outbox: OutboxStore, clock: FakeClock) -> None:
    await outbox.enqueue([message(1, "old"), message(2, "sent")])
    old, sent = await outbox.claim("w", limit=10, lease=LEASE)
    await outbox.sent(sent.id, "w", 1)
    await outbox.retry(old.id, "w", clock.now, "502 Bad Gateway for 081234567890")
    clock.advance(timedelta(hours=2))
    stats = await outbox.stats()
    assert stats.pending_by_age == {"<1m": 0, "<1h": 0, "<1d": 1, ">=1d": 0}
    assert stats.lag_seconds == pytest.approx(7200)
    assert "[TELEPON]" in stats.errors[0][4] and "0812" not in stats.errors[0][4]
    assert await outbox.purge(timedelta(hours=1)) == 1  # the sent row; pending rows stay
    assert (await outbox.stats()).counts["sent"] == 0


async def test_two_workers_claiming_at_once_never_share_a_row(db: Database, clock: FakeClock) -> None:
    import asyncio

    other = Database(db.url)
    try:
        a, b = OutboxStore(db, clock=clock), OutboxStore(other, clock=clock)
        await a.enqueue([message(chat, f"{chat}") for chat in range(200)])
        claims = await asyncio.gather(
            *(
                store.claim(name, limit=7, lease=LEASE)
                for _ in range(15)
                for store, name in ((a, "a"), (b, "b"))
            )
        )
        ids = [c.id for batch in claims for c in batch]
        assert len(ids) == len(set(ids)) == 200
    finally:
        await other.dispose()


async def test_a_reader_whose_clock_is_behind_the_rows_sees_none_of_them(
    outbox: OutboxStore, clock: FakeClock
) -> None:
    """``now`` is read before the query runs: rows queued in between must not look like heads (order)."""
    outbox.owner = ("mine", LEASE)
    await outbox.enqueue([message(1, "a"), message(1, "b")])
    clock.advance(timedelta(microseconds=-1))
    assert await outbox.fresh("mine", limit=5) == []
    clock.advance(timedelta(microseconds=1))
    assert texts(await outbox.fresh("mine", limit=5)) == ["a"]
