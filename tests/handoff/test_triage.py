"""Triage by the JKP claim deadline: crisis first, then deadlines within 14 days, then waiting time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.handoff.rules import deadline_near, queue_key
from bot.handoff.service import HandoffService
from bot.journey.store import JourneyStore
from bot.storage.db import Database
from bot.storage.models import User
from tests.conftest import FakeClock

TODAY = date(2025, 1, 6)  # the FakeClock's day in WIB


def test_deadline_near_and_the_sort_key() -> None:
    assert deadline_near(TODAY + timedelta(days=14), TODAY) and deadline_near(TODAY, TODAY)
    assert not deadline_near(TODAY + timedelta(days=15), TODAY) and not deadline_near(
        TODAY - timedelta(days=1), TODAY
    )
    assert not deadline_near(None, TODAY)
    t = datetime(2025, 1, 6, tzinfo=UTC)
    keys = sorted(
        [
            queue_key(False, t, 1),
            queue_key(False, t + timedelta(hours=1), 2, near=True),
            queue_key(True, t + timedelta(hours=2), 3),
        ]
    )
    assert [k[-1] for k in keys] == [3, 2, 1]


async def test_crisis_then_near_deadlines_then_the_oldest(db: Database, clock: FakeClock) -> None:
    async with db.session() as session:
        session.add_all(User(id=i, first_name="x") for i in (1, 2, 3, 4))
        await session.commit()
    journeys = JourneyStore(db)
    await journeys.save(1, date(2024, 9, 1), exact=True, lang="id", deadline=TODAY + timedelta(days=40))
    await journeys.save(2, date(2024, 7, 11), exact=True, lang="id", deadline=TODAY + timedelta(days=5))
    await journeys.save(4, date(2024, 7, 8), exact=True, lang="id", deadline=TODAY + timedelta(days=2))
    await journeys.mark_claimed(4, TODAY)  # claimed: no longer in a hurry
    service = HandoffService(db, clock=clock)
    cases = {}
    for user, urgent in ((1, False), (4, False), (2, False), (3, True)):
        cases[user] = await service.open_case(
            user, first_name=f"U{user}", topic="jkp", description="", lang="id", urgent=urgent
        )
        clock.advance(timedelta(minutes=1))
    waiting = await service.waiting()
    assert [c.user_id for c in waiting] == [3, 2, 1, 4]
    assert [await service.position(cases[u]) for u in (3, 2, 1, 4)] == [1, 2, 3, 4]
    assert {c.user_id: c.claim_deadline for c in waiting} == {
        3: None,
        2: TODAY + timedelta(days=5),
        1: TODAY + timedelta(days=40),
        4: None,
    }
    assert (await service.claim_next(900)).user_id == 3  # type: ignore[union-attr]
    assert (await service.claim_next(900)).user_id == 2  # type: ignore[union-attr]


async def test_the_card_and_the_queue_view_say_why(db: Database, clock: FakeClock) -> None:
    from pathlib import Path
    from types import SimpleNamespace

    from bot.handoff.telegram import Handoff
    from bot.handoff.timers import tick
    from bot.sections import load_knowledge

    kb = load_knowledge(Path(__file__).resolve().parents[2] / "knowledge")
    rt = SimpleNamespace(db=db, holder=SimpleNamespace(dialogue=SimpleNamespace(kb=kb)))
    h = Handoff(rt, tick, clock=clock)  # type: ignore[arg-type]
    async with db.session() as session:
        session.add(User(id=5, first_name="x"))
        await session.commit()
    await JourneyStore(db).save(
        5, date(2024, 7, 11), exact=True, lang="id", deadline=TODAY + timedelta(days=5)
    )
    await h.service.open_case(5, first_name="Sari", topic="jkp", description="", lang="id")
    [case] = await h.service.waiting()
    assert "Batas klaim JKP: 11/01/2025 (5 hari lagi)" in h.card(case)
    assert h.why_ahead(case) == "· di depan: batas klaim 11/01/2025, 5 hari lagi"
    assert h.why_ahead(type(case)(**{**case.__dict__, "urgent": True})) == "· di depan: krisis"
