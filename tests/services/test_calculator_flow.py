"""The benefit calculator flow driven step by step."""

from __future__ import annotations


def test_message_with_a_wage_gets_the_schedule_at_once(drive) -> None:
    d = drive("calculator")
    d.start("gaji 4 juta dapet jkp brp")
    assert d.data is None
    assert "Bulan 1–6: Rp2.400.000 per bulan" in d.text and "Bulan 6:" not in d.text  # one line, not six
    assert "Total 6 bulan: Rp14.400.000" in d.text and "dihitung penuh" in d.text
    assert "BPJS Ketenagakerjaan" in d.text
    assert "f:calculator:r:old:4000000" in d.buttons


def test_cap_is_explained(drive) -> None:
    d = drive("calculator", lang="en")
    d.start("my wage is 7 juta, how much jkp")
    assert "Rp18.000.000" in d.text and "cap of Rp5.000.000" in d.text and "Rp7.200.000 less" in d.text


def test_asks_for_the_wage_then_reads_free_text(drive) -> None:
    d = drive("calculator")
    d.start("berapa jkp saya?")
    assert "upah" in d.text and d.data == {"regime": "new"}
    d.say("4,5jt")
    assert d.data is None and "Rp2.700.000" in d.text


def test_suggested_wage_buttons(drive) -> None:
    d = drive("calculator")
    d.start()
    assert "f:calculator:wage:5000000" in d.buttons and "f:calculator:back" in d.buttons
    d.press("wage:5000000")
    assert "Rp18.000.000" in d.text


def test_old_regime_button(drive) -> None:
    d = drive("calculator")
    d.start("gaji 4 juta jkp")
    d.press("r:old:4000000")
    assert "45%" in d.text and "Bulan 4–6: Rp1.000.000" in d.text and "Rp8.400.000" in d.text
    assert "f:calculator:r:new:4000000" in d.buttons


def test_start_old_button_from_the_self_check(drive) -> None:
    d = drive("calculator")
    d.press("start:old")  # pressed with no calculator running
    assert d.data == {"regime": "old"}
    d.say("Rp 4.000.000,-")
    assert "Rp8.400.000" in d.text


def test_phk_before_the_transition_in_the_message_uses_old_rules(drive) -> None:
    d = drive("calculator")
    d.start("gaji 4 juta, PHK Januari 2025, dapat jkp berapa")
    assert "PP 37/2021" in d.text


def test_nonsense_is_answered_politely_and_asked_again(drive) -> None:
    d = drive("calculator")
    d.start()
    step = d.say("abc")
    assert "belum menangkap" in d.text and d.data == {"regime": "new"}
    assert step.consumed is False  # no number at all: the core decides whether it is a new question
    d.say("-3 juta")
    assert "minus" in d.text
    d.say("2 miliar")
    assert "Rp1 miliar" in d.text


def test_too_low_asks_to_check(drive) -> None:
    d = drive("calculator")
    d.start("gaji 45 ribu jkp")
    assert "Rp45.000 terlalu kecil" in d.text and d.data == {"regime": "new"}


def test_an_unrelated_question_is_not_consumed(drive) -> None:
    d = drive("calculator")
    d.start()
    step = d.say("bagaimana cara klaim jht?")
    assert step.consumed is False and "upah" in step.replies[0].text


def test_back_leaves_the_calculator(drive) -> None:
    d = drive("calculator")
    d.start()
    d.press("back")
    assert d.data is None and "keluar" in d.text


def test_back_on_a_result_asks_for_another_wage(drive) -> None:
    d = drive("calculator")
    d.start("gaji 4 juta jkp")
    d.press("back")
    assert d.data == {"regime": "new"} and "upah" in d.text


def test_old_regime_schedule_says_running_benefits_switched_on_7_february_2025(drive) -> None:
    d = drive("calculator", lang="en")
    d.start("wage 4 million, laid off in January 2025, how much jkp")
    assert "PP 37/2021" in d.text and "Transition:" in d.text and "still running on that date" in d.text
    d.press("r:new:4000000")
    assert "Transition:" not in d.text
