"""The SLA re-announcement follows the service calendar: not on a national holiday, at the next opening."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import FakeClock
from tests.handoff.conftest import COUNSELLORS, running, wait_text

pytestmark = pytest.mark.e2e


async def test_no_sla_reminder_on_a_holiday_then_at_the_next_opening(tg, make_settings):
    clock = FakeClock(datetime(2025, 12, 25, 3, 0, tzinfo=UTC))  # Christmas, 10:00 WIB
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), clock, tick_seconds=0.05):
        counsellor = tg.user(900, "Budi")
        counsellor.send_command("/siaga")
        await wait_text(tg, 900, "BERTUGAS")
        user = tg.user(111, "Rina")
        user.send_command("/petugas")
        await wait_text(tg, 111, "tentang apa")
        user.press("h:t:jkp")
        await wait_text(tg, 111, "Lewati")
        user.press("h:skip")
        clock.advance(timedelta(minutes=30))
        await asyncio.sleep(0.5)
        assert not [m for m in tg.sent(900) if "sudah menunggu lebih dari" in m["visible_text"]]
        clock.advance(timedelta(days=1))  # Friday 26 December, 10:30 WIB: open
        await wait_text(tg, 900, "sudah menunggu lebih dari 10 menit")
