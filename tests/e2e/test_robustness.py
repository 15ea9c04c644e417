"""What must never go wrong: crashes, odd input, duplicate deliveries racing on two instances."""

from __future__ import annotations

import asyncio

import pytest
from telegram import Update

from tests.e2e.conftest import running

pytestmark = pytest.mark.e2e


async def test_a_crash_mid_conversation_apologises_in_the_users_language_and_keeps_the_state(
    tg, bot, monkeypatch
):
    """The failed turn stores nothing: the fallback count from before the crash still counts."""
    dialogue = bot.bot_data["runtime"].holder.dialogue
    user = tg.user(201)
    user.send_command("/bahasa")
    await tg.wait_for_messages(201, 1)
    user.press("l:en")
    await tg.wait_for_messages(201, 3)
    user.send_text("xyzzy plugh")  # first fallback
    await tg.wait_for_messages(201, 5)
    original = dialogue.handle

    def handle(state, incoming):
        if incoming.text == "crash now":
            raise RuntimeError("the matcher fell over")
        return original(state, incoming)

    monkeypatch.setattr(dialogue, "handle", handle)
    user.send_text("crash now")
    messages = await tg.wait_for_messages(201, 6)
    assert "something went wrong" in messages[-1]["visible_text"].lower()
    user.send_text("frobnicate quux")  # second fallback in a row: the counsellor offer, still in English
    messages = await tg.wait_for_messages(201, 8)
    assert "counsellor" in messages[-1]["visible_text"].lower()
    assert [d for _, d in tg.buttons(messages[-1])][0] == "m:human"


async def test_a_failing_effect_after_the_reply_still_gets_a_polite_message(tg, bot, monkeypatch):
    rt = bot.bot_data["runtime"]

    async def broken(effect, person, chat_id, runtime):
        raise RuntimeError("handoff service down")

    monkeypatch.setitem(rt.effects, "handoff", broken)
    tg.user(202).send_command("/petugas")
    messages = await tg.wait_for_messages(202, 1)
    assert "gangguan" in messages[-1]["visible_text"]
    assert not tg.errors


async def test_a_ten_thousand_character_message_is_answered(tg, bot):
    user = tg.user(203)
    user.send_text("cara klaim jkp " + "tolong " * 1400)
    [answer] = await tg.wait_for_messages(203, 1)
    assert answer["visible_text"]
    assert not tg.errors


@pytest.mark.parametrize(
    "text",
    [
        "\u200b\u200d\ufeff",  # only zero-width characters
        "جكپ كيف أطالب",  # right-to-left script
        "🙏🙏🙏 jkp 👍🏽‍",  # emoji with modifiers and joiners
        "ｊｋｐ　ｃａｉｒ",  # full-width letters and space
        "e\u0301\u0301\u0301 Z\u0351\u0352\u0353",  # stacked combining marks
        "\x00\x07 tab\tnew\nline",  # control characters
    ],
)
async def test_odd_unicode_is_answered_without_errors(tg, bot, text):
    tg.user(204).send_text(text)
    [reply] = await tg.wait_for_messages(204, 1)
    assert reply["visible_text"]
    assert not tg.errors


async def test_contact_and_an_empty_message_get_a_polite_reply(tg, bot):
    user = tg.user(205)
    user.send_contact("081234567890")
    await tg.wait_for_messages(205, 2)
    tg.push_raw_update(
        {
            "message": {
                "message_id": 77,
                "date": 1700000000,
                "chat": tg.chat(205),
                "from": {"id": 205, "is_bot": False, "first_name": "Siti"},
            }
        }
    )
    messages = await tg.wait_for_messages(205, 4)
    assert "teks" in messages[0]["visible_text"]
    assert "kosong" in messages[2]["visible_text"]
    assert not tg.errors


async def test_one_update_racing_on_two_instances_with_one_database_is_answered_once(tg, make_settings):
    """Two webhook instances behind a load balancer both receive the same (retried) update."""
    settings = make_settings(WEBHOOK_URL="https://example.invalid/tg", WEBHOOK_SECRET="s3cret")
    tg.user(206)
    async with running(settings, polling=False) as first, running(settings, polling=False) as second:
        for n in range(5):
            data = {
                "update_id": 7000 + n,
                "message": {
                    "message_id": 10 + n,
                    "date": 1700000000,
                    "chat": tg.chat(206),
                    "from": {"id": 206, "is_bot": False, "first_name": "Siti"},
                    "text": "batas waktu klaim jkp",
                },
            }
            await asyncio.gather(
                first.process_update(Update.de_json(data, first.bot)),
                second.process_update(Update.de_json(data, second.bot)),
            )
        await tg.wait_until(lambda: len(tg.sent(206)) >= 10, timeout=20)  # the outbox delivers after the turn
        await asyncio.sleep(0.5)  # and nothing more arrives
    sent = tg.sent(206)  # each update once: the answer and its offer to work out one's own timeline
    answers = [m for m in sent if "6 bulan" in m["visible_text"]]
    assert len(answers) == 5 and len(sent) == 10, [m["visible_text"][:40] for m in sent]
