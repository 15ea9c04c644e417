"""The journey end to end: tell the date, save it (consent), /jadwal, a reminder when the clock reaches it,
the stop button, /hapus — the production Application, the fake Bot API, a real database."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from bot.journey.telegram import Journey
from bot.services.proactive import MemorySink
from bot.storage.models import OutboxRow
from tests.e2e.conftest import running

pytestmark = pytest.mark.e2e


def datas(tg, message) -> list[str]:
    return [data for _, data in tg.buttons(message) if data]


async def reply_after(tg, user, action) -> dict:
    before = len(tg.sent(user.id))
    action()
    return (await tg.wait_for_messages(user.id, before + 1))[-1]


async def test_date_consent_jadwal_reminder_stop_and_delete(tg, make_settings, caplog):
    caplog.set_level(logging.DEBUG, logger="pandu")
    user = tg.user(501)
    async with running(make_settings()) as application:
        journey = application.bot_data["runtime"].features.get(Journey)
        answer = await reply_after(
            tg,
            user,
            lambda: user.send_text("saya di-PHK tanggal 1 Juli 2026, kapan batas terakhir klaim jkp?"),
        )
        assert "Batas klaim JKP Anda: 1 Januari 2027" in answer["visible_text"]
        assert "j:save:2026-07-01:e" in datas(tg, answer)
        assert await journey.store.get(501) is None  # nothing stored before the tap
        saved = await reply_after(tg, user, lambda: user.press("j:save:2026-07-01:e"))
        assert "/jadwal" in saved["visible_text"] and "j:on" in datas(tg, saved)
        on = await reply_after(tg, user, lambda: user.press("j:on"))
        assert "Pengingat aktif" in on["visible_text"]
        shown = await reply_after(tg, user, lambda: user.send_command("/jadwal"))
        assert "1 Januari 2027" in shown["visible_text"] and "Pengingat Anda aktif" in shown["visible_text"]

        journey.clock = lambda: datetime(2026, 12, 1, 15, tzinfo=UTC)  # 22:00 WIB: quiet hours
        before = len(tg.sent(501))
        assert await journey.tick() == 1  # queued in the outbox for the morning, not sent at night
        rt = application.bot_data["runtime"]
        async with rt.db.session() as session:
            rows = (
                await session.scalars(
                    select(OutboxRow).where(OutboxRow.chat_id == 501, OutboxRow.dedupe.is_not(None))
                )
            ).all()
        assert [r.not_before.astimezone(UTC) for r in rows] == [
            datetime(2026, 12, 2, 0, tzinfo=UTC)
        ]  # 07:00 WIB
        # the test's real clock is past that morning, so the worker delivers it now
        reminder = (await tg.wait_for_messages(501, before + 1))[-1]
        assert "30 hari lagi" in reminder["visible_text"] and {"j:stop", "j:claimed"} <= set(
            datas(tg, reminder)
        )
        journey.clock = lambda: datetime(2026, 12, 2, 1, tzinfo=UTC)  # 08:00 WIB the same day
        assert await journey.tick() == 0  # once a day
        stopped = await reply_after(tg, user, lambda: user.press("j:stop"))
        assert "Pengingat dimatikan" in stopped["visible_text"]
        journey.clock = lambda: datetime(2026, 12, 25, 1, tzinfo=UTC)  # 7 days before: stopped, nothing
        assert await journey.tick() == 0

        again = await reply_after(tg, user, lambda: user.send_command("/pengingat"))  # on again, then /hapus
        assert "Pengingat aktif" in again["visible_text"]
        user.send_command("/hapus")
        await tg.wait_for_messages(501, len(tg.sent(501)) + 1)
        await reply_after(tg, user, lambda: user.press("del:yes"))
        assert await journey.store.get(501) is None
        journey.clock = lambda: datetime(2026, 12, 31, 1, tzinfo=UTC)  # 1 day before: nothing after /hapus
        assert await journey.tick() == 0
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert all(
        d not in logged for d in ("2026-07-01", "1 Juli 2026", "1/7/2026", "2027-01-01", "Januari 2027")
    )
    assert "update=" in logged  # the bot did log its turns (so the check above can fail)


async def test_reminders_go_to_the_sink_it_is_given_and_survive_a_restart(tg, make_settings):
    settings = make_settings()
    user = tg.user(502)
    async with running(settings):
        await reply_after(
            tg,
            user,
            lambda: user.send_text(
                "sy kena phk tgl 1 juli 2026, terakhir kerja 30 juni 2026, kapan batas klaim jkp?"
            ),
        )
        await reply_after(tg, user, lambda: user.press("j:save:2026-07-01:e::2026-06-30"))
        await reply_after(tg, user, lambda: user.press("j:on"))
    async with running(settings) as application:  # a new process: the saved timeline and setting are there
        journey = application.bot_data["runtime"].features.get(Journey)
        journey.sink = sink = MemorySink()
        saved = await journey.store.get(502)
        assert saved is not None and saved.last_day == date(2026, 6, 30) and saved.reminders_on
        journey.clock = lambda: datetime(2026, 12, 31, 2, tzinfo=UTC)
        assert await journey.tick() == 1
        [queued] = sink.queued
        assert queued.user_id == 502 and "besok" in queued.replies[0].text
        before = len(tg.sent(502))
        user.send_text("kapan batas klaim jkp?")  # the general answer, the offer, then the saved dates
        messages = await tg.wait_for_messages(502, before + 3)
        shown = messages[-1]
        assert (
            "Dari tanggal yang Anda simpan" in shown["visible_text"]
            and "1 Januari 2027" in shown["visible_text"]
        )
        assert "j:claimed" in datas(tg, shown)
        claimed = await reply_after(tg, user, lambda: user.press("j:claimed"))
        assert "sudah mengajukan klaim" in claimed["visible_text"]
