"""Retention (issue 14): after RETENTION_MONTHS, transcripts are deleted and ended cases anonymised, by
the daily job in the Telegram app and by ``python -m bot purge [--dry-run]``; SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.handoff.models import Case, CaseNote
from bot.settings import ConfigError, Settings
from bot.storage import Database, Repository
from bot.storage.models import TranscriptRow
from bot.storage.retention import cutoff, purge
from bot.telegram.app import build_application
from bot.telegram.retention import RetentionJob
from bot.telegram.runner import start, stop
from tests.conftest import FakeClock
from tests.e2e.conftest import db_url, make_settings, tg  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parents[2]
OLD = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)
NOW = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)  # 12 months back: 2025-03-01


def test_cutoff_goes_back_calendar_months():
    assert cutoff(NOW, 12) == datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
    assert cutoff(datetime(2026, 3, 31, tzinfo=UTC), 1) == datetime(2026, 2, 28, tzinfo=UTC)
    assert cutoff(datetime(2026, 1, 15, tzinfo=UTC), 13) == datetime(2024, 12, 15, tzinfo=UTC)


def test_retention_months_setting():
    assert Settings.from_env({}).retention_months == 12
    assert Settings.from_env({"RETENTION_MONTHS": "6"}).retention_months == 6
    with pytest.raises(ConfigError, match="RETENTION_MONTHS"):
        Settings.from_env({"RETENTION_MONTHS": "0"})


async def seed(db: Database) -> None:
    """Old and recent lines of user 41; an old closed case with a note, an old open one, a recent closed one."""
    clock = FakeClock(OLD)
    repo = Repository(db, clock=clock)
    await repo.log(41, "in", "pesan lama")
    await repo.save_user(77, first_name="Lama", state={"flow": None})  # not seen since: their row goes
    await repo.log(78, "in", "pengguna lama yang baru menulis lagi")
    clock.now = NOW - timedelta(days=10)
    await repo.log(41, "in", "pesan baru")
    await repo.log(78, "in", "halo lagi")  # last_seen is old, but a recent line: kept
    async with db.session() as session:
        old = Case(
            user_id=41,
            status="closed",
            topic="jkp",
            lang="id",
            first_name="Siti",
            description="JKP",
            created_at=OLD,
            closed_at=OLD + timedelta(hours=1),
            last_activity_at=OLD,
        )
        session.add_all(
            [
                old,
                Case(
                    user_id=41,
                    status="waiting",
                    topic="jkp",
                    lang="id",
                    first_name="Siti",
                    created_at=OLD,
                    last_activity_at=OLD,
                ),
                Case(
                    user_id=41,
                    status="closed",
                    topic="jkp",
                    lang="id",
                    first_name="Siti",
                    created_at=NOW - timedelta(days=3),
                    closed_at=NOW - timedelta(days=3),
                    last_activity_at=NOW,
                ),
            ]
        )
        await session.flush()
        session.add(CaseNote(case_id=old.id, counsellor_id=900, text="catatan", created_at=OLD))


async def counts(db: Database) -> tuple[int, int, int]:
    async with db.session() as session:
        lines = await session.scalar(select(func.count()).select_from(TranscriptRow))
        named = await session.scalar(select(func.count()).select_from(Case).where(Case.first_name != ""))
        notes = await session.scalar(select(func.count()).select_from(CaseNote))
    return int(lines or 0), int(named or 0), int(notes or 0)


async def test_purge_deletes_old_lines_and_anonymises_old_ended_cases(db: Database):
    await seed(db)
    dry = await purge(db, 12, now=NOW, dry_run=True)
    assert (dry.transcript_lines, dry.cases, dry.users, dry.dry_run) == (2, 1, 1, True)
    assert await counts(db) == (4, 3, 1)
    done = await purge(db, 12, now=NOW)
    assert (done.transcript_lines, done.cases, done.users) == (2, 1, 1)
    assert await counts(db) == (2, 2, 0)  # the open case and the recent one keep their names
    repo = Repository(db)
    assert await repo.load_user(77) is None and await repo.load_user(41) is not None
    assert await repo.load_user(78) is not None
    async with db.session() as session:
        statuses = sorted((c.status, c.user_id) for c in (await session.scalars(select(Case))).all())
    assert statuses == [("closed", 0), ("closed", 41), ("waiting", 41)]
    again = await purge(db, 12, now=NOW)
    assert (again.transcript_lines, again.cases, again.users) == (0, 0, 0)


def run(*args: str, url: str, months: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "KNOWLEDGE_DIR"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**env, "DATABASE_URL": url, "RETENTION_MONTHS": months},
        timeout=120,
    )


async def test_purge_command_dry_run_changes_nothing(tmp_path: Path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'pandu.db'}"
    db = Database(url)
    await db.upgrade()
    await seed(db)
    await db.dispose()
    dry = await asyncio.to_thread(run, "purge", "--dry-run", url=url, months="12")
    assert dry.returncode == 0, dry.stderr
    assert "would delete 2 transcript lines and 1 inactive users' data" in dry.stdout
    assert "anonymise 1 ended cases" in dry.stdout
    done = await asyncio.to_thread(
        run, "purge", url=url, months="1"
    )  # today's clock: everything seeded is older
    assert "retention 1 months" in done.stdout
    assert "deleted 4 transcript lines and 2 inactive users' data, anonymised 2 ended cases" in done.stdout
    bad = await asyncio.to_thread(run, "purge", url=url, months="zero")
    assert bad.returncode == 2 and "RETENTION_MONTHS" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.e2e
async def test_the_running_bot_purges_on_schedule(tg, make_settings):  # noqa: F811
    settings = make_settings(RETENTION_MONTHS="12")
    application = build_application(settings)
    rt = application.bot_data["runtime"]
    job = rt.features.get(RetentionJob)
    job.clock, job.first_delay, job.every = (lambda: NOW), 0.0, 3600.0
    await rt.db.upgrade()
    await seed(rt.db)
    await start(application, poll_timeout=1)
    try:
        for _ in range(100):
            if (await counts(rt.db))[0] == 2:
                break
            await asyncio.sleep(0.05)
        assert await counts(rt.db) == (2, 2, 0)
    finally:
        await stop(application)
