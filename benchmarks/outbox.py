"""Outbox benchmark: delivery throughput, the latency a reply gains, per-update cost, crash duplicates.

    python benchmarks/outbox.py                                                      # SQLite only
    TEST_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/test python benchmarks/outbox.py

The fake Bot API (``tests/fakes/telegram_api.py``, ``strict_chats=False``) runs in a child process on
127.0.0.1 so its work does not share the bot's event loop. Per database:

a) **throughput** — MESSAGES replies (2 per chat) queued, then one ``Delivery`` worker (16 calls in flight)
   sends them all: messages/s with pacing off (``rate=0``) and on (``OUTBOX_RATE`` 30, fewer messages);
b) **reply latency** — one message at a time, from the moment the turn committed until the call returns:
   ``BotApi.call`` directly (what the handlers did) vs the worker taking the committed row from memory and
   calling (p50/p99);
   the INSERT inside the turn's transaction is the other half of the cost, in c);
c) **per-update cost** — ``Conversation.handle`` of a dev-set question without the outbox, and with
   its replies rendered and queued in the turn's transaction;
d) **crash duplicates** (``--crashes N``, SQLite) — a child process delivers a stream and is killed
   with SIGKILL at a random moment; a fresh worker drains the rest; duplicates counted per crash.

A script, not a test: compare ratios within one run.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import platform
import random
import secrets
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import asyncpg  # noqa: E402
from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bot.cli.evaluate import read_labelled  # noqa: E402
from bot.conversation import Conversation, KnowledgeHolder, Person  # noqa: E402
from bot.dialogue import Dialogue, Incoming, Kind  # noqa: E402
from bot.sections import load_knowledge  # noqa: E402
from bot.services import guided as services  # noqa: E402
from bot.storage import Database, Repository  # noqa: E402
from bot.storage.models import OutboxRow  # noqa: E402
from bot.storage.outbox import Claimed, Envelope, OutboxStore  # noqa: E402
from bot.telegram.delivery import Answer, BotApi, Delivery, DeliveryConfig  # noqa: E402
from bot.telegram.handlers import turn_calls  # noqa: E402

TOKEN = "123456789:AAE_bench-token-for-pandu-outbox-000"
POSTGRES_ENV = "TEST_DATABASE_URL"
CONFIG = DeliveryConfig(rate=0, poll=0.5, concurrency=16, lease=timedelta(seconds=30))


# -- the fake in a child process ----------------------------------------------------------------------


def _serve_fake(port_out: Any, stop: Any) -> None:
    from tests.fakes.telegram_api import FakeTelegram

    async def main() -> None:
        async with FakeTelegram(strict_chats=False) as tg:
            port_out.send(tg.root)
            while not stop.is_set():
                await asyncio.sleep(0.1)

    asyncio.run(main())


@asynccontextmanager
async def fake_process() -> AsyncIterator[str]:
    ctx = multiprocessing.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    stop = ctx.Event()
    child = ctx.Process(target=_serve_fake, args=(send, stop), daemon=True)
    child.start()
    root = await asyncio.to_thread(receive.recv)
    try:
        yield str(root)
    finally:
        stop.set()
        await asyncio.to_thread(child.join, 5)


# -- databases ----------------------------------------------------------------------------------------


@asynccontextmanager
async def database(kind: str, tmp: Path) -> AsyncIterator[Database]:
    if kind == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp / f'bench_{secrets.token_hex(4)}.db'}"
        db = Database(url)
        await db.upgrade()
        try:
            yield db
        finally:
            await db.dispose()
        return
    server = make_url(os.environ[POSTGRES_ENV])
    name = f"pandu_bench_{secrets.token_hex(5)}"
    admin = await asyncpg.connect(server.set(drivername="postgresql").render_as_string(hide_password=False))
    await admin.execute(f'CREATE DATABASE "{name}"')
    db = Database(server.set(database=name).render_as_string(hide_password=False))
    try:
        await db.upgrade()
        yield db
    finally:
        await db.dispose()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def message(chat_id: int, text: str) -> Envelope:
    return Envelope(chat_id, "sendMessage", {"chat_id": chat_id, "text": text, "parse_mode": "HTML"})


async def pending(outbox: OutboxStore) -> int:
    async with outbox.db.session() as session:
        return int(
            (
                await session.execute(
                    select(func.count()).select_from(OutboxRow).where(OutboxRow.state == "pending")
                )
            ).scalar()
            or 0
        )


# -- a) throughput ------------------------------------------------------------------------------------


async def throughput(
    db: Database, root: str, messages: int, rate: float, first_chat: int, *, live: bool
) -> float:
    """Messages/s until all are sent. ``live``: the worker runs while turns queue 2 replies each (rows born
    claimed, the reply path); otherwise a backlog queued before it started (after a restart: claims)."""
    outbox = OutboxStore(db)
    chats = range(first_chat, first_chat + messages // 2)
    batches = [[message(chat, f"reply {n} to {chat}") for n in range(2)] for chat in chats]
    delivery = Delivery(outbox, BotApi(root, TOKEN), replace(CONFIG, rate=rate))
    if not live:
        await outbox.enqueue([m for batch in batches for m in batch])
    started = time.perf_counter()
    delivery.start()
    if live:
        for batch in batches:
            await outbox.enqueue(batch)
            delivery.wake()
    while delivery.sent < messages:
        await asyncio.sleep(0.01)
    took = time.perf_counter() - started
    await delivery.stop()
    return messages / took


# -- b) latency ---------------------------------------------------------------------------------------


class TimedApi(BotApi):
    """Tells the benchmark when each call returned."""

    def __init__(self, root: str) -> None:
        super().__init__(root, TOKEN)
        self.returned: asyncio.Queue[float] = asyncio.Queue()

    async def call(self, method: str, params: dict[str, Any]) -> Answer:
        answer = await super().call(method, params)
        self.returned.put_nowait(time.perf_counter())
        return answer


async def latency(db: Database, root: str, count: int, first_chat: int) -> tuple[list[float], list[float]]:
    direct_api = BotApi(root, TOKEN)
    outbox, api = OutboxStore(db), TimedApi(root)
    delivery = Delivery(outbox, api, CONFIG)
    delivery.start()
    committed: list[float] = []  # when each enqueue's transaction had committed (its hand-over began)
    hand = outbox.hand

    def timed_hand(rows: Sequence[Claimed]) -> None:
        committed.append(time.perf_counter())
        hand(rows)

    outbox.hand = timed_hand  # type: ignore[method-assign]
    direct, queued = [], []
    try:
        for n in range(count):
            chat = first_chat + n
            started = time.perf_counter()
            await direct_api.call("sendMessage", message(chat, "direct").params)
            direct.append(time.perf_counter() - started)
            await outbox.enqueue([message(chat, "via the outbox")])  # stands for the turn's commit
            started = committed[-1]
            returned = await api.returned.get()
            queued.append(returned - started)
    finally:
        await delivery.stop()
        await direct_api.close()
    return direct, queued


# -- c) per-update cost -------------------------------------------------------------------------------


async def per_update(db: Database, updates: int, first_user: int) -> tuple[list[float], list[float]]:
    kb = load_knowledge(ROOT / "knowledge")
    holder = KnowledgeHolder(Dialogue(kb, services=services()))
    conversation = Conversation(Repository(db), holder)
    texts = [item.text for item in read_labelled(ROOT / "tests" / "data" / "dev.yaml")]
    rng = random.Random(7)
    before, after = [], []
    for n in range(updates):
        text = rng.choice(texts)
        for out, deliver in ((before, None), (after, turn_calls(first_user + n, None))):
            user = first_user + n + (0 if deliver is None else 1_000_000)
            started = time.perf_counter()
            await conversation.handle(
                Person(user),
                Incoming(Kind.TEXT, text=text),
                update_id=user * 10 + (deliver is not None),
                deliver=deliver,
            )
            out.append(time.perf_counter() - started)
    return before, after


# -- d) crash duplicates ------------------------------------------------------------------------------


async def _child_worker(url: str, root: str) -> None:
    db = Database(url)
    delivery = Delivery(
        OutboxStore(db), BotApi(root, TOKEN, timeout=2), replace(CONFIG, lease=timedelta(seconds=3))
    )
    delivery.start()
    await asyncio.Event().wait()  # until killed


async def crashes(tmp: Path, root: str, rounds: int, stream: int) -> list[int]:
    duplicates = []
    for round_ in range(rounds):
        url = f"sqlite+aiosqlite:///{tmp / f'crash_{round_}.db'}"
        db = Database(url)
        await db.upgrade()
        outbox = OutboxStore(db)
        chats = range(10_000 * (round_ + 1), 10_000 * (round_ + 1) + stream // 4)
        await outbox.enqueue(
            [message(chat, f"crash {round_} chat {chat} n {n}") for chat in chats for n in range(4)]
        )
        code = f"import asyncio, benchmarks.outbox as b; asyncio.run(b._child_worker({url!r}, {root!r}))"
        child = await asyncio.create_subprocess_exec(sys.executable, "-c", code, cwd=ROOT)
        while await pending(outbox) > stream * 0.9:  # it has started sending
            await asyncio.sleep(0.01)
        await asyncio.sleep(random.uniform(0.0, 0.5))
        child.send_signal(signal.SIGKILL)
        await child.wait()
        delivery = Delivery(
            outbox, BotApi(root, TOKEN), CONFIG
        )  # the child's rows come back after its 3 s lease
        delivery.start()
        while await pending(outbox):
            await asyncio.sleep(0.05)
        await delivery.stop()
        await db.dispose()
        duplicates.append(await _count_duplicates(root, chats))
    return duplicates


async def _count_duplicates(root: str, chats: range) -> int:
    # the fake numbers each chat's messages: a chat with more than its 4 messages got a duplicate
    api = BotApi(root, TOKEN)
    extra = 0
    for chat in chats:
        answer = await api.call("sendMessage", {"chat_id": chat, "text": "probe"})
        extra += int(answer.result["message_id"]) - 1 - 4
    await api.close()
    return extra


# -- the report ---------------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000, help="messages with pacing off (even)")
    parser.add_argument("--paced", type=int, default=150, help="messages with pacing on (even)")
    parser.add_argument("--latency", type=int, default=300)
    parser.add_argument("--updates", type=int, default=200)
    parser.add_argument("--crashes", type=int, default=0)
    args = parser.parse_args()
    args.messages, args.paced = args.messages // 2 * 2, args.paced // 2 * 2
    kinds = ["sqlite"] + (["postgresql"] if os.environ.get(POSTGRES_ENV) else [])
    print(
        f"# outbox benchmark — {platform.node()}, Python {platform.python_version()}, load "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}\n"
    )
    print(f"`python benchmarks/outbox.py {' '.join(sys.argv[1:])}`\n")
    with tempfile.TemporaryDirectory() as tmp:
        async with fake_process() as root:
            rows = []
            for kind in kinds:
                async with database(kind, Path(tmp)) as db:
                    off = await throughput(db, root, args.messages, 0, 1, live=True)
                    backlog = await throughput(db, root, args.messages, 0, 50_000, live=False)
                    on = await throughput(db, root, args.paced, 30, 100_000, live=True)
                    direct, queued = await latency(db, root, args.latency, 200_000)
                    before, after = await per_update(db, args.updates, 300_000)
                rows.append((kind, off, backlog, on, direct, queued, before, after))
            print(
                "| database | msgs/s pacing off (replies) | msgs/s pacing off (backlog) | msgs/s pacing on (30/s) | direct p50/p99 ms | outbox p50/p99 ms "
                "| added p50 ms (b + c) | update before p50/p99 ms | update after p50/p99 ms | ratio p50 |"
            )
            print("|---|---|---|---|---|---|---|---|---|---|")
            for kind, off, backlog, on, direct, queued, before, after in rows:
                print(
                    f"| {kind} | {off:.0f} | {backlog:.0f} | {on:.1f} | {pct(direct, 0.5):.2f} / {pct(direct, 0.99):.2f} "
                    f"| {pct(queued, 0.5):.2f} / {pct(queued, 0.99):.2f} | {pct(queued, 0.5) - pct(direct, 0.5) + pct(after, 0.5) - pct(before, 0.5):.2f} "
                    f"| {pct(before, 0.5):.2f} / {pct(before, 0.99):.2f} | {pct(after, 0.5):.2f} / {pct(after, 0.99):.2f} "
                    f"| {statistics.median(after) / statistics.median(before):.2f} |"
                )
            if args.crashes:
                found = await crashes(Path(tmp), root, args.crashes, 400)
                print(
                    f"\nCrash duplicates (SQLite, kill -9 at a random moment of a 400-message stream, "
                    f"{args.crashes} crashes): {sum(found)} duplicate(s) in total, per crash: {found}"
                )


if __name__ == "__main__":
    asyncio.run(main())
