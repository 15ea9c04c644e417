"""``python -m bot outbox`` as a real subprocess on a seeded SQLite file."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.storage import Database
from bot.storage.outbox import Envelope, OutboxStore
from tests.conftest import FakeClock

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "bot", "outbox", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )


async def test_outbox_command_prints_counts_ages_and_masked_errors(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'pandu.db'}"
    db = Database(url)
    await db.upgrade()
    clock = FakeClock(datetime.now(UTC) - timedelta(days=30))
    outbox = OutboxStore(db, clock=clock)
    await outbox.enqueue(
        [Envelope(1, "sendMessage", {"text": "a"}), Envelope(2, "sendMessage", {"text": "b"})]
    )
    first, second = await outbox.claim("w", limit=5, lease=timedelta(seconds=30))
    await outbox.dead(first.id, "w", "400 Bad Request: can't parse entities near 081234567890")
    await outbox.sent(second.id, "w", 7)
    clock.now = datetime.now(UTC)
    await outbox.enqueue([Envelope(3, "sendMessage", {"text": "c"})])
    await db.dispose()
    done = run(url=url)
    assert done.returncode == 0, done.stderr
    assert "pending 1, sent 1, failed 0, dead 1" in done.stdout
    assert "can't parse entities" in done.stdout and "[TELEPON]" in done.stdout and "0812" not in done.stdout
    purged = run("--purge", url=url)
    assert "purged 2 row(s)" in purged.stdout and "pending 1, sent 0, failed 0, dead 0" in purged.stdout


def test_an_unreadable_database_is_one_line(tmp_path: Path) -> None:
    done = run(url="postgresql+asyncpg://nobody@127.0.0.1:1/pandu")
    assert done.returncode != 0
    assert "DATABASE_URL" in done.stderr and "Traceback" not in done.stderr
