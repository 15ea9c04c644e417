"""Job matching end to end: a profile in free text, a search ranked for it, alerts, an import, one digest.

The production Application over the fake Bot API, a real database (SQLite, and PostgreSQL with
TEST_DATABASE_URL), a real ``import-vacancies`` into a copy of the knowledge folder and a real reload.
The outbox is another lane's: the proactive sink here is the in-memory twin of its binding.
"""

from __future__ import annotations

import asyncio
import io
import shutil
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.admin.reload import reload
from bot.alerts.models import JobProfile
from bot.alerts.telegram import Alerts
from bot.cli.vacancies import run_import
from bot.services.proactive import MemorySink
from tests.e2e.conftest import ROOT, running

pytestmark = pytest.mark.e2e

HEADER = "id,title,employer,city,province,education,salary_min,salary_max,closing_date,how_to_apply\n"


def _datas(tg, message) -> list[str]:
    return [data for _, data in tg.buttons(message) if data]


async def _eventually(check: Callable[[], Awaitable[bool]], timeout: float = 5.0) -> bool:
    """The effect handlers run after the reply is sent: wait for what they write."""
    for _ in range(int(timeout / 0.05)):
        if await check():
            return True
        await asyncio.sleep(0.05)
    return False


async def _row(rt, user_id: int) -> JobProfile | None:
    async with rt.db.session() as session:
        return await session.get(JobProfile, user_id)


async def _reply(tg, user, before: int, count: int = 1) -> list[dict]:
    return (await tg.wait_for_messages(user.id, before + count))[before:]


async def test_profile_search_subscribe_import_digest_once_unsubscribe(tg, make_settings, tmp_path: Path):
    knowledge = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge)
    user = tg.user(1101)
    async with running(make_settings(KNOWLEDGE_DIR=str(knowledge))) as application:
        rt = application.bot_data["runtime"]
        sink = rt.proactive_sink = MemorySink()
        alerts = rt.features.get(Alerts)

        user.send_text("buat profil kerja: saya lulusan smk teknik mesin di surabaya, cari kerja kasir")
        [confirm] = await _reply(tg, user, 0)
        assert "Pendidikan: SMK" in confirm["visible_text"] and "Kasir" in confirm["visible_text"]
        user.press("f:profile:save")
        [saved] = await _reply(tg, user, 1)
        assert "f:jobs:mine" in _datas(tg, saved)

        user.send_text("loker kasir")  # the profile fills in the place
        [page] = await _reply(tg, user, 2)
        assert "Lowongan Kasir di Surabaya" in page["visible_text"]
        assert "Cocok: SMA/SMK · Surabaya · Kasir" in page["visible_text"]

        user.send_text("kabari saya kalau ada lowongan baru")
        [on] = await _reply(tg, user, 3)
        assert "sekali sehari" in on["visible_text"] and "f:profile:alerts:off" in _datas(tg, on)
        assert await _eventually(lambda: _alerts_on(rt, 1101, True))
        row = await _row(rt, 1101)
        assert row is not None and row.profile["occupations"] == ["kasir"]

        closing = (date.today() + timedelta(days=40)).isoformat()
        export = tmp_path / "export.csv"
        export.write_text(
            HEADER
            + "".join(
                f"NEW-{i},{title},Toko Baru,{city},Jawa Timur,{edu},,,{closing},karirhub.kemnaker.go.id\n"
                for i, (title, city, edu) in enumerate(
                    [
                        ("Kasir Toko", "Surabaya", "SMA/SMK"),
                        ("Kasir Minimarket", "Surabaya", "SMA/SMK"),
                        ("Kasir Bank", "Surabaya", "S1"),
                        ("Kurir Paket", "Surabaya", "SMA/SMK"),
                    ]
                )
            ),
            encoding="utf-8",
        )
        assert run_import(export, knowledge, append=True, out=io.StringIO(), err=io.StringIO()) == 0
        assert (await reload(rt.holder, knowledge)).ok

        assert await alerts.tick() == 1
        assert await alerts.tick() == 0  # nothing new: no second digest
        [queued] = sink.queued
        assert queued.user_id == 1101 and queued.kind == "job_alert"
        text = queued.replies[0].text
        assert "2 lowongan baru" in text and "NEW" not in text and "Kasir Bank" not in text
        assert "Kasir Toko" in text and "Kasir Minimarket" in text and "tidak pernah meminta uang" in text
        assert "f:profile:alerts:off" in [b.data for row in queued.replies[0].buttons for b in row]

        user.press("f:profile:alerts:off")
        [off] = await _reply(tg, user, 4)
        assert "tidak akan mengabari" in off["visible_text"]
        assert await _eventually(lambda: _alerts_on(rt, 1101, False))
        assert await alerts.store.subscribers() == []


async def test_hapus_deletes_the_profile_row_and_stops_alerts(tg, bot):
    rt = bot.bot_data["runtime"]
    user = tg.user(1102)
    user.send_text("buat profil kerja: lulusan sma, kurir di medan")
    await tg.wait_for_messages(1102, 1)
    user.press("f:profile:save")
    await tg.wait_for_messages(1102, 2)
    user.press("f:profile:alerts:on")
    await tg.wait_for_messages(1102, 3)
    assert await _eventually(lambda: _alerts_on(rt, 1102, True))
    user.send_command("/hapus")
    await tg.wait_for_messages(1102, 4)
    user.press("del:yes")
    await tg.wait_for_messages(1102, 5)

    async def gone() -> bool:
        async with rt.db.session() as session:
            return await session.scalar(select(func.count()).select_from(JobProfile)) == 0

    assert await _eventually(gone)
    assert await rt.features.get(Alerts).store.subscribers() == []


async def _alerts_on(rt, user_id: int, on: bool) -> bool:
    row = await _row(rt, user_id)
    return row is not None and row.alerts is on
