"""Shared fixtures.

Databases: ``database_url`` runs a test on SQLite (a file in ``tmp_path``) and on PostgreSQL (a fresh
database per test on the server in ``TEST_DATABASE_URL``; skipped when the variable is unset). ``db``
is an upgraded :class:`Database` on that URL; ``store`` runs a contract test on the in-memory store too,
all stores reading the time from ``clock`` (a :class:`FakeClock`).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import URL, make_url

from bot.storage import Database, MemoryStore, Repository, Store

POSTGRES_ENV = "TEST_DATABASE_URL"
DATABASES = ["sqlite", "postgresql"]


class FakeClock:
    """A clock for stores: stands still at ``start`` until a test moves it with :meth:`advance`."""

    def __init__(self, start: datetime = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> datetime:
        self.now += delta
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


# --- databases -----------------------------------------------------------------------------------


def _asyncpg_dsn(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


@asynccontextmanager
async def fresh_postgres_database(server_url: str) -> AsyncIterator[str]:
    """Create an empty database on the server in ``server_url``, yield its URL, drop it afterwards."""
    server = make_url(server_url)
    name = f"pandu_t_{secrets.token_hex(6)}"
    admin = await asyncpg.connect(_asyncpg_dsn(server))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@asynccontextmanager
async def database_url_for(kind: str, tmp_path: Path) -> AsyncIterator[str]:
    """A URL of an empty database of ``kind`` ("sqlite" or "postgresql"); skips without a server."""
    if kind == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'pandu.db'}"
        return
    server_url = os.environ.get(POSTGRES_ENV)
    if not server_url:
        pytest.skip(f"{POSTGRES_ENV} is not set (e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/test)")
    async with fresh_postgres_database(server_url) as url:
        yield url


@asynccontextmanager
async def upgraded_database(url: str) -> AsyncIterator[Database]:
    database = Database(url)
    try:
        await database.upgrade()
        yield database
    finally:
        await database.dispose()


@pytest.fixture(params=DATABASES)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database, once on SQLite and once on PostgreSQL."""
    async with database_url_for(request.param, tmp_path) as url:
        yield url


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    """A migrated :class:`Database`, disposed after the test."""
    async with upgraded_database(database_url) as database:
        yield database


@pytest.fixture(params=["memory", *DATABASES])
async def store(request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock) -> AsyncIterator[Store]:
    """Each :class:`Store` implementation: the in-memory twin, and the Repository on each database."""
    if request.param == "memory":
        yield MemoryStore(clock=clock)
        return
    async with database_url_for(request.param, tmp_path) as url, upgraded_database(url) as database:
        yield Repository(database, clock=clock)
