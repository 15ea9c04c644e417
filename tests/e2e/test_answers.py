"""Issue 12 through the real Application and the fake Bot API: informative clarify rendered as Telegram
HTML, and a follow-up read in the context stored in the database between two updates."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


async def test_clarify_lists_each_choice_with_its_summary_in_valid_html(tg, bot):
    tg.user(301).send_text("sy kena phk, dpt apa aja?")
    [question] = await tg.wait_for_messages(301, 1)
    assert question["parse_mode"] == "HTML"  # the fake refuses HTML Telegram could not parse
    assert "• Syarat penerima JKP: WNI, usia < 54 tahun" in question["visible_text"]
    assert "i:jkp.eligibility" in [d for _, d in tg.buttons(question)]  # among the choices, in score order


async def test_an_age_question_is_answered_with_the_other_choice_below(tg, bot):
    tg.user(302).send_text("jkp batas umurnya brp")  # "batas umur peserta jkp" is now a clear answer
    answer, other, *_ = await tg.wait_for_messages(302, 2)
    assert "54 tahun" in answer["visible_text"]
    assert other["visible_text"].startswith("Atau maksud Anda:")
    assert "i:jkp.deadline" in [d for _, d in tg.buttons(other)]  # the other "batas", offered below


async def test_a_follow_up_uses_the_topic_kept_in_the_stored_state(tg, bot):
    user = tg.user(303)
    user.send_text("cara klaim jht")
    await tg.wait_for_messages(303, 1)
    user.send_text("terus dokumennya apa?")
    messages = await tg.wait_for_messages(303, 2)
    assert "Saldo sampai Rp15 juta" in messages[-1]["visible_text"]  # the JHT answer, not JKP documents
    user.send_text("in English please")
    messages = await tg.wait_for_messages(303, 3)
    assert "You can withdraw your JHT in full" in messages[-1]["visible_text"]
