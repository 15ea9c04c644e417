"""A job seeker's conversation through the real Application and a fake Bot API over HTTP."""

from __future__ import annotations

import asyncio
import logging
import shutil

import aiohttp
import pytest

from bot.storage import Database, Repository
from bot.telegram.webhook import SECRET_HEADER, make_app
from tests.e2e.conftest import ROOT, TOKEN, running

pytestmark = pytest.mark.e2e


# A question the knowledge answers outright, and a phrase of its answer: tests of the plumbing use it so
# that retuning the matcher does not turn them into clarifications.
QUESTION, IN_ANSWER = "berapa lama batas waktu pengajuan JKP setelah di PHK?", "6 bulan"


def texts(messages: list[dict]) -> list[str]:
    return [m["visible_text"] for m in messages]


async def test_start_shows_welcome_privacy_and_main_menu(tg, bot):
    siti = tg.user(101, "Siti")
    siti.send_command("/start")
    welcome, privacy, menu = await tg.wait_for_messages(101, 3)
    assert "Siti" in welcome["visible_text"] and "Pandu" in welcome["visible_text"]
    assert "/hapus" in privacy["visible_text"]
    assert [data for _, data in tg.buttons(menu)] == [
        "m:jkp",
        "m:jht",
        "m:training",
        "m:jobs",
        "m:human",
        "m:lang",
    ]
    assert "typing" in tg.chat_actions(101)


async def test_question_gets_its_answer_with_follow_up_buttons(tg, bot):
    tg.user(102).send_text("berapa lama batas waktu pengajuan JKP setelah di PHK?")
    [answer] = await tg.wait_for_messages(102, 1)
    assert "6 bulan" in answer["visible_text"]
    assert any(data and data.startswith("i:") for _, data in tg.buttons(answer))


async def test_slang_and_typos_are_understood(tg, bot):
    tg.user(103).send_text("gmn cr klaim jkp nya kak")
    [answer] = await tg.wait_for_messages(103, 1)
    assert "siapkerja.kemnaker.go.id" in answer["visible_text"].lower()


async def test_english_question_is_answered_in_english(tg, bot):
    tg.user(104, language_code="en").send_text("how do I withdraw my JHT after resigning?")
    [answer] = await tg.wait_for_messages(104, 1)
    assert "JHT" in answer["visible_text"] and " the " in answer["visible_text"]


async def test_clarify_offers_choices_and_pressing_one_answers_it(tg, bot):
    user = tg.user(105)
    user.send_text("jkp")
    [question] = await tg.wait_for_messages(105, 1)
    choices = [data for _, data in tg.buttons(question)]
    assert 2 <= len(choices) <= 3 and all(c.startswith("i:") for c in choices)
    user.press(choices[0])
    messages = await tg.wait_for_messages(105, 2)
    kb_answer = messages[1]["visible_text"]
    assert kb_answer and kb_answer != question["visible_text"]
    assert tg.callback_answers


async def test_two_fallbacks_in_a_row_offer_a_counsellor(tg, bot):
    user = tg.user(106)
    user.send_text("qwerty zxcv asdf")
    first = await tg.wait_for_messages(106, 2)
    assert "m:human" in [d for _, d in tg.buttons(first[-1])]
    user.send_text("blorp fnord wibble")
    messages = await tg.wait_for_messages(106, 4)
    assert [d for _, d in tg.buttons(messages[-1])][0] == "m:human"
    assert "petugas" in messages[-1]["visible_text"].lower()


async def test_restart_mid_conversation_continues_from_the_database(tg, make_settings):
    settings = make_settings()
    user = tg.user(107)
    async with running(settings):
        user.send_command("/bahasa")
        [choice] = await tg.wait_for_messages(107, 1)
        user.press("l:en")
        await tg.wait_for_messages(107, 3)
        user.send_text("xyzzy plugh")
        await tg.wait_for_messages(107, 5)
    async with running(settings):
        user.send_text("frobnicate quux")
        messages = await tg.wait_for_messages(107, 7)
    offer = messages[-1]
    assert "counsellor" in offer["visible_text"].lower()  # second fallback in a row, in English
    assert [d for _, d in tg.buttons(offer)][0] == "m:human"


async def test_same_update_delivered_twice_is_answered_once(tg, bot):
    user = tg.user(108)
    update_id = user.send_text(QUESTION)
    await tg.wait_for_messages(108, 1)
    update = {
        "update_id": update_id,
        "message": {
            "message_id": 999,
            "date": 1700000000,
            "chat": tg.chat(108),
            "from": {"id": 108, "is_bot": False, "first_name": "Siti"},
            "text": QUESTION,
        },
    }
    tg.push_raw_update(update)
    user.send_text("terima kasih")
    messages = await tg.wait_for_messages(108, 2)
    await tg.wait_for_call("getUpdates")
    assert len(tg.sent(108)) == 2, texts(tg.sent(108))
    assert IN_ANSWER in messages[0]["visible_text"]


async def test_html_special_characters_in_user_text_are_safe(tg, bot):
    user = tg.user(109)
    user.send_text("<script>alert(1)</script> & <3 <b>jkp</b> &amp;")
    await tg.wait_for_messages(109, 1)
    user.send_text("/start <i>")
    await tg.wait_for_messages(109, 4)
    assert not [e for e in tg.errors if "parse entities" in str(e)]


