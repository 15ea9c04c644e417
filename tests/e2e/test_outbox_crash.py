"""Durable delivery with the bot as a real process (``python -m bot run``) killed with SIGKILL mid-outage.

The fake Bot API refuses every ``sendMessage`` (502) while users ask questions; the bot is killed with
``kill -9`` and started again in the middle; when the outage ends, every question has its answer,
exactly once, in order. SIGTERM ends the process within 5 s even while calls hang.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.storage import Database
from tests.e2e.conftest import ROOT, TOKEN
from tests.fakes.telegram_api import FakeTelegram

pytestmark = pytest.mark.e2e

QUESTIONS = (
    ("berapa lama batas waktu pengajuan JKP setelah di PHK?", "6 bulan"),
    ("how do I withdraw my JHT after resigning?", "JHT"),
)
FAST = {
    "OUTBOX_LEASE_SECONDS": "2",
    "OUTBOX_TIMEOUT_SECONDS": "1",
    "OUTBOX_BACKOFF_SECONDS": "0.2",
    "OUTBOX_POLL_SECONDS": "0.2",
}


def environment(tg: FakeTelegram, db_url: str, **env: str) -> dict[str, str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "DATABASE_URL", "WEBHOOK_", "PORT", "KNOWLEDGE_DIR", "OUTBOX_"))
    }
    return {
        **base,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": tg.root,
        "DATABASE_URL": db_url,
        "KNOWLEDGE_DIR": str(ROOT / "knowledge"),
        **FAST,
        **env,
    }


@asynccontextmanager
async def bot_process(
    tg: FakeTelegram, db_url: str, log: Path, **env: str
) -> AsyncIterator[asyncio.subprocess.Process]:
    """``python -m bot run`` polling the fake; killed (if still running) on the way out."""
    polls = len(tg.calls_to("getUpdates"))
    with log.open("ab") as err:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=ROOT,
            env=environment(tg, db_url, **env),
            stdout=asyncio.subprocess.DEVNULL,
            stderr=err,
        )
    try:
        await tg.wait_until(lambda: len(tg.calls_to("getUpdates")) > polls, timeout=30)
        yield process
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


def refused(tg: FakeTelegram, chat_id: int) -> int:
    return sum(
        1 for e in tg.errors if e.method == "sendMessage" and int(e.params.get("chat_id", 0)) == chat_id
    )


async def outbox_rows(db_url: str) -> list[tuple[int, str]]:
    db = Database(db_url)
    try:
        async with db.session() as session:
            rows = (
                await session.execute(text("SELECT chat_id, state FROM outbox WHERE method = 'sendMessage'"))
            ).all()
    finally:
        await db.dispose()
    return [(int(c), str(s)) for c, s in rows]


async def test_kill_9_during_an_outage_every_answer_arrives_once_in_order(
    tg: FakeTelegram, db_url: str, tmp_path: Path
) -> None:
    log = tmp_path / "bot.log"
    chats = (301, 302, 303)
    users = {chat: tg.user(chat, language_code="id") for chat in chats}
    tg.fail_for("sendMessage", 120, 502)
    async with bot_process(tg, db_url, log) as first:
        for chat in chats[:2]:
            users[chat].send_text(QUESTIONS[0][0])
        await tg.wait_until(lambda: all(refused(tg, chat) for chat in chats[:2]), timeout=30)
        first.send_signal(signal.SIGKILL)  # kill -9: no shutdown code runs
        await first.wait()
    async with bot_process(tg, db_url, log):
        for chat in chats[:2]:
            users[chat].send_text(QUESTIONS[1][0])
        users[chats[2]].send_text(QUESTIONS[0][0])
        await tg.wait_until(lambda: refused(tg, chats[2]) > 0, timeout=30)
        tg.end_outage("sendMessage")
        for chat in chats[:2]:
            await tg.wait_for_messages(chat, 2, timeout=30)
        await tg.wait_for_messages(chats[2], 1, timeout=30)
        for _ in range(50):  # the last "sent" marks may trail the messages by a moment
            rows = await outbox_rows(db_url)
            if all(state == "sent" for _, state in rows):
                break
            await asyncio.sleep(0.1)
    assert {state for _, state in rows} == {"sent"}, rows
    for chat in chats:
        texts = [m["visible_text"] for m in tg.sent(chat)]
        assert len(texts) == sum(1 for c, _ in rows if c == chat), texts  # each row once: no duplicates
        assert len(set(texts)) == len(texts), texts
    for chat in chats[:2]:
        texts = [m["visible_text"] for m in tg.sent(chat)]
        first_answer = next(i for i, t in enumerate(texts) if QUESTIONS[0][1] in t)
        second_answer = next(i for i, t in enumerate(texts) if QUESTIONS[1][1] in t)
        assert first_answer < second_answer, texts  # in the order they were asked


async def test_sigterm_exits_within_5_seconds_while_calls_hang(
    tg: FakeTelegram, db_url: str, tmp_path: Path
) -> None:
    tg.user(310).send_text(QUESTIONS[0][0])
    tg.delay("sendMessage", 30)
    async with bot_process(
        tg, db_url, tmp_path / "bot.log", OUTBOX_TIMEOUT_SECONDS="20", OUTBOX_LEASE_SECONDS="60"
    ) as process:
        await tg.wait_for_call("sendMessage", timeout=30)
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), 10)
        took = time.monotonic() - started
    assert took < 5, took
    assert process.returncode == 0, (tmp_path / "bot.log").read_text()
    db = Database(db_url)
    try:
        async with db.session() as session:
            held = (
                await session.execute(text("SELECT count(*) FROM outbox WHERE claimed_until IS NOT NULL"))
            ).scalar()
    finally:
        await db.dispose()
    assert held == 0  # released: the next instance sends it at once, not after the lease


async def test_a_crash_between_telegrams_answer_and_the_sent_mark_duplicates_that_message_once(
    tg: FakeTelegram, db_url: str, tmp_path: Path
) -> None:
    """The one duplicate the outbox cannot rule out: Telegram delivered, the bot died before writing it down."""
    log = tmp_path / "bot.log"
    user = tg.user(320, language_code="id")
    tg.delay("sendMessage", 1.0, after=True, times=1)  # delivered at once, answered a second later
    async with bot_process(tg, db_url, log, OUTBOX_TIMEOUT_SECONDS="1.5") as first:
        user.send_text(QUESTIONS[0][0])
        await tg.wait_for_messages(320, 1, timeout=30)
        first.send_signal(signal.SIGKILL)  # inside that second: Telegram has it, the outbox does not know
        await first.wait()
    async with bot_process(tg, db_url, log):
        user.send_text(QUESTIONS[1][0])
        await tg.wait_until(
            lambda: sum(QUESTIONS[1][1] in (m["visible_text"] or "") for m in tg.sent(320)) >= 1, timeout=30
        )
    texts = [m["visible_text"] for m in tg.sent(320)]
    assert texts.count(texts[0]) == 2, texts  # the first answer twice (its lease ran out), never more
    others = [t for t in texts if t != texts[0]]  # the deadline answer's timeline offer, the JHT answer
    assert len(others) == len(set(others)) == 2 and QUESTIONS[1][1] in texts[-1], texts
