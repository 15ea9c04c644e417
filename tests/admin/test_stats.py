"""Statistics: figures from a seeded database match hand-computed values; the chart is a real PNG."""

from __future__ import annotations

import argparse
import io
import struct
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.admin import cli, report, stats
from bot.admin.chart import daily_chart
from bot.admin.texts import admin_texts
from bot.handoff.models import Case as HandoffCase
from bot.sections import load_knowledge
from bot.storage import Database, Repository
from tests.admin.conftest import ADMIN
from tests.conftest import FakeClock
from tests.e2e.conftest import running

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
T0 = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, without matplotlib."""
    assert data[:8] == PNG_MAGIC and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_percentiles_use_nearest_rank():
    assert stats.percentile([10, 20, 40], 90) == 40
    assert stats.percentile(list(range(1, 11)), 90) == 9
    assert stats.median([30, 60]) == 45 and stats.percentile([], 90) is None


def test_a_silence_over_30_minutes_starts_a_new_conversation():
    at = [0, 10, 40, 71, 75]  # gaps 10, 30 (same), 31 (new), 4
    lines = [stats.Line(1, "in", None, "answer", T0 + timedelta(minutes=m)) for m in at]
    lines.append(stats.Line(2, "out", None, None, T0))
    assert stats.conversations(lines) == 3
    assert stats.compute(lines, None, stale=0).conversations == 3


async def seed_transcript(db: Database) -> None:
    clock = FakeClock(T0)
    repo = Repository(db, clock=clock)
    turns = [
        (1, "jkp.about", "answer"),
        (1, None, "fallback"),
        (2, "jkp.about", "answer"),
        (2, "jkp.deadline", "clarify"),
    ]
    for user, intent, band in turns:  # day 1
        await repo.log(user, "in", "q", intent=intent, band=band, score=50.0)
        await repo.log(user, "out", "a")
        clock.advance(timedelta(minutes=5))
    clock.now = T0 + timedelta(days=1)
    for intent, band in [("jkp.deadline", "answer"), (None, "fallback")]:  # day 2
        await repo.log(3, "in", "q", intent=intent, band=band, score=50.0)
        await repo.log(3, "out", "a")
    clock.now = T0 + timedelta(days=4)  # outside the period
    await repo.log(4, "in", "q", intent="jkp.about", band="answer", score=90.0)


async def seed_cases(db: Database) -> None:
    """Three cases on day 1: waits of 10, 20, 40 minutes; handling 30 and 60; ratings 5 and 3."""
    rows = [(10, 30, 5, False), (20, 60, 3, True), (40, None, None, False)]
    async with db.session() as session:
        for n, (wait, handling, rating, urgent) in enumerate(rows, 1):
            assigned = T0 + timedelta(minutes=wait)
            closed = assigned + timedelta(minutes=handling) if handling else None
            session.add(
                HandoffCase(
                    user_id=n,
                    status="closed" if closed else "assigned",
                    urgent=urgent,
                    created_at=T0,
                    assigned_at=assigned,
                    closed_at=closed,
                    rating=rating,
                    last_activity_at=T0,
                )
            )


async def test_figures_match_hand_computed_values(db: Database, kb_dir: Path):
    await seed_transcript(db)
    kb = load_knowledge(kb_dir)
    f = await report.figures(db, kb, date(2025, 1, 6), date(2025, 1, 7), date(2025, 1, 8))
    assert (f.users, f.conversations, f.messages_in, f.messages_out) == (3, 3, 6, 6)
    assert f.top_intents == (("jkp.about", 2), ("jkp.deadline", 1))
    assert f.rates == {"answer": 3 / 6, "clarify": 1 / 6, "fallback": 2 / 6}
    assert [(d.day, d.messages_in, d.fallback_rate) for d in f.daily] == [
        (date(2025, 1, 6), 4, 0.25),
        (date(2025, 1, 7), 2, 0.5),
    ]
    assert f.handoffs == 0  # no cases in the period
    assert f.stale == len([i for i in kb.intents.values() if i.reviewed < date(2024, 7, 10)])
    late = await report.figures(db, kb, None, None, date(2099, 1, 1))
    assert late.stale == len(kb.intents) and late.users == 4


async def test_case_figures_from_the_handoff_queue(db: Database, kb_dir: Path):
    await seed_cases(db)
    f = await report.figures(db, load_knowledge(kb_dir), date(2025, 1, 6), date(2025, 1, 7), date(2025, 1, 8))
    assert f.handoffs == 3 and f.handoff_reasons == {"asked": 2, "crisis": 1}
    assert f.wait == (20, 40) and f.handling == (45, 60)
    assert f.ratings == {3: 1, 5: 1} and f.rating_mean == 4


def test_chart_is_a_png_of_the_expected_size(kb_dir: Path):
    days = (stats.Day(date(2025, 1, 6), 4, 0.25), stats.Day(date(2025, 1, 7), 0, None))
    png = daily_chart(days, admin_texts(load_knowledge(kb_dir)), "id")
    assert png_size(png) == (800, 400)


async def test_stats_command_prints_figures_and_writes_the_chart(db: Database, kb_dir: Path, tmp_path: Path):
    await seed_transcript(db)
    chart, out = tmp_path / "daily.png", io.StringIO()
    args = argparse.Namespace(since=date(2025, 1, 6), until=date(2025, 1, 7), chart=chart, lang="en")
    assert await cli.stats(db.url, load_knowledge(kb_dir), args, today=date(2025, 1, 8), stdout=out) == 0
    printed = out.getvalue()
    assert (
        "Users: 3, conversations: 3" in printed
        and "Messages in: 6, out: 6" in printed
        and "not understood: 33%" in printed
    )
    assert "jkp.about 2, jkp.deadline 1" in printed
    assert png_size(chart.read_bytes()) == (800, 400)


@pytest.mark.e2e
async def test_statistik_sends_figures_and_the_chart(tg, admin_settings):
    user, admin = tg.user(78), tg.user(ADMIN)
    async with running(admin_settings):
        user.send_text("berapa lama batas waktu pengajuan JKP setelah di PHK?")
        await tg.wait_for_messages(78, 1)
        admin.send_command("/statistik")
        await tg.wait_for_call("sendPhoto")
        messages = await tg.wait_for_messages(ADMIN, 2)
    assert "Pengguna: 1" in messages[0]["visible_text"] and "Pesan masuk: 1" in messages[0]["visible_text"]
    assert messages[1]["file_bytes"][:8] == PNG_MAGIC
