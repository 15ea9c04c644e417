"""Handoff fixtures: the e2e harness (fake Bot API, both databases) with the handoff's clock injected."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from bot.handoff.telegram import Handoff
from bot.settings import Settings
from bot.telegram.app import build_application
from bot.telegram.runner import start, stop
from tests.conftest import FakeClock
from tests.e2e.conftest import db_url, make_settings, tg  # noqa: F401  (fixtures)
from tests.fakes.telegram_api import FakeTelegram

COUNSELLORS = "900,901"


@asynccontextmanager
async def running(
    settings: Settings, clock: FakeClock, *, tick_seconds: float = 3600
) -> AsyncIterator[Handoff]:
    """The production Application against the fake, its handoff reading ``clock``; yields the Handoff."""
    application = build_application(settings)
    handoff = application.bot_data["runtime"].features.get(Handoff)
    handoff.service.clock = clock
    handoff.tick_seconds = tick_seconds
    await start(application, poll_timeout=1)
    try:
        yield handoff
    finally:
        await stop(application)


async def wait_text(
    fake: FakeTelegram, chat_id: int, fragment: str, *, start: int = 0, timeout: float = 10.0
) -> dict[str, Any]:
    """The first message to ``chat_id`` (from index ``start``) whose visible text contains ``fragment``."""

    def find() -> dict[str, Any] | None:
        return next(
            (m for m in fake.sent(chat_id)[start:] if fragment in (m.get("visible_text") or "")), None
        )

    try:
        await fake.wait_until(lambda: find() is not None, timeout)
    except AssertionError:
        texts = [m.get("visible_text") for m in fake.sent(chat_id)]
        raise AssertionError(f"no message with {fragment!r} to {chat_id}; got {texts!r}") from None
    found = find()
    assert found is not None
    return found


def button_data(message: dict[str, Any], prefix: str) -> str:
    """The callback data of the first button starting with ``prefix``."""
    return next(data for _, data in FakeTelegram.buttons(message) if data and data.startswith(prefix))
