"""Self-tests of the fake Bot API server, driven by real python-telegram-bot clients over HTTP."""

from __future__ import annotations

import asyncio
import datetime as dtm
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
import pytest
from aiohttp import web
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    MessageEntity,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.error import BadRequest, Conflict, Forbidden, NetworkError, RetryAfter
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes

from tests.fakes.telegram_api import BOT_USER, FakeTelegram, FakeUser, parse_html

TOKEN = "123456:TEST-token-for-the-fake"
USER_ID = 4242


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


@pytest.fixture
async def bot(tg: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=tg.base_url, base_file_url=tg.base_file_url) as client:
        yield client


@pytest.fixture
def siti(tg: FakeTelegram) -> FakeUser:
    return tg.user(USER_ID, first_name="Siti", language_code="id")


def keyboard(*callback_data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(data, callback_data=data)] for data in callback_data])


@asynccontextmanager
async def webhook_receiver(secret: str) -> AsyncIterator[tuple[str, asyncio.Queue[tuple[str | None, dict]]]]:
    """A tiny webhook endpoint on 127.0.0.1 that answers 403 unless the secret header matches."""
    received: asyncio.Queue[tuple[str | None, dict]] = asyncio.Queue()

    async def handle(request: web.Request) -> web.Response:
        header = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
        await received.put((header, await request.json()))
        return web.Response(status=200 if header == secret else 403)

    app = web.Application()
    app.router.add_post("/hook", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}/hook", received
    finally:
        await runner.cleanup()


# --- basics --------------------------------------------------------------------------------------


async def test_get_me_returns_the_bot_user_and_records_the_token(tg: FakeTelegram, bot: Bot) -> None:
    me = await bot.get_me()

    assert (me.id, me.is_bot, me.first_name, me.username) == (7000001, True, "Pandu", "pandu_test_bot")
    assert me.can_join_groups is True
    assert me.supports_inline_queries is False
    assert TOKEN in tg.tokens_seen
    assert tg.root.startswith("http://127.0.0.1:")


async def test_method_names_are_case_insensitive_and_json_bodies_keep_text_as_string(
    tg: FakeTelegram, siti: FakeUser
) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{tg.base_url}{TOKEN}/GETME") as resp:
            assert resp.status == 200
            assert (await resp.json())["result"]["username"] == BOT_USER["username"]
        async with http.post(
            f"{tg.base_url}{TOKEN}/sendmessage", json={"chat_id": USER_ID, "text": "123"}
        ) as resp:
            body = await resp.json()
        async with http.post(
            f"{tg.base_url}{TOKEN}/sendMessage", data={"chat_id": str(USER_ID), "text": "true"}
        ) as resp:
            form_body = await resp.json()

    assert body["ok"] is True
    assert body["result"]["text"] == "123"
    assert form_body["result"]["text"] == "true"
    assert [call.method for call in tg.calls] == ["getMe", "sendMessage", "sendMessage"]
    assert tg.calls_to("sendMessage")[0]["chat_id"] == USER_ID


async def test_unknown_method_is_a_bad_request(tg: FakeTelegram, bot: Bot) -> None:
    with pytest.raises(BadRequest, match="Method not found"):
        await bot.do_api_request("sendHologram", api_kwargs={"chat_id": USER_ID})

    assert tg.errors[-1].error_code == 400
    tg.stub("setMyDescription", True)
    assert await bot.set_my_description("Halo") is True
    assert tg.calls_to("setmydescription") == [{"description": "Halo"}]


async def test_lenient_mode_accepts_unknown_chats() -> None:
    async with FakeTelegram(strict_chats=False) as lenient:
        async with Bot(TOKEN, base_url=lenient.base_url) as client:
            message = await client.send_message(31337, "halo")
    assert message.chat.id == 31337 and lenient.sent(31337)[0]["text"] == "halo"


# --- getUpdates ----------------------------------------------------------------------------------


