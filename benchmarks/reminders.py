"""Selecting the day's journey reminders for many users: SQLite and PostgreSQL.

    .venv/bin/python benchmarks/reminders.py [--users 100000] [--postgres postgresql+asyncpg://.../test_journey]

Synthetic users: PHK dates spread over the last 14 months, 80% with reminders on, a third already
claimed, zones WIB/WITA/WIT. Times: reading the candidates (SQL), selecting (pure Python), the whole
``scheduler.due`` pass; the target is at most 2 s for 100,000 users. Ratios are against SQLite's pass.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, insert

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.journey.models import Journey  # noqa: E402
from bot.journey.scheduler import due  # noqa: E402
from bot.journey.store import JourneyStore  # noqa: E402
from bot.services import load_service_data  # noqa: E402
from bot.services.jkp.reminders import candidate_ranges, select_reminders  # noqa: E402
from bot.storage.db import Database  # noqa: E402
from bot.storage.models import User  # noqa: E402

TODAY = date(2026, 12, 4)
NOW = datetime(2026, 12, 4, 2, tzinfo=UTC)  # 09:00 WIB
BATCH = 5000


def synthetic(count: int, seed: int = 7) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    rng = random.Random(seed)
    users, journeys = [], []
    for user_id in range(1, count + 1):
        phk = TODAY - timedelta(days=rng.randrange(0, 420))
        claimed = phk + timedelta(days=rng.randrange(5, 150)) if rng.random() < 0.33 else None
        users.append({"id": user_id, "first_name": "u"})
        journeys.append(
            {
                "user_id": user_id,
                "phk_date": phk,
                "phk_exact": rng.random() < 0.9,
                "claimed_at": claimed,
                "zone": rng.choice(["WIB", "WIB", "WIB", "WITA", "WIT"]),
                "lang": rng.choice(["id", "en"]),
                "consent_at": NOW,
                "updated_at": NOW,
                "reminders_on": rng.random() < 0.8,
                "sent": rng.sample(["d30", "d7", "jht", "m2"], rng.randrange(0, 3)),
            }
        )
    return users, journeys


async def run(url: str, count: int) -> tuple[int, float, float, float]:
    db = Database(url)
    try:
        await db.upgrade()
        users, journeys = synthetic(count)
        async with db.session() as session:
            await session.execute(delete(Journey))
            await session.execute(delete(User).where(User.id <= count))
            for start in range(0, count, BATCH):
                await session.execute(insert(User), users[start : start + BATCH])
                await session.execute(insert(Journey), journeys[start : start + BATCH])
            await session.commit()
        store, rules = JourneyStore(db), load_service_data(ROOT / "knowledge")["jkp_rules"]
        started = time.perf_counter()
        candidates = await store.candidates(candidate_ranges(rules, TODAY, TODAY + timedelta(days=1)))
        read = time.perf_counter() - started
        started = time.perf_counter()
        select_reminders(candidates, NOW, rules)
        select = time.perf_counter() - started
        started = time.perf_counter()
        found = await due(store, rules, NOW)
        whole = time.perf_counter() - started
        return len(found), read, select, whole
    finally:
        await db.dispose()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--postgres", help="a PostgreSQL URL of a database this benchmark may fill")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        targets = [("SQLite", f"sqlite+aiosqlite:///{tmp}/bench.db")]
        if args.postgres:
            targets.append(("PostgreSQL", args.postgres))
        print(f"{args.users:,} users, reminders due on {TODAY} (09:00 WIB pass)")
        print(f"{'database':<11} {'due':>7} {'read SQL':>9} {'select':>8} {'whole pass':>11} {'ratio':>6}")
        base = None
        for name, url in targets:
            count, read, select, whole = asyncio.run(run(url, args.users))
            base = base or whole
            print(
                f"{name:<11} {count:>7,} {read:>8.2f}s {select:>7.2f}s {whole:>10.2f}s {whole / base:>5.2f}x"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
