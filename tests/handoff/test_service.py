"""The queue service on SQLite and PostgreSQL: atomic claims under load, ordering, timers firing once."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from bot.handoff.rules import Timers
from bot.handoff.service import HandoffService
from bot.storage.db import Database, alembic_config
from bot.storage.models import Base
from tests.conftest import FakeClock

CASES, CLAIMERS = 40, 4


async def _fill(service: HandoffService, clock: FakeClock, count: int) -> list[int]:
    ids = []
    for i in range(count):
        clock.advance(timedelta(seconds=1))
        case = await service.open_case(1000 + i, first_name=f"U{i}", topic="jkp", description="", lang="id")
        ids.append(case.id)
    return ids


async def test_migration_matches_the_models(db: Database) -> None:
    async with db.engine.connect() as conn:
        diff = await conn.run_sync(
            lambda sync: list(compare_metadata(MigrationContext.configure(sync), Base.metadata))
        )
    assert diff == []
    assert await db.revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()


async def test_stress_many_claimers_over_many_cases(database_url: str, clock: FakeClock) -> None:
    """40 cases x 4 claimers pressing Take on every case at once (two engines): none twice, none lost."""
    first, second = Database(database_url), Database(database_url)
    try:
        await first.upgrade()
        services = [HandoffService(db, clock=clock) for db in (first, second)]
        ids = await _fill(services[0], clock, CASES)
        attempts = [services[c % 2].claim(case_id, 900 + c) for case_id in ids for c in range(CLAIMERS)]
        results = await asyncio.gather(*attempts)
        winners = Counter(r.case.id for r in results if r.won and r.case)
        duplicates = sum(n - 1 for n in winners.values())
        print(
            f"\n[{first.dialect}] claims attempted={len(attempts)} succeeded={sum(winners.values())} "
            f"duplicates={duplicates}"
        )
        assert duplicates == 0 and set(winners) == set(ids)
        for result in results:  # every loser sees the winner
            assert result.case is not None and result.case.status == "assigned"
    finally:
        await first.dispose()
        await second.dispose()


async def test_stress_take_next_concurrently(database_url: str, clock: FakeClock) -> None:
    """4 counsellors pressing "take the next case" until the queue is empty (SKIP LOCKED on PostgreSQL)."""
    first, second = Database(database_url), Database(database_url)
    try:
        await first.upgrade()
        services = [HandoffService(db, clock=clock) for db in (first, second)]
        ids = await _fill(services[0], clock, CASES)

        async def drain(counsellor: int) -> list[int]:
            taken = []
            while (case := await services[counsellor % 2].claim_next(900 + counsellor)) is not None:
                taken.append(case.id)
            return taken

        taken = [
            case_id
            for batch in await asyncio.gather(*(drain(c) for c in range(CLAIMERS)))
            for case_id in batch
        ]
        print(
            f"\n[{first.dialect}] take-next claims succeeded={len(taken)} distinct={len(set(taken))} "
            f"duplicates={len(taken) - len(set(taken))}"
        )
        assert sorted(taken) == sorted(ids)
    finally:
        await first.dispose()
        await second.dispose()


async def test_urgent_first_then_oldest_and_position(db: Database, clock: FakeClock) -> None:
    service = HandoffService(db, clock=clock)
    old = await service.open_case(1, first_name="A", topic="jkp", description="", lang="id")
    clock.advance(timedelta(minutes=1))
    new = await service.open_case(2, first_name="B", topic="jkp", description="", lang="id")
    clock.advance(timedelta(minutes=1))
    urgent = await service.open_case(
        3, first_name="C", topic="crisis", description="", lang="id", urgent=True
    )
    assert [c.id for c in await service.waiting()] == [urgent.id, old.id, new.id]
    assert [await service.position(c) for c in (urgent, old, new)] == [1, 2, 3]
    assert (await service.claim_next(900)).id == urgent.id  # type: ignore[union-attr]


async def test_description_and_notes_are_masked(db: Database, clock: FakeClock) -> None:
    service = HandoffService(db, clock=clock)
    case = await service.open_case(1, first_name="A", topic="jkp", description="HP 081234567890", lang="id")
    await service.add_note(case.id, 900, "rekening 1234567890123")
    assert "081234567890" not in case.description
    assert "1234567890123" not in (await service.notes(case.id))[0]


async def test_timers_fire_once_even_with_two_instances(database_url: str, clock: FakeClock) -> None:
    first, second = Database(database_url), Database(database_url)
    try:
        await first.upgrade()
        a, b = HandoffService(first, clock=clock), HandoffService(second, clock=clock)
        timers = Timers()
        waiting = await a.open_case(1, first_name="A", topic="jkp", description="", lang="id")
        held = await a.open_case(2, first_name="B", topic="jkp", description="", lang="id")
        assert (await a.claim(held.id, 900)).won
        clock.advance(timedelta(minutes=31))
        sla = await asyncio.gather(a.due_sla(timers), b.due_sla(timers))
        reminders = await asyncio.gather(a.due_reminders(timers), b.due_reminders(timers))
        assert [c.id for batch in sla for c in batch] == [waiting.id]
        assert [c.id for batch in reminders for c in batch] == [held.id]
        assert await a.due_sla(timers) == [] and await b.due_reminders(timers) == []
        await a.touch(held.id, by_counsellor=True)  # an answer re-arms the reminder
        clock.advance(timedelta(hours=25))
        idle = await asyncio.gather(a.due_idle(timers), b.due_idle(timers))
        assert [c.id for batch in idle for c in batch] == [held.id]
        assert (await a.get(held.id)).status == "closed"  # type: ignore[union-attr]
    finally:
        await first.dispose()
        await second.dispose()
