"""Starting the bot for real (``python -m bot run|serve|db upgrade``) in a subprocess.

A database or Bot API that cannot be used is one line naming the variable and a non-zero exit; a good
configuration serves polling, or webhooks with the secret checked and ``GET /healthz``.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import aiohttp
import pytest

from tests.conftest import DATABASES, database_url_for
from tests.fakes.telegram_api import FakeTelegram

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456789:AAE_test-token-for-pandu-startup"
DOWN_DB = "postgresql+asyncpg://nobody@127.0.0.1:1/pandu"


def environment(**env: str) -> dict[str, str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "DATABASE_URL", "WEBHOOK_", "PORT", "KNOWLEDGE_DIR"))
    }
    return {**base, "KNOWLEDGE_DIR": str(ROOT / "knowledge"), **env}


async def bot(*args: str, **env: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=ROOT,
        env=environment(**env),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def finished(*args: str, **env: str) -> tuple[int, str]:
    process = await bot(*args, **env)
    _, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, err.decode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def assert_one_line_naming(err: str, variable: str) -> None:
    last = err.strip().splitlines()[-1]
    assert variable in last, err
    assert "Traceback" not in err, err
    assert TOKEN.split(":")[1] not in err


async def test_an_unreachable_database_is_one_line_naming_database_url(tmp_path: Path) -> None:
    async with FakeTelegram() as tg:
        code, err = await finished(
            "run", TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=tg.root, DATABASE_URL=DOWN_DB
        )
    assert code != 0
    assert_one_line_naming(err, "DATABASE_URL")
    assert err.strip().count("\n") == 0


async def test_db_upgrade_of_an_unreachable_database_is_one_line() -> None:
    code, err = await finished("db", "upgrade", DATABASE_URL=DOWN_DB)
    assert code != 0 and err.strip().count("\n") == 0
    assert_one_line_naming(err, "DATABASE_URL")


async def test_an_unreachable_bot_api_is_one_line_naming_its_variable(tmp_path: Path) -> None:
    code, err = await finished(
        "run",
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{free_port()}",
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'pandu.db'}",
    )
    assert code != 0
    assert_one_line_naming(err, "TELEGRAM_API_BASE_URL")


async def test_a_token_the_bot_api_refuses_is_one_line_naming_the_token(tmp_path: Path) -> None:
    async with FakeTelegram() as tg:
        tg.fail_next("getMe", error_code=401)
        code, err = await finished(
            "run",
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=tg.root,
            DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'pandu.db'}",
        )
    assert code != 0
    assert_one_line_naming(err, "TELEGRAM_BOT_TOKEN")


async def test_broken_knowledge_stops_the_bot_with_the_problems_listed(tmp_path: Path) -> None:
    code, err = await finished("run", TELEGRAM_BOT_TOKEN=TOKEN, KNOWLEDGE_DIR=str(tmp_path / "missing"))
    assert code == 1 and "Traceback" not in err and "KNOWLEDGE_DIR" in err


@pytest.fixture(params=DATABASES)
async def db_url(request: pytest.FixtureRequest, tmp_path: Path):
    async with database_url_for(request.param, tmp_path) as url:
        yield url


async def test_polling_mode_answers_and_stops_cleanly_on_sigterm(db_url: str) -> None:
    async with FakeTelegram() as tg:
        process = await bot(
            "run", TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=tg.root, DATABASE_URL=db_url
        )
        try:
            await tg.wait_for_call("getUpdates", timeout=60)
            tg.user(301).send_command("/start")
            await tg.wait_for_messages(301, 3, timeout=30)
            assert tg.calls_to("deleteWebhook") and tg.calls_to("setMyCommands")
        finally:
            process.send_signal(signal.SIGTERM)
            _, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    assert TOKEN.split(":")[1] not in err.decode()


async def test_serve_checks_the_secret_answers_healthz_and_replies_over_the_webhook(db_url: str) -> None:
    port = free_port()
    async with FakeTelegram() as tg:
        process = await bot(
            "serve",
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=tg.root,
            DATABASE_URL=db_url,
            WEBHOOK_URL=f"http://127.0.0.1:{port}/telegram/hook",
            WEBHOOK_SECRET="s3cret_x",
            PORT=str(port),
        )
        try:
            hook = await tg.wait_for_call("setWebhook", timeout=60)
            assert hook["secret_token"] == "s3cret_x" and hook["url"].endswith("/telegram/hook")
            update = {
                "message": {
                    "message_id": 1,
                    "date": 1700000000,
                    "chat": tg.user(302).chat,
                    "from": {"id": 302, "is_bot": False, "first_name": "Siti"},
                    "text": "/start",
                }
            }
            assert await tg.deliver_webhook(update, "wrong") == 403
            assert await tg.deliver_webhook(update, None) == 403
            async with (
                aiohttp.ClientSession() as http,
                http.get(f"http://127.0.0.1:{port}/healthz") as health,
            ):
                assert health.status == 200 and (await health.json())["ok"] is True
            assert await tg.deliver_webhook(update) == 200
            await tg.wait_for_messages(302, 3, timeout=30)
        finally:
            process.send_signal(signal.SIGTERM)
            _, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
