"""The self-check flow driven step by step, with buttons, free text, Back and non-answers."""

from __future__ import annotations

import json

from bot.dialogue.types import MAX_CALLBACK_BYTES


def answer_all_by_button(d, phk: str = "2026-10") -> None:
    d.start()
    for value in (
        "termination:dismissed",
        "age:under",
        "contributions:enough",
        "consecutive:yes",
        "membership:all",
        "jkn:yes",
        f"phk_date:{phk}",
        "working:no",
    ):
        d.press(value)


def test_buttons_all_the_way_to_likely_eligible(drive) -> None:
    d = drive("selfcheck")
    answer_all_by_button(d)
    assert d.data is None
    assert "BERHAK" in d.text and "TIDAK BERHAK" not in d.text
    assert "sekitar 1 April 2027" in d.text  # month only: counted from 1 October
    assert "siapkerja.kemnaker.go.id" in d.text and "BPJS Ketenagakerjaan" in d.text
    assert "f:calculator:start" in d.buttons and "f:selfcheck:start" in d.buttons


def test_free_text_answers_and_the_deadline_date(drive) -> None:
    d = drive("selfcheck")
    d.start("saya di-PHK, apakah saya berhak JKP?")  # already says how the job ended
    assert "usia" in d.text
    for text in ("35", "3 thn", "ya", "semua", "iya", "hari ini"):
        d.say(text)
        assert d.last.consumed
    d.say("belum")
    assert d.data is None
    assert "BERHAK" in d.text and "paling lambat 22 Mei 2027" in d.text


def test_deadline_in_english(drive) -> None:
    d = drive("selfcheck", lang="en")
    d.start("I was laid off")
    for text in ("40", "36 months", "yes", "all", "yes", "22 November 2026", "no"):
        d.say(text)
    assert "LIKELY ELIGIBLE" in d.text and "apply by 22 May 2027" in d.text


def test_month_end_deadline(drive) -> None:
    d = drive("selfcheck")
    d.start("kena phk")
    for text in ("30", "2 tahun", "ya", "semua", "ya", "31 Agustus 2026", "belum"):
        d.say(text)
    assert "paling lambat 28 Februari 2027" in d.text


def test_each_reason_shows_its_rule_and_source(drive, data) -> None:
    d = drive("selfcheck")
    d.start("saya resign")
    for text in ("35", "3 thn", "ya", "semua", "ya", "bulan lalu", "belum"):
        d.say(text)
    rules = data["jkp_rules"]
    assert "TIDAK BERHAK" in d.text
    assert f"❌ Tidak terpenuhi: {rules.rule_text('resignation', 'id')}" in d.text
    assert rules.rules["resignation"].source not in d.text  # sources are behind the "Sumber" button
    d.press(next(b for b in d.buttons if ":src:" in b).removeprefix("f:selfcheck:"))
    assert rules.rules["resignation"].source in d.text and rules.rules["transition"].source in d.text


def test_back_goes_to_the_previous_question(drive) -> None:
    d = drive("selfcheck")
    d.start()
    d.press("termination:dismissed")
    d.press("age:under")
    assert "iuran" in d.text
    d.press("back")
    assert "usia" in d.text and d.data["answers"] == {"termination": "dismissed"}
    d.press("back")
    assert "berakhir" in d.text and d.data["answers"] == {}
    d.press("back")
    assert d.data is None and "keluar" in d.text


def test_a_question_instead_of_an_answer_is_not_consumed(drive) -> None:
    d = drive("selfcheck")
    d.start()
    d.press("termination:dismissed")
    before = d.data
    step = d.say("apa itu JKP?")
    assert step.consumed is False and step.data == before
    assert "usia" in step.replies[0].text and "f:selfcheck:back" in d.buttons


def test_stale_button_re_asks_the_current_question(drive) -> None:
    d = drive("selfcheck")
    d.start()
    d.press("termination:dismissed")
    step = d.press("termination:resigned")
    assert step.consumed and d.data["answers"] == {"termination": "dismissed"} and "usia" in d.text


def test_impossible_age_is_explained(drive) -> None:
    d = drive("selfcheck")
    d.start("di phk")
    d.say("umur 150")
    assert "keliru" in d.text and "age" not in d.data["answers"]
    d.say("54 atau lebih")
    assert d.data["answers"]["age"] == "over"


def test_future_phk_date_is_refused(drive) -> None:
    d = drive("selfcheck")
    d.start("di phk")
    for text in ("35", "3 thn", "ya", "semua", "ya"):
        d.say(text)
    d.say("Januari 2027")
    assert "belum lewat" in d.text and "phk_date" not in d.data["answers"]


def test_earlier_month_button_asks_to_type_and_old_regime_offers_old_calculator(drive) -> None:
    d = drive("selfcheck")
    d.start("di phk")
    for text in ("35", "3 thn", "ya", "semua", "ya"):
        d.say(text)
    d.press("phk_date:older")
    assert "Januari 2025" in d.text
    d.say("Januari 2025")
    d.say("belum")
    assert "PP 37/2021" in d.text and "sudah lewat" in d.text
    assert "f:calculator:start:old" in d.buttons


def test_phk_month_buttons_show_recent_months(drive) -> None:
    d = drive("selfcheck")
    d.start("di phk")
    for text in ("35", "3 thn", "ya", "semua", "ya"):
        d.say(text)
    assert "f:selfcheck:phk_date:2026-11" in d.buttons and "f:selfcheck:phk_date:2026-06" in d.buttons
    assert "November 2026" in [b.label for r in d.last.replies for row in r.buttons for b in row]


def test_state_is_json_and_buttons_fit_telegram(drive) -> None:
    d = drive("selfcheck")
    d.start()
    for value in (
        "termination:contract_early",
        "age:under",
        "contributions:short",
        "consecutive:unsure",
        "membership:small",
        "jkn:no",
        "phk_date:2026-09",
        "working:no",
    ):
        assert all(len(b.encode()) <= MAX_CALLBACK_BYTES for b in d.buttons)
        json.dumps(d.data)
        d.press(value)
    assert "TIDAK BERHAK" in d.text


def test_button_after_the_flow_ended_starts_it_again(drive) -> None:
    d = drive("selfcheck")
    answer_all_by_button(d)
    d.press("start")
    assert d.data == {"answers": {}, "history": []} and "berakhir" in d.text


def test_old_regime_result_explains_the_transition_and_a_new_one_does_not(drive) -> None:
    d = drive("selfcheck")
    d.start("di phk")
    for text in ("35", "3 thn", "ya", "semua", "ya", "Januari 2025", "belum"):
        d.say(text)
    assert "Masa peralihan" in d.text and "beralih ke aturan PP 6/2025" in d.text
    d.press("start")
    for text in ("di phk", "35", "3 thn", "ya", "semua", "ya", "7 Februari 2025", "belum"):
        d.say(text)
    assert "PP 6/2025 (PHK mulai 7 Februari 2025)" in d.text and "Masa peralihan" not in d.text