async def test_get_updates_honours_offset_and_drops_confirmed_updates(bot: Bot, siti: FakeUser) -> None:
    ids = [siti.send_text(f"pesan {n}") for n in range(3)]

    assert [u.update_id for u in await bot.get_updates()] == ids
    assert [u.update_id for u in await bot.get_updates(offset=ids[1])] == ids[1:]
    assert [u.update_id for u in await bot.get_updates()] == ids[1:], "confirmed update came back"
    assert [u.update_id for u in await bot.get_updates(offset=ids[1], limit=1)] == ids[1:2]
    assert await bot.get_updates(offset=ids[-1] + 1) == ()
    assert await bot.get_updates() == ()


async def test_get_updates_long_poll_wakes_up_when_an_update_arrives(bot: Bot, siti: FakeUser) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.3)
    assert not poll.done()

    started = asyncio.get_running_loop().time()
    update_id = siti.send_text("halo")
    updates = await asyncio.wait_for(poll, timeout=2)

    assert [u.update_id for u in updates] == [update_id]
    assert updates[0].message.text == "halo"
    assert asyncio.get_running_loop().time() - started < 1.5


async def test_get_updates_long_poll_returns_empty_after_timeout(bot: Bot) -> None:
    started = asyncio.get_running_loop().time()

    assert await bot.get_updates(timeout=1) == ()
    assert 0.9 <= asyncio.get_running_loop().time() - started < 3


async def test_a_second_bot_instance_polling_terminates_the_first_with_conflict(
    tg: FakeTelegram, bot: Bot
) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.2)

    async with Bot(TOKEN, base_url=tg.base_url, base_file_url=tg.base_file_url) as second_instance:
        assert await second_instance.get_updates(timeout=0) == ()
    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await asyncio.wait_for(first, timeout=2)


async def test_allowed_updates_filters_and_discards_other_types(bot: Bot, siti: FakeUser) -> None:
    await bot.send_message(USER_ID, "Pilih:", reply_markup=keyboard("menu:jkp"))
    siti.send_text("bukan tombol")
    press_id = siti.press("menu:jkp")

    updates = await bot.get_updates(allowed_updates=["callback_query"])
    assert [u.update_id for u in updates] == [press_id]
    assert [u.update_id for u in await bot.get_updates(allowed_updates=[])] == [press_id]


async def test_redelivered_update_id_is_delivered_again(tg: FakeTelegram, bot: Bot, siti: FakeUser) -> None:
    update_id = siti.send_text("sekali")
    [update] = await bot.get_updates()
    assert await bot.get_updates(offset=update_id + 1) == ()

    assert tg.push_raw_update(update.to_dict()) == update_id
    [again] = await bot.get_updates(offset=update_id + 1)

    assert (again.update_id, again.message.text) == (update_id, "sekali")
    assert await bot.get_updates(offset=update_id + 1) == ()


# --- sendMessage and validation ------------------------------------------------------------------


async def test_send_message_shape_and_what_the_fake_records(
    tg: FakeTelegram, bot: Bot, siti: FakeUser
) -> None:
    first = await bot.send_message(USER_ID, "Halo Siti")
    second = await bot.send_message(USER_ID, "Pilih layanan:", reply_markup=keyboard("menu:jkp", "menu:jht"))

    assert (first.message_id, second.message_id) == (1, 2)
    assert first.chat.id == USER_ID and first.chat.type == "private" and first.chat.first_name == "Siti"
    assert first.from_user.id == BOT_USER["id"] and first.from_user.is_bot
    assert abs(first.date.timestamp() - dtm.datetime.now(dtm.UTC).timestamp()) < 5
    assert second.reply_markup == keyboard("menu:jkp", "menu:jht")
    sent = tg.sent(USER_ID)
    assert [m["text"] for m in sent] == ["Halo Siti", "Pilih layanan:"]
    assert tg.buttons(sent[1]) == [("menu:jkp", "menu:jkp"), ("menu:jht", "menu:jht")]
    assert await tg.wait_for_messages(USER_ID, 2, timeout=1) == sent
    params = await tg.wait_for_call("sendMessage", lambda p: p["text"].startswith("Pilih"), timeout=1)
    assert params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "menu:jkp"


