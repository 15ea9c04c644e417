"""The bot's background maintenance: old processed update ids are forgotten."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta

from bot.storage import MemoryStore
from bot.telegram.app import maintain


async def test_maintenance_forgets_processed_update_ids_older_than_a_week() -> None:
    now = [datetime(2026, 1, 1, tzinfo=UTC)]
    store = MemoryStore(clock=lambda: now[0])
    await store.claim_update(1)
    now[0] += timedelta(days=8)
    await store.claim_update(2)
    task = asyncio.create_task(maintain(store, every=0.01))
    await asyncio.sleep(0.05)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    assert await store.claim_update(1) is True  # forgotten: a re-delivery this late is processed again
    assert await store.claim_update(2) is False  # still remembered
