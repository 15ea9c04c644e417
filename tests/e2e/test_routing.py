"""PTB's handler groups route each update to one place: staff handlers before the job seeker's dialogue,
refusals for strangers, and each update processed once — but again after a crash half-way."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.handoff.telegram import Handoff
from bot.journey.telegram import Journey
from tests.conftest import FakeClock
from tests.fakes.telegram_api import FakeTelegram
from tests.handoff.conftest import COUNSELLORS, running

pytestmark = pytest.mark.e2e
ERROR = "terjadi gangguan"
ADMIN = "950"


def _again(tg: FakeTelegram, update_id: int, chat_id: int, text: str) -> None:
    """Telegram delivers ``update_id`` once more (the same message)."""
    message: dict[str, Any] = {
        "message_id": 900 + update_id,
        "date": 1700000000,
        "chat": tg.chat(chat_id),
        "from": {"id": chat_id, "is_bot": False, "first_name": "Siti"},
        "text": text,
    }
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    tg.push_raw_update({"update_id": update_id, "message": message})


async def _settled() -> None:
    """A moment for anything more to arrive (updates are handled in order; the follow-up's answer came)."""
    await asyncio.sleep(0.5)


async def _said_in(h: Handoff, user_id: int) -> list[str]:
    return [line.text for line in await h.rt.store.transcript(user_id) if line.direction == "in"]


async def test_a_job_seekers_text_mentioning_a_counsellor_command_goes_to_the_dialogue(tg, make_settings):
    user = tg.user(311)
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), FakeClock()) as h:
        user.send_text("apa maksud /siaga itu?")  # not a command: it does not start the message
        await tg.wait_for_messages(311, 1)
        await _settled()  # the answer may come in more than one message (a clarify, "Atau maksud Anda")
        answer = tg.sent(311)
        assert all(h.text("not_authorised", "id") not in m["visible_text"] for m in answer)
        assert await _said_in(h, 311) == ["apa maksud /siaga itu?"]  # the dialogue's turn
        user.send_command("/siaga")  # the command itself, from a job seeker: refused, not a question
        after = await tg.wait_for_messages(311, len(answer) + 1)
        assert [m["visible_text"] for m in after[len(answer) :]] == [h.text("not_authorised", "id")]
        assert await _said_in(h, 311) == ["apa maksud /siaga itu?"]


async def test_a_counsellors_plain_text_is_theirs_and_never_the_dialogues(tg, make_settings):
    counsellor = tg.user(900)
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS, ADMIN_IDS="900"), FakeClock()) as h:
        counsellor.send_text("berapa lama klaim jkp?")  # an admin too: the counsellor's reply wins
        [reply] = await tg.wait_for_messages(900, 1)
        assert reply["visible_text"] == h.text("staff_no_case", "id")
        assert await _said_in(h, 900) == []


async def test_an_admins_plain_text_is_not_a_question_but_their_other_commands_go_on(tg, make_settings):
    admin = tg.user(int(ADMIN))
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS, ADMIN_IDS=ADMIN), FakeClock()) as h:
        admin.send_text("berapa lama klaim jkp?")
        [reply] = await tg.wait_for_messages(950, 1)
        assert "terdaftar sebagai admin" in reply["visible_text"]
        admin.send_command("/jadwal")  # not an admin command: the journey answers it
        [*_, journey] = await tg.wait_for_messages(950, 2)
        assert journey["visible_text"] == h.rt.features.get(Journey).words("id")("j.none")
        assert await _said_in(h, 950) == []


async def _redelivered(tg, user, chat: int, first: str, then: str) -> list[str]:
    """``first`` delivered twice by Telegram, then ``then``: what the chat was sent."""
    update_id = user.send_command(first)
    await tg.wait_for_messages(chat, 1)
    _again(tg, update_id, chat, first)
    user.send_command(then)  # handled after the redelivery
    await tg.wait_for_messages(chat, 2)
    await _settled()
    return [m["visible_text"] for m in tg.sent(chat)]


async def test_a_staff_command_delivered_twice_is_answered_once(tg, make_settings):
    counsellor = tg.user(900)
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), FakeClock()) as h:
        sent = await _redelivered(tg, counsellor, 900, "/antrian", "/kasus")
        assert sent == [h.text("queue_empty", "id"), h.text("cases_empty", "id")]


async def test_a_journey_command_delivered_twice_is_answered_once(tg, make_settings):
    user = tg.user(312)
    async with running(make_settings(), FakeClock()):
        assert len(await _redelivered(tg, user, 312, "/jadwal", "/pengingat")) == 2


async def test_a_staff_action_that_failed_half_way_is_done_when_telegram_delivers_it_again(
    tg, make_settings, monkeypatch
):
    counsellor = tg.user(900)
    async with running(make_settings(COUNSELLOR_IDS=COUNSELLORS), FakeClock()) as h:
        waiting = h.service.waiting

        async def crash_once():
            monkeypatch.setattr(h.service, "waiting", waiting)
            raise RuntimeError("database went away mid-action")

        monkeypatch.setattr(h.service, "waiting", crash_once)
        update_id = counsellor.send_command("/antrian")
        [failed] = await tg.wait_for_messages(900, 1)
        assert ERROR in failed["visible_text"]
        _again(tg, update_id, 900, "/antrian")  # the redelivery is not taken for a duplicate
        [*_, done] = await tg.wait_for_messages(900, 2)
        assert done["visible_text"] == h.text("queue_empty", "id")


async def test_a_dialogue_turn_that_failed_half_way_is_answered_when_telegram_delivers_it_again(
    tg, make_settings, monkeypatch
):
    user = tg.user(313)
    async with running(make_settings(), FakeClock()) as h:
        dialogue = h.rt.holder.dialogue
        handle = dialogue.handle

        def crash_once(state, incoming):
            monkeypatch.setattr(dialogue, "handle", handle)
            raise RuntimeError("crash in the middle of the turn")

        monkeypatch.setattr(dialogue, "handle", crash_once)
        update_id = user.send_text("berapa lama batas klaim jkp?")
        [failed] = await tg.wait_for_messages(313, 1)
        assert ERROR in failed["visible_text"]
        _again(tg, update_id, 313, "berapa lama batas klaim jkp?")
        await tg.wait_for_messages(313, 2)
        assert await _said_in(h, 313) == ["berapa lama batas klaim jkp?"]  # stored once, by the redelivery