async def test_reply_keyboards_are_recorded_but_not_echoed(
    tg: FakeTelegram, bot: Bot, siti: FakeUser
) -> None:
    contact_keyboard = ReplyKeyboardMarkup([[KeyboardButton("Bagikan nomor", request_contact=True)]])
    message = await bot.send_message(USER_ID, "Boleh minta nomor?", reply_markup=contact_keyboard)
    await bot.edit_message_text("Boleh minta nomor HP?", chat_id=USER_ID, message_id=message.message_id)

    assert message.reply_markup is None  # Telegram returns only inline keyboards in Message
    [record] = tg.sent(USER_ID)
    assert tg.buttons(record) == [("Bagikan nomor", None)]
    assert record["reply_markup"]["keyboard"][0][0]["request_contact"] is True


async def test_html_is_parsed_into_visible_text_and_entities(
    tg: FakeTelegram, bot: Bot, siti: FakeUser
) -> None:
    html = (
        '<b>JKP</b> &lt;3 &amp; &#128077; <a href="https://x.id/?a=1&amp;b=2">info</a> '
        '<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler> '
        '<pre><code class="language-python">x = 1</code></pre><blockquote expandable>q</blockquote>'
    )
    message = await bot.send_message(USER_ID, html, parse_mode="HTML")

    visible = "JKP <3 & 👍 info st x = 1q"
    assert message.text == visible
    assert tg.sent(USER_ID)[0]["visible_text"] == visible
    assert tg.sent(USER_ID)[0]["text"] == html
    assert tg.sent(USER_ID)[0]["parse_mode"] == "HTML"
    types = [entity.type for entity in message.entities]
    assert types == ["bold", "text_link", "spoiler", "spoiler", "pre", "expandable_blockquote"]
    assert message.parse_entity(message.entities[1]) == "info"
    assert message.entities[1].url == "https://x.id/?a=1&b=2"
    assert message.entities[4].language == "python"


