"""The journeys table on SQLite and PostgreSQL: consent to save, reminders, claims, deletion with the user."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

from sqlalchemy import delete

from bot.journey.cli import preview
from bot.journey.scheduler import queue_reminders
from bot.journey.store import JourneyStore
from bot.services.jkp.reminders import candidate_ranges
from bot.services.proactive import MemorySink
from bot.storage import Database
from bot.storage.models import User

NOW = datetime(2026, 12, 2, 3, tzinfo=UTC)  # 10:00 WIB


async def add_users(db: Database, *ids: int) -> None:
    async with db.session() as session:
        session.add_all(User(id=i, first_name="x") for i in ids)
        await session.commit()


async def test_saving_needs_the_user_and_a_new_date_resets_claim_and_sent(db: Database) -> None:
    store = JourneyStore(db)
    assert await store.save(7, date(2026, 7, 1), exact=True, lang="id", now=NOW) is False  # no such user
    await add_users(db, 7)
    assert await store.save(7, date(2026, 7, 1), exact=True, lang="id", now=NOW)
    assert await store.set_reminders(7, True, NOW) and await store.mark_claimed(7, date(2026, 9, 1))
    await store.mark_sent([(7, ("d30",))])
    record = await store.get(7)
    assert record is not None and record.reminders_on and record.claimed == date(2026, 9, 1)
    assert record.sent == frozenset({"d30"})
    await store.save(7, date(2026, 8, 1), exact=False, lang="en", zone="WITA", now=NOW)
    record = await store.get(7)
    assert record is not None and (record.phk, record.exact, record.lang) == (date(2026, 8, 1), False, "en")
    assert record.zone == "WITA"
    assert record.claimed is None and record.sent == frozenset() and record.reminders_on  # setting kept


async def test_deleting_the_user_deletes_the_timeline(db: Database) -> None:
    store = JourneyStore(db)
    await add_users(db, 8)
    await store.save(8, date(2026, 7, 1), exact=True, lang="id", now=NOW)
    async with db.session() as session:
        await session.execute(delete(User).where(User.id == 8))
        await session.commit()
    assert await store.get(8) is None
    assert await store.set_reminders(8, True, NOW) is False


async def test_candidates_are_opted_in_and_recent_and_reminders_go_once(db: Database, kb) -> None:
    store = JourneyStore(db)
    await add_users(db, 1, 2, 3)
    for user, phk in ((1, date(2026, 7, 1)), (2, date(2026, 7, 1)), (3, date(2024, 1, 1))):
        await store.save(user, phk, exact=True, lang="id", now=NOW)
    await store.set_reminders(1, True, NOW)
    await store.set_reminders(3, True, NOW)
    ranges = candidate_ranges(kb.extras["jkp_rules"], NOW.date(), NOW.date())
    assert [r.user_id for r in await store.candidates(ranges)] == [1]  # 2 not opted in, 3 long past
    sink = MemorySink()
    assert [r.key for r in await queue_reminders(store, kb, sink, lambda: NOW)] == ["d30"]
    assert [r.key for r in await queue_reminders(store, kb, MemorySink(), lambda: NOW)] == []  # marked sent
    assert sink.queued[0].kind == "reminder" and "j:stop" in str(sink.queued[0].replies[0].buttons)
    await store.set_reminders(1, False, NOW)
    counts = await store.counts()
    assert counts == {"timelines": 3, "reminders_on": 1, "reminders_sent": 1, "stopped": 1, "claimed": 0}


async def test_reminders_preview_lists_masked_ids_and_sends_nothing(
    db: Database, database_url: str, kb
) -> None:
    store = JourneyStore(db)
    await add_users(db, 123456789)
    await store.save(123456789, date(2026, 7, 1), exact=True, lang="id", now=NOW)
    await store.set_reminders(123456789, True, NOW)
    out = io.StringIO()
    assert await preview(database_url, kb, date(2026, 12, 2), salt="s", stdout=out) == 0
    text = out.getvalue()
    assert "reminders due on 2026-12-02: 1" in text and "d30" in text and "30 hari lagi" in text
    assert "123456789" not in text
    assert (await store.get(123456789)).sent == frozenset()  # type: ignore[union-attr]


async def test_statistics_count_timelines_reminders_and_missed_windows(db: Database, kb) -> None:
    from bot.admin import report
    from bot.admin.stats import render
    from bot.admin.texts import admin_texts

    store = JourneyStore(db)
    await add_users(db, 1, 2, 3)
    await store.save(1, date(2026, 1, 10), exact=True, lang="id", now=NOW)  # window passed on 10 Jul 2026
    await store.save(2, date(2026, 1, 10), exact=True, lang="id", now=NOW)
    await store.mark_claimed(2, date(2026, 2, 1))  # passed, but claimed
    await store.save(3, date(2026, 7, 1), exact=True, lang="id", now=NOW)  # still open
    await store.set_reminders(3, True, NOW)
    figures = await report.figures(db, kb, None, None, date(2026, 12, 4))
    assert figures.journey == {
        "timelines": 3,
        "reminders_on": 1,
        "reminders_sent": 0,
        "stopped": 0,
        "claimed": 1,
        "passed_unclaimed": 1,
    }
    text = render(figures, admin_texts(kb), "id")
    assert "Jadwal tersimpan: 3 (pengingat aktif 1, terkirim 0, dihentikan 0); sudah klaim: 1" in text
    assert "batas lewat tanpa klaim tercatat: 1" in text
