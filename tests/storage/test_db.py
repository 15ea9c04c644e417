"""Database: engine settings per dialect, migrations (idempotent, race-safe, matching the models)."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text

from bot.storage import Database, default_url, upgrade_url
from bot.storage.db import alembic_config
from bot.storage.models import all_metadata

METADATA = all_metadata()  # core and feature tables
HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()
TABLES = {"alembic_version", *METADATA.tables}


async def _tables(db: Database) -> set[str]:
    async with db.engine.connect() as conn:
        return set(await conn.run_sync(lambda sync: inspect(sync).get_table_names()))


def test_the_first_migration_is_0001_and_there_is_one_head() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1
    assert [rev.revision for rev in script.walk_revisions()][-1] == "0001"
    assert {"users", "transcript", "processed_updates"} <= TABLES


def test_default_url_is_a_sqlite_file_in_the_working_directory(tmp_path: Path) -> None:
    assert default_url(tmp_path) == f"sqlite+aiosqlite:///{tmp_path}/pandu.db"


async def test_revision_is_none_before_the_first_upgrade(database_url: str) -> None:
    db = Database(database_url)
    try:
        assert await db.revision() is None
    finally:
        await db.dispose()


async def test_upgrade_creates_the_tables_at_head(db: Database) -> None:
    assert await db.revision() == HEAD
    assert await _tables(db) == TABLES


async def test_upgrading_twice_is_a_no_op_that_keeps_data(db: Database) -> None:
    async with db.session() as session:
        await session.execute(text("INSERT INTO processed_updates (update_id) VALUES (1)"))
    await db.upgrade()
    assert await db.revision() == HEAD
    async with db.session() as session:
        assert (await session.execute(text("SELECT count(*) FROM processed_updates"))).scalar() == 1


async def test_migrations_match_the_models(db: Database) -> None:
    def differences(sync: Connection) -> list[object]:
        return list(compare_metadata(MigrationContext.configure(sync), METADATA))

    async with db.engine.connect() as conn:
        assert await conn.run_sync(differences) == []


async def test_downgrade_to_base_and_upgrade_again(db: Database) -> None:
    def downgrade(sync: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = sync
        command.downgrade(config, "base")

    async with db.engine.begin() as conn:
        await conn.run_sync(downgrade)
    assert await _tables(db) == {"alembic_version"}
    await db.upgrade()
    assert await _tables(db) == TABLES


async def test_two_engines_in_one_process_upgrading_at_once_both_succeed(database_url: str) -> None:
    first, second = Database(database_url), Database(database_url)
    try:
        await asyncio.gather(first.upgrade(), second.upgrade())
        assert await first.revision() == await second.revision() == HEAD
    finally:
        await asyncio.gather(first.dispose(), second.dispose())


async def test_two_processes_upgrading_at_once_both_succeed(database_url: str, tmp_path: Path) -> None:
    """Two instances starting together on one fresh database: both migrate cleanly, to one head."""
    env = {**os.environ, "DATABASE_URL": database_url}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "db",
            "upgrade",
            env=env,
            cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        for _ in range(2)
    ]
    outputs = [await proc.communicate() for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], outputs
    db = Database(database_url)
    try:
        assert await db.revision() == HEAD
    finally:
        await db.dispose()


async def test_upgrade_url_migrates_and_disposes(database_url: str) -> None:
    await upgrade_url(database_url)
    db = Database(database_url)
    try:
        assert await db.revision() == HEAD
    finally:
        await db.dispose()


async def test_sqlite_creates_the_parent_directory(tmp_path: Path) -> None:
    path = tmp_path / "data" / "nested" / "pandu.db"
    await upgrade_url(f"sqlite+aiosqlite:///{path}")
    assert path.is_file()


async def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'p.db'}")
    try:
        async with db.engine.connect() as conn:
            pragmas = [
                (await conn.exec_driver_sql(f"PRAGMA {name}")).scalar()
                for name in ("journal_mode", "busy_timeout", "foreign_keys")
            ]
        assert pragmas == ["wal", 30000, 1]
    finally:
        await db.dispose()


async def test_deleting_a_user_cascades_to_the_transcript_in_sql(db: Database) -> None:
    async with db.session() as session:
        await session.execute(text("INSERT INTO users (id, first_name) VALUES (8000000000, 'A')"))
        await session.execute(
            text("INSERT INTO transcript (user_id, direction, text) VALUES (8000000000, 'in', 'x')")
        )
    async with db.session() as session:
        await session.execute(text("DELETE FROM users WHERE id = 8000000000"))
    async with db.session() as session:
        assert (await session.execute(text("SELECT count(*) FROM transcript"))).scalar() == 0


async def test_check_constraint_rejects_an_unknown_direction(db: Database) -> None:
    with pytest.raises(Exception, match="(?i)check"):
        async with db.session() as session:
            await session.execute(text("INSERT INTO users (id, first_name) VALUES (1, 'A')"))
            await session.execute(
                text("INSERT INTO transcript (user_id, direction, text) VALUES (1, 'up', 'x')")
            )


def test_a_locked_pragma_is_retried_then_succeeds() -> None:
    """Two processes creating one SQLite file at once: the WAL switch may say "locked" for a moment."""
    from bot.storage.db import _retry_when_locked

    class Cursor:
        calls = 0

        def execute(self, statement: str) -> None:
            self.calls += 1
            if self.calls < 3:
                raise RuntimeError("database is locked")

    cursor = Cursor()
    _retry_when_locked(cursor, "PRAGMA journal_mode=WAL")
    assert cursor.calls == 3
    with pytest.raises(RuntimeError):
        _retry_when_locked(Cursor(), "PRAGMA journal_mode=WAL", attempts=2)