@pytest.mark.parametrize(
    ("html", "detail"),
    [
        ("baris<br>baru", 'Unsupported start tag "br"'),
        ("umur < 55 tahun", "Unexpected end of name token"),
        ("JKP & JHT", "Unsupported HTML entity"),
        ("&nbsp;", "Unsupported HTML entity"),
        ("<b>tebal", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
        ('<a href="x"', "Unclosed start tag"),
    ],
)
async def test_invalid_html_is_rejected_like_telegram(
    tg: FakeTelegram, bot: Bot, siti: FakeUser, html: str, detail: str
) -> None:
    with pytest.raises(BadRequest, match="Can't parse entities"):  # PTB drops "Bad Request: "
        await bot.send_message(USER_ID, html, parse_mode="HTML")

    assert tg.errors[-1].description.startswith(f"Bad Request: can't parse entities: {detail}")
    assert tg.sent(USER_ID) == []


async def test_parse_html_counts_entity_offsets_in_utf16() -> None:
    formatted = parse_html("😀 <b>tebal</b>")

    assert formatted.visible == "😀 tebal"
    assert formatted.entities == ({"type": "bold", "offset": 3, "length": 5},)


async def test_empty_and_too_long_texts_are_rejected(bot: Bot, siti: FakeUser) -> None:
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(USER_ID, "")
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(USER_ID, "<b> </b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(USER_ID, "a" * 4097)

    await bot.send_message(USER_ID, "a" * 4096)
    await bot.send_message(USER_ID, f"<b>{'a' * 4096}</b>", parse_mode="HTML")  # counted after parsing


async def test_callback_data_is_limited_to_64_utf8_bytes(bot: Bot, siti: FakeUser) -> None:
    await bot.send_message(USER_ID, "ok", reply_markup=keyboard("x" * 64))

    for too_long in ("x" * 65, "é" * 33):
        with pytest.raises(BadRequest, match="Button_data_invalid"):
            await bot.send_message(USER_ID, "no", reply_markup=keyboard(too_long))


async def test_unknown_chat_and_blocked_user_are_refused(tg: FakeTelegram, bot: Bot, siti: FakeUser) -> None:
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(999, "siapa?")

    block_id = siti.block()
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(USER_ID, "halo?")
    [update] = await bot.get_updates()
    assert update.update_id == block_id
    assert update.my_chat_member.new_chat_member.status == "kicked"

    siti.unblock()
    await bot.send_message(USER_ID, "halo lagi")


# --- failure injection ---------------------------------------------------------------------------


async def test_injected_429_surfaces_as_retry_after(
    tg: FakeTelegram, bot: Bot, siti: FakeUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # RetryAfter.retry_after as timedelta, no deprecation warning
    tg.fail_next("sendMessage", error_code=429, retry_after=3)

    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(USER_ID, "cepat")
    assert caught.value.retry_after == dtm.timedelta(seconds=3)

    await bot.send_message(USER_ID, "lagi")
    assert [m["text"] for m in tg.sent(USER_ID)] == ["lagi"]


async def test_injected_500_surfaces_as_network_error_once(
    tg: FakeTelegram, bot: Bot, siti: FakeUser
) -> None:
    tg.fail_next("sendmessage", error_code=500)

    with pytest.raises(NetworkError, match="Internal Server Error"):
        await bot.send_message(USER_ID, "x")
    await bot.send_message(USER_ID, "y")


# --- edits ---------------------------------------------------------------------------------------


async def test_edit_message_text_errors_and_keyboard_handling(
    tg: FakeTelegram, bot: Bot, siti: FakeUser
) -> None:
    message = await bot.send_message(USER_ID, "Pilih:", reply_markup=keyboard("a"))

    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", chat_id=USER_ID, message_id=99)
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text(
            "Pilih:", chat_id=USER_ID, message_id=message.message_id, reply_markup=keyboard("a")
        )

    edited = await bot.edit_message_text("<b>Pilih</b>:", chat_id=USER_ID, message_id=1, parse_mode="HTML")
    assert edited.text == "Pilih:" and edited.reply_markup is None, (
        "omitting reply_markup removes the keyboard"
    )
    assert edited.edit_date is not None
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text(
            "<strong>Pilih</strong>:", chat_id=USER_ID, message_id=1, parse_mode="HTML"
        )

    await bot.edit_message_reply_markup(chat_id=USER_ID, message_id=1, reply_markup=keyboard("b"))
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(chat_id=USER_ID, message_id=1, reply_markup=keyboard("b"))
    [record] = tg.sent(USER_ID)
    assert (record["text"], record["visible_text"]) == ("<b>Pilih</b>:", "Pilih:")
    assert tg.buttons(record) == [("b", "b")]

    removed = await bot.edit_message_reply_markup(chat_id=USER_ID, message_id=1)
    assert removed.reply_markup is None and tg.buttons(tg.sent(USER_ID)[0]) == []
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(
            chat_id=USER_ID, message_id=1, reply_markup=InlineKeyboardMarkup([])
        )


async def test_user_messages_cannot_be_edited_by_the_bot(bot: Bot, siti: FakeUser) -> None:
    siti.send_text("punya saya")

    with pytest.raises(BadRequest, match="Message can't be edited"):
        await bot.edit_message_text("diubah", chat_id=USER_ID, message_id=siti.last_message_id)


# --- users acting --------------------------------------------------------------------------------


async def test_press_builds_a_callback_query_ptb_parses(tg: FakeTelegram, bot: Bot, siti: FakeUser) -> None:
    await bot.send_message(USER_ID, "Lama", reply_markup=keyboard("menu:jkp"))
    latest = await bot.send_message(USER_ID, "Baru", reply_markup=keyboard("menu:jkp", "menu:jht"))
    update_id = siti.press("menu:jkp")

    [update] = await bot.get_updates()
    query = update.callback_query
    assert update.update_id == update_id
    assert (query.data, query.from_user.id, query.message.message_id) == (
        "menu:jkp",
        USER_ID,
        latest.message_id,
    )
    assert query.message.reply_markup == keyboard("menu:jkp", "menu:jht")
    assert Update.de_json(update.to_dict(), bot).callback_query.data == "menu:jkp"

    assert await query.answer("Oke") is True
    with pytest.raises(BadRequest, match="Query is too old"):
        await query.answer("lagi")
    assert tg.callback_answers == [
        {
            "callback_query_id": query.id,
            "text": "Oke",
            "show_alert": None,
            "url": None,
            "cache_time": None,
            "data": "menu:jkp",
            "user_id": USER_ID,
        }
    ]
    with pytest.raises(AssertionError, match="no bot message"):
        siti.press("menu:unknown")


async def test_user_actions_produce_updates_ptb_understands(bot: Bot, siti: FakeUser) -> None:
    siti.send_command("/start ref_42")
    siti.send_sticker()
    siti.send_photo(caption="KTP")
    siti.send_voice()
    siti.send_location(-6.2, 106.8)
    siti.send_contact("+62812000000")
    siti.send_document("cv.pdf", b"%PDF-1.4", "application/pdf")
    typo = siti.send_text("salah ketik")
    siti.edit_text(typo, "sudah benar")  # the update_id of the message works as well as its message_id

    siti.edit_text(siti.last_message_id, "sudah benar sekali")

    updates = await bot.get_updates()
    start, sticker, photo, voice, location, contact, document, _, edit, second_edit = updates

    assert start.message.text == "/start ref_42"
    assert start.message.parse_entities([MessageEntity.BOT_COMMAND]) == {start.message.entities[0]: "/start"}
    assert start.effective_user.language_code == "id"
    assert sticker.message.sticker.emoji == "👍"
    assert (photo.message.caption, len(photo.message.photo)) == ("KTP", 2)
    assert voice.message.voice.mime_type == "audio/ogg"
    assert (location.message.location.latitude, location.message.location.longitude) == (-6.2, 106.8)
    assert (contact.message.contact.phone_number, contact.message.contact.user_id) == (
        "+62812000000",
        USER_ID,
    )
    assert document.message.document.file_name == "cv.pdf"
    assert edit.edited_message.text == "sudah benar" and edit.edited_message.edit_date is not None
    assert second_edit.edited_message.message_id == edit.edited_message.message_id == 8
    assert [u.message.message_id for u in updates[:8]] == list(range(1, 9))


async def test_user_document_can_be_downloaded_via_get_file(bot: Bot, siti: FakeUser) -> None:
    content = b"%PDF-1.4 surat PHK"
    siti.send_document("surat.pdf", content, "application/pdf")
    [update] = await bot.get_updates()

    file = await bot.get_file(update.message.document.file_id)

    assert file.file_path.startswith(bot.base_file_url)
    assert bytes(await file.download_as_bytearray()) == content
    with pytest.raises(BadRequest, match="Invalid file_id"):
        await bot.get_file("nope")


async def test_bot_uploads_are_recorded_and_downloadable(tg: FakeTelegram, bot: Bot, siti: FakeUser) -> None:
    document = await bot.send_document(
        USER_ID, b"isi", filename="ringkasan.txt", caption="<i>Ringkasan</i>", parse_mode="HTML"
    )
    photo = await bot.send_photo(USER_ID, b"\xff\xd8gambar", caption="Foto")

    doc_record, photo_record = tg.sent(USER_ID)
    assert (doc_record["file_name"], doc_record["file_bytes"], doc_record["caption"]) == (
        "ringkasan.txt",
        b"isi",
        "<i>Ringkasan</i>",
    )
    assert doc_record["visible_text"] == document.caption == "Ringkasan"
    assert document.document.file_name == "ringkasan.txt"
    assert photo_record["file_bytes"] == b"\xff\xd8gambar" and photo.caption == "Foto"
    downloaded = await (await bot.get_file(document.document.file_id)).download_as_bytearray()
    assert bytes(downloaded) == b"isi"
    again = await bot.send_document(USER_ID, document.document.file_id)
    assert again.document.file_id == document.document.file_id


async def test_commands_chat_actions_copy_and_forward(tg: FakeTelegram, bot: Bot, siti: FakeUser) -> None:
    counsellors = -100500
    tg.add_chat(counsellors, type="supergroup", title="Konselor")
    await bot.set_my_commands([("start", "Mulai"), ("bantuan", "Bantuan")])
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([("Start", "Mulai")])
    await bot.send_chat_action(USER_ID, "typing")
    siti.send_text("tolong saya")

    copied = await bot.copy_message(counsellors, USER_ID, siti.last_message_id)
    forwarded = await bot.forward_message(counsellors, USER_ID, siti.last_message_id)

    assert [(c.command, c.description) for c in await bot.get_my_commands()] == [
        ("start", "Mulai"),
        ("bantuan", "Bantuan"),
    ]
    assert await bot.delete_my_commands() is True and await bot.get_my_commands() == ()
    assert tg.chat_actions(USER_ID) == ["typing"]
    assert copied.message_id == 1
    assert forwarded.forward_origin.sender_user.id == USER_ID
    assert [m["visible_text"] for m in tg.sent(counsellors)] == ["tolong saya", "tolong saya"]
    with pytest.raises(BadRequest, match="Message to copy not found"):
        await bot.copy_message(counsellors, USER_ID, 77)


async def test_wait_for_messages_reports_sent_messages_and_errors_on_timeout(
    tg: FakeTelegram, bot: Bot, siti: FakeUser
) -> None:
    await bot.send_message(USER_ID, "satu")
    with pytest.raises(BadRequest):
        await bot.send_message(USER_ID, "<br>", parse_mode="HTML")

    with pytest.raises(AssertionError, match=r"got 1: \['satu'\].*parse entities"):
        await tg.wait_for_messages(USER_ID, 2, timeout=0.2)
    with pytest.raises(AssertionError, match="no matching deleteMessage"):
        await tg.wait_for_call("deleteMessage", timeout=0.1)


# --- webhook -------------------------------------------------------------------------------------


async def test_webhook_delivers_updates_with_the_secret(tg: FakeTelegram, bot: Bot, siti: FakeUser) -> None:
    async with webhook_receiver("rahasia_123") as (url, received):
        assert await bot.set_webhook(url, secret_token="rahasia_123") is True
        with pytest.raises(Conflict, match="webhook is active"):
            await bot.get_updates()

        update_id = siti.send_text("lewat webhook")
        header, body = await asyncio.wait_for(received.get(), timeout=5)
        assert header == "rahasia_123"
        assert (body["update_id"], body["message"]["text"]) == (update_id, "lewat webhook")
        await tg.wait_until(lambda: len(tg.webhook_deliveries) == 1, timeout=2)
        assert tg.webhook_deliveries[0] == (200, body)

        assert await tg.deliver_webhook(body, secret="salah") == 403
        assert await tg.deliver_webhook(body, secret=None) == 403
        assert (await bot.get_webhook_info()).url == url
        assert "403" in (await bot.get_webhook_info()).last_error_message

    assert await bot.delete_webhook(drop_pending_updates=True) is True
    assert (await bot.get_webhook_info()).url == ""
    later = siti.send_text("lewat polling")
    assert [u.update_id for u in await bot.get_updates()] == [later]


async def test_set_webhook_rejects_a_secret_with_unallowed_characters(bot: Bot) -> None:
    with pytest.raises(BadRequest, match="unallowed characters"):
        await bot.set_webhook("http://127.0.0.1:9/hook", secret_token="not secret!")


# --- a real Application --------------------------------------------------------------------------


async def test_application_replies_to_start_over_polling(tg: FakeTelegram, siti: FakeUser) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text(f"Halo {update.effective_user.first_name}!")

    app = ApplicationBuilder().token(TOKEN).base_url(tg.base_url).base_file_url(tg.base_file_url).build()
    app.add_handler(CommandHandler("start", start))
    await app.initialize()
    await app.start()
    await app.updater.start_polling(poll_interval=0, timeout=1)
    try:
        siti.send_command("/start")
        [reply] = await tg.wait_for_messages(USER_ID, 1, timeout=10)
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()

    assert reply["visible_text"] == "Halo Siti!"
    assert tg.calls_to("deleteWebhook"), "PTB bootstraps polling by deleting the webhook"
    assert tg.errors == [], "stopping the updater must not leave errors (its cancelled long poll is ignored)"
