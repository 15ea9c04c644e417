"""Everyday exchanges through the real Application and the fake Bot API (issue 14, job seeker side)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


async def test_gibberish_gets_a_short_reply_and_the_menu(tg, bot):
    tg.user(401).send_text("x" * 5000)
    reply, menu = await tg.wait_for_messages(401, 2)
    assert reply["visible_text"].startswith("Maaf, pesan Anda tidak bisa saya baca")
    assert "ditolak" not in reply["visible_text"]
    assert [data for _, data in tg.buttons(menu)][0] == "m:jkp"


async def test_acknowledgement_and_thumbs_up_stay_short_and_indonesian(tg, bot):
    user = tg.user(402)
    user.send_text("syarat jkp apa aja")
    await user.wait_for_messages(2)
    user.send_text("ok siap")
    user.send_sticker("👍")
    ack, sticker = (await user.wait_for_messages(4))[2:]
    assert ack["visible_text"] == sticker["visible_text"]
    assert ack["visible_text"].startswith("Baik") and "PHK" not in ack["visible_text"]


async def test_asking_to_ask_again_is_invited(tg, bot):
    tg.user(403).send_text("sy mau tanya lg")
    [reply] = await tg.wait_for_messages(403, 1)
    assert reply["visible_text"] == "Silakan, tulis pertanyaan Anda."


async def test_indirect_crisis_wording_gets_the_hotlines_first(tg, bot):
    tg.user(404).send_text("cape bgt hidup gini, mending ga usah hidup")
    first = (await tg.wait_for_messages(404, 1))[0]
    assert "healing119.id" in first["visible_text"] and "112" in first["visible_text"]
    assert not any(data == "i:training.recommend" for _, data in tg.buttons(first))


async def test_menu_leaves_a_flow_and_a_new_question_leaves_it_too(tg, bot):
    user = tg.user(405)
    user.send_text("hitung jkp")
    [question] = await user.wait_for_messages(1)
    assert "/batal" in question["visible_text"]
    user.send_text("cara klaim jht gimana")
    left = (await user.wait_for_messages(3))[1]
    assert "saya hentikan" in left["visible_text"]
    assert [data for _, data in tg.buttons(left)] == ["f:calculator:start"]
    user.press("f:calculator:start")
    await user.wait_for_messages(4)
    user.send_command("/menu")
    stopped, menu = (await user.wait_for_messages(6))[4:]
    assert stopped["visible_text"] == "Baik, langkah tadi sudah dihentikan."
    user.send_text("5 juta")  # no calculator running any more: not read as a wage
    later = (await user.wait_for_messages(7))[6]
    assert "untuk upah Rp5.000.000" not in later["visible_text"]


async def test_a_bare_number_is_not_the_ak1_answer(tg, bot):
    tg.user(406).send_text("1")
    reply = (await tg.wait_for_messages(406, 2))[0]
    assert "tekan tombol" in reply["visible_text"] and "AK/1" not in reply["visible_text"]
