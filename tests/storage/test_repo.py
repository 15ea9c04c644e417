"""Repository specifics beyond the Store contract: SQL races across engines, types on disk."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from bot.storage import Database, Repository
from bot.storage.base import Line, TurnRecord
from bot.storage.models import ProcessedUpdate
from tests.conftest import upgraded_database

BIG_ID = 8_000_000_000


async def test_claims_race_across_two_engines_with_one_winner(database_url: str) -> None:
    async with upgraded_database(database_url) as first, upgraded_database(database_url) as second:
        repos = [Repository(first), Repository(second)]
        results = await asyncio.gather(*(repos[n % 2].claim_update(BIG_ID) for n in range(20)))
    assert sorted(results) == [False] * 19 + [True]


async def test_seen_update_only_reads_and_a_turn_records_its_update(db: Database) -> None:
    repo = Repository(db)
    assert await repo.seen_update(BIG_ID) is False
    assert await repo.seen_update(BIG_ID) is False  # asking writes nothing
    turn = TurnRecord(7, "Siti", {}, "id", (Line("in", "halo"),), update_id=BIG_ID)
    assert await repo.record_turn(turn)
    assert await repo.seen_update(BIG_ID) is True
    assert await repo.claim_update(BIG_ID) is False


async def test_64_bit_ids_are_stored_as_such(db: Database) -> None:
    repo = Repository(db)
    await repo.claim_update(2**62)
    await repo.log(BIG_ID, "in", "halo")
    async with db.session() as session:
        assert (await session.execute(text("SELECT update_id FROM processed_updates"))).scalar() == 2**62
        assert (await session.execute(text("SELECT user_id FROM transcript"))).scalar() == BIG_ID


async def test_datetimes_come_back_aware_utc(db: Database) -> None:
    jakarta = timezone(timedelta(hours=7))
    moment = datetime(2025, 3, 1, 15, 30, tzinfo=jakarta)
    repo = Repository(db, clock=lambda: moment)
    await repo.log(7, "in", "x")
    [line] = await repo.transcript(7)
    assert line.created_at == moment
    assert line.created_at.tzinfo == UTC


async def test_naive_datetimes_are_refused(db: Database) -> None:
    with pytest.raises(Exception, match="naive datetime"):
        async with db.session() as session:
            session.add(ProcessedUpdate(update_id=1, processed_at=datetime(2025, 1, 1)))
