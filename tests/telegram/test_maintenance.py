"""The bot's background maintenance: old processed update ids are forgotten."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.storage import MemoryStore
from bot.telegram.app import Maintenance


async def test_maintenance_forgets_processed_update_ids_older_than_a_week() -> None:
    now = [datetime(2026, 1, 1, tzinfo=UTC)]
    store = MemoryStore(clock=lambda: now[0])
    await store.claim_update(1)
    now[0] += timedelta(days=8)
    await store.claim_update(2)
    maintenance = Maintenance(store, every=0.01)
    await maintenance.start()
    await asyncio.sleep(0.05)
    await maintenance.stop()
    assert await store.claim_update(1) is True  # forgotten: a re-delivery this late is processed again
    assert await store.claim_update(2) is False  # still remembered
