"""The guided services end to end: the production Application, the fake Bot API, a real database."""

from __future__ import annotations

import asyncio

import pytest

from tests.e2e.conftest import running

pytestmark = pytest.mark.e2e


def datas(tg, message) -> list[str]:
    return [data for _, data in tg.buttons(message) if data]


async def next_reply(tg, user, count: int) -> dict:
    return (await tg.wait_for_messages(user.id, count))[-1]


async def test_self_check_by_buttons_and_free_text_survives_a_restart(tg, make_settings):
    settings = make_settings()
    user = tg.user(301)
    async with running(settings):
        user.send_command("/help")  # the help text, then the main menu
        menu = await next_reply(tg, user, 2)
        user.press("m:jkp")
        section = await next_reply(tg, user, 3)
        assert "f:selfcheck:start" in datas(tg, section)
        user.press("f:selfcheck:start")
        await tg.wait_for_messages(301, 4)
        user.press("f:selfcheck:termination:dismissed")
        await tg.wait_for_messages(301, 5)
        user.send_text("35 thn")
        await tg.wait_for_messages(301, 6)
    async with running(settings):  # a new Application on the same database: the flow goes on
        user.send_text("18 bulan")
        question = await next_reply(tg, user, 7)
        assert "f:selfcheck:consecutive:yes" in datas(tg, question)
        for answer in ("ya", "ya", "ya", "2 bulan lalu", "belum"):
            before = len(tg.sent(301))
            user.send_text(answer)
            await tg.wait_for_messages(301, before + 1)
        messages = await tg.wait_for_messages(301, before + 2)
    result = "\n".join(m["visible_text"] for m in messages[-2:])
    assert "BERHAK" in result and "BPJS Ketenagakerjaan" in result
    assert "siapkerja.kemnaker.go.id" in result
    assert menu


async def test_wage_message_goes_straight_to_the_calculator(tg, bot):
    user = tg.user(302)
    user.send_text("gaji 4 juta dapet jkp brp")
    [reply] = await tg.wait_for_messages(302, 1)
    assert "Rp2.400.000" in reply["visible_text"] and "Rp14.400.000" in reply["visible_text"]


async def test_vacancy_search_pages_with_next_button_and_warns_about_fees(tg, bot):
    user = tg.user(303)
    user.send_text("loker operator produksi di bekasi")
    [page1] = await tg.wait_for_messages(303, 1)
    assert "Bekasi" in page1["visible_text"] and "(contoh)" in page1["visible_text"]
    next_page = [d for d in datas(tg, page1) if d.startswith("f:jobs:p:2:")]
    assert next_page
    user.press(next_page[0])
    page2 = await next_reply(tg, user, 2)
    assert "halaman 2" in page2["visible_text"]
    assert all(len(d.encode()) <= 64 for d in datas(tg, page2))


async def test_question_mid_flow_leaves_the_flow_and_batal_cancels(tg, bot):
    user = tg.user(304)
    user.send_command("/help")  # the help text, then the main menu
    await tg.wait_for_messages(304, 2)
    user.press("m:training")
    await tg.wait_for_messages(304, 3)
    user.press("f:training:start")
    await tg.wait_for_messages(304, 4)
    user.send_text("apa itu kartu prakerja?")
    messages = await tg.wait_for_messages(304, 6)
    assert "saya hentikan" in messages[4]["visible_text"]  # a new question leaves the flow, and says so
    assert [data for _, data in tg.buttons(messages[4])] == ["f:training:start"]
    assert "prakerja.go.id" in messages[5]["visible_text"]
    user.press("f:training:start", messages[4]["message_id"])
    await tg.wait_for_messages(304, 7)
    user.send_command("/batal")
    reply = (await tg.wait_for_messages(304, 9))[-2]
    assert "dihentikan" in reply["visible_text"]


async def test_paying_for_a_job_triggers_the_scam_warning(tg, bot):
    user = tg.user(305)
    user.send_text("sy diterima kerja tp disuruh transfer uang seragam 500rb dulu, aman ga?")
    [answer] = await tg.wait_for_messages(305, 1)  # the scam answer itself: no second warning under it
    assert "1500-630" in answer["visible_text"]
    user.send_text("loker operator bekasi tanpa biaya admin")
    page = (await tg.wait_for_messages(305, 2))[1]
    assert page["visible_text"].count("⚠️") == 1
    await asyncio.sleep(0.3)
    assert len(tg.sent(305)) == 2


async def test_the_examples_an_answer_invites_start_the_search_and_the_training_referral(tg, bot):
    user = tg.user(306)
    user.send_text("kasir Medan")
    [page] = await tg.wait_for_messages(306, 1)
    assert (
        "Lowongan Kasir di Medan" in page["visible_text"]
        and "tidak pernah meminta uang" in page["visible_text"]
    )
    user.send_text("pelatihan las di bekasi")
    reply = await next_reply(tg, user, 2)
    assert (
        "Pelatihan Las terdekat dari Bekasi" in reply["visible_text"] and "SIAPkerja" in reply["visible_text"]
    )
    user.send_text("hitung jkp")
    question = await next_reply(tg, user, 3)
    assert "f:calculator:wage:4000000" in datas(tg, question)
    user.send_text("empat juta")
    result = await next_reply(tg, user, 4)
    assert "Rp2.400.000" in result["visible_text"] and "Rp14.400.000" in result["visible_text"]