async def test_long_answer_is_split_at_paragraphs(tg, make_settings, tmp_path):
    knowledge = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge)
    path = knowledge / "intents" / "jkp.yaml"
    long_answer = "\\n\\n".join(f"Paragraf {n}: " + "kata " * 180 for n in range(8))
    text = path.read_text(encoding="utf-8")
    marker = "  - id: jkp.about\n"
    start = text.index("    answer:\n", text.index(marker))
    end = text.index("    summary:", start)
    text = text[:start] + f'    answer:\n      id: "{long_answer}"\n      en: "{long_answer}"\n' + text[end:]
    path.write_text(text, encoding="utf-8")
    async with running(make_settings(KNOWLEDGE_DIR=str(knowledge))):
        tg.user(110).send_text("apa itu program jkp")
        messages = await tg.wait_for_messages(110, 2)
    assert all(len(m["visible_text"]) <= 4096 for m in messages)
    assert messages[0]["visible_text"].rstrip().endswith("kata")
    assert messages[1]["visible_text"].startswith("Paragraf")


async def test_sticker_photo_voice_location_and_edits_get_a_polite_reply(tg, bot):
    user = tg.user(111)
    user.send_sticker()
    user.send_photo()
    user.send_voice()
    user.send_location(-6.2, 106.8)
    first = user.send_text("halo")
    await tg.wait_for_messages(111, 8)  # a sticker is a reaction: one short reply, no menu
    user.edit_text(first, "halo lagi")
    messages = await tg.wait_for_messages(111, 10)
    assert messages[0]["visible_text"].startswith("Baik")
    assert "teks" in messages[1]["visible_text"]
    assert not tg.errors


async def test_a_captioned_photo_is_answered_by_its_caption(tg, bot):
    user = tg.user(119)
    user.send_photo(caption=QUESTION)
    [answer] = await user.wait_for_messages(1)
    assert IN_ANSWER in answer["visible_text"]


async def test_delete_my_data_removes_transcript_and_profile(tg, bot, db_url):
    user = tg.user(112)
    user.send_text("apa itu jkp")
    await tg.wait_for_messages(112, 1)
    user.send_command("/hapus")
    await tg.wait_for_messages(112, 2)
    user.press("del:yes")
    await tg.wait_for_messages(112, 3)
    db = Database(db_url)
    try:
        repo = Repository(db)
        assert await repo.load_user(112) is None
        assert await repo.transcript(112) == []
    finally:
        await db.dispose()


async def test_rate_limited_send_is_retried(tg, bot):
    tg.fail_next("sendMessage", error_code=429, retry_after=1)
    tg.user(113).send_text(QUESTION)
    [answer] = await tg.wait_for_messages(113, 1, timeout=15)
    assert IN_ANSWER in answer["visible_text"]


async def test_a_reply_failing_with_a_server_error_is_sent_again(tg, bot):
    """The turn is stored before the reply goes out: a 502 from the Bot API must not lose the answer."""
    tg.fail_next("sendMessage", error_code=502, times=2)
    tg.user(118).send_text(QUESTION)
    [answer] = await tg.wait_for_messages(118, 1, timeout=15)
    assert IN_ANSWER in answer["visible_text"]
    assert [e.error_code for e in tg.errors if e.method.lower() == "sendmessage"] == [502, 502]


async def test_logs_hold_no_token_nik_or_phone(tg, bot, caplog):
    caplog.set_level(logging.DEBUG)
    tg.user(114).send_text("NIK saya 3201234567890123 hp 081234567890, jkp sy kapan cair?")
    await tg.wait_for_messages(114, 1)
    for _ in range(50):  # the per-update log line is written just after the reply is sent
        logged = "\n".join(r.getMessage() for r in caplog.records)
        if "latency_ms=" in logged:
            break
        await asyncio.sleep(0.1)
    assert "intent=" in logged and "latency_ms=" in logged and "band=" in logged
    assert any(r.name == "httpx" for r in caplog.records)  # its request lines carry the token URL
    # long digit runs of the token are masked anyway (as [NOMOR]); its letters are what must not leak
    letters = TOKEN.split(":", 1)[1].rstrip("0123456789")
    for secret in (letters, "3201234567890123", "081234567890"):
        assert secret not in logged


async def test_webhook_refuses_a_wrong_secret_and_accepts_the_right_one(tg, make_settings):
    settings = make_settings(WEBHOOK_URL="https://example.invalid/tg", WEBHOOK_SECRET="s3cret")
    async with running(settings, polling=False) as application:
        app = make_app(application, secret="s3cret", path="/tg")
        runner = aiohttp.web.AppRunner(app)
        await runner.setup()
        site = aiohttp.web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        user = tg.user(115)
        update = {
            "update_id": 5001,
            "message": {
                "message_id": 1,
                "date": 1700000000,
                "chat": tg.chat(115),
                "from": {"id": 115, "is_bot": False, "first_name": "Siti"},
                "text": QUESTION,
            },
        }
        try:
            async with aiohttp.ClientSession() as http:
                bad = await http.post(
                    f"http://127.0.0.1:{port}/tg", json=update, headers={SECRET_HEADER: "nope"}
                )
                good = await http.post(
                    f"http://127.0.0.1:{port}/tg", json=update, headers={SECRET_HEADER: "s3cret"}
                )
                health = await http.get(f"http://127.0.0.1:{port}/healthz")
                outbox = (await health.json())["outbox"]
            assert (bad.status, good.status, health.status) == (403, 200, 200)
            assert set(outbox) == {"pending", "failed", "dead", "lag_seconds"}
            # acknowledged only once processed (the answer is then in the outbox): an instance dying
            # mid-update leaves it for Telegram to resend; the delivery worker sends the answer just after,
            # then the offer to work out one's own timeline
            received = await user.wait_for_messages(2)
            assert sum(IN_ANSWER in m["visible_text"] for m in received) == 1
        finally:
            await runner.cleanup()
