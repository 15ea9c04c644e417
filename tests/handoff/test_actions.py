"""Counsellor actions return the messages to send (``Outgoing``) and send nothing themselves; the
user's dialogue state follows every change of their case (also the idle timer's close)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.handoff import counsellor, timers
from bot.handoff.outgoing import Outgoing
from tests.conftest import FakeClock
from tests.handoff.conftest import COUNSELLORS, running, wait_text

pytestmark = pytest.mark.e2e


def _texts(out: list[Outgoing], chat_id: int) -> list[str]:
    return [reply.text for item in out if item.chat_id == chat_id for reply in item.replies]


async def _case(h, user_id: int, name: str):
    await h.rt.store.save_user(user_id, first_name=name, state={})
    return await h.service.open_case(user_id, first_name=name, topic="jkp", description="", lang="id")


async def _state(h, user_id: int) -> dict:
    record = await h.rt.store.load_user(user_id)
    assert record is not None
    return record.state.get("handoff") or {}


async def test_take_returns_the_card_transcript_and_the_users_notice(tg, make_settings):
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), FakeClock()) as h:
        await h.service.seen_counsellor(900, "Budi")
        case = await _case(h, 301, "Siti")
        assert (await _state(h, 301))["status"] == "waiting"
        sent_before = len(tg.sent(301))
        out = await counsellor.take(h, 900, 900, str(case.id), "id")
        assert [item.chat_id for item in out] == [900, 900, 301]
        assert "Siti" in _texts(out, 900)[0] and "Percakapan terakhir" in _texts(out, 900)[1]
        assert "Budi" in _texts(out, 301)[0]
        assert await _state(h, 301) == {"case": case.id, "status": "assigned", "lang": "id"}
        lost = await counsellor.take(h, 901, 901, str(case.id), "id")
        assert [item.chat_id for item in lost] == [901] and "Budi" in _texts(lost, 901)[0]
        assert len(tg.sent(301)) == sent_before  # nothing was sent by the actions


async def test_transfer_and_done_return_messages_for_each_side(tg, make_settings):
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), FakeClock()) as h:
        await h.service.seen_counsellor(900, "Budi")
        await h.service.seen_counsellor(901, "Ani")
        case = await _case(h, 302, "Siti")
        assert (await h.service.claim(case.id, 900)).won
        out = await counsellor.transfer(h, 900, 900, "Ani", "id")
        assert [item.chat_id for item in out] == [900, 901, 901, 302]
        assert "Ani" in _texts(out, 302)[0] and f"#{case.id}" in _texts(out, 901)[0]
        assert (await _state(h, 302))["status"] == "assigned"
        closed = await counsellor.done(h, 901, 901, "", "id")
        assert [item.chat_id for item in closed] == [901, 302, 302]
        rating = closed[-1].replies[0].buttons[0]
        assert [b.data for b in rating] == [f"h:r:{case.id}:{n}" for n in range(1, 6)]
        assert await _state(h, 302) == {}  # back with the bot
        again = await counsellor.done(h, 901, 901, "", "id")
        assert [item.chat_id for item in again] == [901]  # no current case: said so, to the counsellor only


async def test_requeue_announces_again_and_the_user_waits_again(tg, make_settings):
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), FakeClock()) as h:
        await h.service.seen_counsellor(900, "Budi")
        case = await _case(h, 303, "Siti")
        await h.service.claim(case.id, 900)
        out = await counsellor.transfer(h, 900, 900, "", "id")
        assert out[0].chat_id == 900 and out[1].chat_id == 303
        assert (await _state(h, 303))["status"] == "waiting"


async def test_a_case_the_idle_timer_closes_leaves_the_user_with_the_bot(tg, make_settings):
    clock = FakeClock()
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), clock) as h:
        await h.service.seen_counsellor(900, "Budi")
        siti = tg.user(304, "Siti")
        siti.send_command("/start")
        await tg.wait_for_messages(304, 1)
        case = await _case(h, 304, "Siti")
        await h.service.claim(case.id, 900)
        clock.advance(h.config.timers.idle_close + timedelta(minutes=1))
        await timers.tick(h)
        assert (await h.service.get(case.id)).status == "closed"  # type: ignore[union-attr]
        assert await _state(h, 304) == {}
        await wait_text(tg, 304, "24 jam tidak ada pesan")
        start = len(tg.sent(304))
        siti.send_text("berapa lama batas waktu pengajuan JKP?")
        await tg.wait_for_messages(304, start + 1)
        assert not [m for m in tg.sent(900) if "Siti (#" in (m.get("visible_text") or "")]  # not relayed


async def test_startup_writes_open_cases_into_states_stored_without_them(tg, make_settings):
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), FakeClock()) as h:
        case = await _case(h, 305, "Siti")
        await h.service.claim(case.id, 900)
        await h.rt.store.save_user(305, first_name="Siti", state={"last_lang": "en"})  # an older state
        assert await h.service.sync_open_cases() == 1
        record = await h.rt.store.load_user(305)
        assert record is not None and record.state["last_lang"] == "en"
        assert record.state["handoff"] == {"case": case.id, "status": "assigned", "lang": "id"}


async def test_a_state_showing_a_case_no_longer_assigned_is_repaired_not_relayed(tg, make_settings):
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), FakeClock()) as h:
        siti = tg.user(306, "Siti")
        siti.send_command("/start")
        await tg.wait_for_messages(306, 1)
        stale = {
            "case": 999,
            "status": "assigned",
            "lang": "id",
        }  # e.g. a case changed by hand in the database
        await h.rt.store.save_user(306, first_name="Siti", state={"handoff": stale})
        siti.send_text("halo pak")
        await wait_text(tg, 306, "Percakapan dengan petugas selesai")
        assert await _state(h, 306) == {}


async def test_asking_again_with_a_case_the_state_missed_says_where_they_stand(tg, make_settings):
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), FakeClock()) as h:
        siti = tg.user(307, "Siti")
        siti.send_command("/start")
        await tg.wait_for_messages(307, 1)
        case = await _case(h, 307, "Siti")
        await h.rt.store.save_user(307, first_name="Siti", state={})  # a state that missed the case
        siti.send_command("/petugas")
        await wait_text(tg, 307, "sudah di antrean")
        record = await h.rt.store.load_user(307)
        assert record is not None and record.state["flow"] is None
        assert record.state["handoff"]["case"] == case.id
