"""End-to-end harness: the production Application, polling a fake Bot API over real HTTP on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot.settings import Settings
from bot.telegram.app import build_application
from bot.telegram.runner import start, stop
from tests.conftest import DATABASES, database_url_for
from tests.fakes.telegram_api import FakeTelegram

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456789:AAE_test-token-for-pandu-e2e-0123456789"


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


@pytest.fixture(params=DATABASES)
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    async with database_url_for(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def make_settings(tg: FakeTelegram, db_url: str) -> Callable[..., Settings]:
    def make(**env: str) -> Settings:
        base = {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": tg.root,
            "DATABASE_URL": db_url,
            "KNOWLEDGE_DIR": str(ROOT / "knowledge"),
        }
        return Settings.from_env({**base, **env})

    return make


@asynccontextmanager
async def running(settings: Settings, *, polling: bool = True) -> AsyncIterator[object]:
    application = build_application(settings, polling=polling)
    await start(application, polling=polling, poll_timeout=1)
    try:
        yield application
    finally:
        await stop(application)


@pytest.fixture
async def bot(make_settings: Callable[..., Settings]) -> AsyncIterator[object]:
    async with running(make_settings()) as application:
        yield application
