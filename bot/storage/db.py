"""The database handle: an async engine tuned per dialect, sessions, and migrations to head.

SQLite (``sqlite+aiosqlite``) runs in WAL mode with a busy timeout and foreign keys on, and with real
transactions (``BEGIN`` is emitted by SQLAlchemy, so DDL and the upgrade are atomic). PostgreSQL
(``postgresql+asyncpg``) pings pooled connections before use. :meth:`Database.upgrade` is idempotent
and serialised between processes: a PostgreSQL advisory lock, or SQLite's ``BEGIN IMMEDIATE``.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, cast

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import CursorResult, Result, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.ext.asyncio import create_async_engine as _create_async_engine

__all__ = [
    "INSERTS",
    "MIGRATIONS",
    "Database",
    "DialectInsert",
    "alembic_config",
    "create_engine",
    "default_url",
    "rowcount",
    "upgrade_url",
]

MIGRATIONS = Path(__file__).with_name("migrations")
UPGRADE_LOCK = 0x70616E6475  # "pandu": the pg_advisory_xact_lock key held while migrating
SQLITE_PRAGMAS = ("PRAGMA busy_timeout=30000", "PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON")
UPGRADE_ATTEMPTS = 20  # SQLite: a "locked" that the busy timeout did not absorb is retried this often

# The dialects' own INSERT, which has ``on_conflict_do_nothing/_update`` and ``excluded`` (the generic
# ``sqlalchemy.Insert`` has none of them); ``INSERTS[db.dialect](table)`` builds one.
DialectInsert = sqlite.Insert | postgresql.Insert
INSERTS: dict[str, Callable[[Any], DialectInsert]] = {
    "sqlite": sqlite.insert,
    "postgresql": postgresql.insert,
}

# Alembic's ``context`` is a module global, so two upgrades in one process must not interleave:
# one asyncio lock per event loop serialises them (processes are serialised by the database).
_upgrade_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
    weakref.WeakKeyDictionary()
)


def rowcount(result: Result[Any]) -> int:
    """Rows an INSERT, UPDATE or DELETE matched: ``session.execute`` is typed as returning a ``Result``,
    but for these statements it is a ``CursorResult``, which has ``rowcount``."""
    return cast(CursorResult[Any], result).rowcount


def _upgrade_lock() -> asyncio.Lock:
    loop = asyncio.get_running_loop()
    return _upgrade_locks.setdefault(loop, asyncio.Lock())


def default_url(cwd: Path) -> str:
    """The SQLite file used when ``DATABASE_URL`` is not set."""
    return f"sqlite+aiosqlite:///{cwd / 'pandu.db'}"


def create_engine(url: str) -> AsyncEngine:
    """An async engine for ``url``, with the per-dialect settings described above."""
    if make_url(url).get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    return _create_async_engine(url, pool_pre_ping=True)


def _sqlite_engine(url: str) -> AsyncEngine:
    path = make_url(url).database
    if path and path != ":memory:" and not path.startswith("file:"):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = _create_async_engine(url)
    event.listen(engine.sync_engine, "connect", _sqlite_connect)
    event.listen(engine.sync_engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    """Set the pragmas, and let SQLAlchemy (not the driver) decide when a transaction begins."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        _retry_when_locked(cursor, pragma)
    cursor.close()


def _retry_when_locked(cursor: Any, statement: str, attempts: int = 100) -> None:
    """Switching a brand-new file to WAL can report "database is locked" without waiting for the busy
    timeout when two processes create it at the same moment; the switch succeeds a moment later."""
    for attempt in range(attempts):
        try:
            cursor.execute(statement)
            return
        except Exception as exc:  # sqlite3.OperationalError, possibly wrapped by the async adapter
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.05)


def _sqlite_begin(connection: Connection) -> None:
    connection.exec_driver_sql(connection.get_execution_options().get("sqlite_begin", "BEGIN"))


def alembic_config(url: str | None = None) -> Config:
    """An Alembic configuration without an ini file: the migrations beside this module."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    if url is not None:
        config.attributes["url"] = url
    return config


class Database:
    """One engine and its session factory; the application makes one and passes it in."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = create_engine(url)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self.engine.dialect.name

    @asynccontextmanager
    async def session(self, *, writing: bool = False) -> AsyncIterator[AsyncSession]:
        """A session inside one transaction: committed on exit, rolled back on an exception.

        ``writing``: a transaction that reads and then writes. On SQLite it takes the write lock at its
        start (``BEGIN IMMEDIATE``, waiting up to the busy timeout): a plain one is refused at its first
        write ("database is locked") when another connection, e.g. the outbox worker, committed after
        its read. PostgreSQL needs nothing."""
        async with self._sessions() as session, session.begin():
            if writing and self.dialect == "sqlite":
                await session.connection(execution_options={"sqlite_begin": "BEGIN IMMEDIATE"})
            yield session

    async def upgrade(self) -> None:
        """Apply the migrations up to head; a no-op when already there, safe to race."""
        async with _upgrade_lock():
            for attempt in range(UPGRADE_ATTEMPTS):
                try:
                    return await self._upgrade_once()
                except Exception as exc:
                    if not self._transiently_locked(exc) or attempt == UPGRADE_ATTEMPTS - 1:
                        raise
                    await asyncio.sleep(0.05 * (attempt + 1))

    def _transiently_locked(self, exc: Exception) -> bool:
        """SQLite can answer "database is locked" at once (without the busy timeout) while another
        process creates the file or switches it to WAL; the whole upgrade is then simply tried again."""
        return self.dialect == "sqlite" and "locked" in str(exc)

    async def _upgrade_once(self) -> None:
        async with self.engine.connect() as conn:
            if self.dialect == "sqlite":
                conn = await conn.execution_options(sqlite_begin="BEGIN IMMEDIATE")
            async with conn.begin():
                await self._lock_for_upgrade(conn)
                await conn.run_sync(_upgrade_to_head)

    async def _lock_for_upgrade(self, conn: AsyncConnection) -> None:
        if self.dialect == "postgresql":
            await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": UPGRADE_LOCK})

    async def revision(self) -> str | None:
        """The migration revision the database is at, or None before the first upgrade."""
        async with self.engine.connect() as conn:
            return await conn.run_sync(lambda sync: MigrationContext.configure(sync).get_current_revision())

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()


def _upgrade_to_head(connection: Connection) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


async def upgrade_url(url: str) -> None:
    """Migrate the database at ``url`` to head (``python -m bot db upgrade``)."""
    database = Database(url)
    try:
        await database.upgrade()
    finally:
        await database.dispose()
