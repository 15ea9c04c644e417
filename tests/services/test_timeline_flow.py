"""The timeline flow: the person's own deadline from their words or from taps (year -> month -> day)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.services import direct_flow
from bot.services.jkp.journey import wants_timeline

TODAY = date(2026, 11, 22)  # tests/services/conftest.py


def test_a_date_in_the_message_gives_the_persons_own_deadline(drive) -> None:
    flow = drive("timeline")
    step = flow.start("saya di-PHK tanggal 1 Juli 2026, kapan batas terakhir klaim jkp?")
    assert step.data is None
    assert "Batas klaim JKP Anda: 1 Januari 2027, 40 hari lagi." in flow.text
    assert "1 Agustus 2026" in flow.text  # JHT a month after leaving work
    assert "BPJS Ketenagakerjaan yang memutuskan" in flow.text
    assert "PP 6/2025 Pasal 40" in flow.text
    assert "j:save:2026-07-01:e" in flow.buttons


def test_a_passed_window_says_so_and_what_is_still_possible(drive) -> None:
    flow = drive("timeline")
    flow.start("sy kena phk tgl 10 januari 2026 msh bs klaim jkp ga?")
    assert "sudah lewat pada 10 Juli 2026 (135 hari yang lalu)" in flow.text
    assert "mencairkan JHT" in flow.text and "pelatihan" in flow.text and "petugas" in flow.text
    assert {"f:training:start", "f:jobs:start", "m:human"} <= set(flow.buttons)


def test_english_and_the_old_regime(drive) -> None:
    flow = drive("timeline", "en")
    flow.start("I was laid off on 15 January 2025, when was my deadline?")
    assert "passed on 15 April 2025" in flow.text and "3 months" in flow.text and "PP 37/2021" in flow.text


def test_month_only_gives_a_range(drive) -> None:
    flow = drive("timeline")
    flow.start("di-PHK awal Oktober 2026, kapan batas klaim?")
    assert "antara 1 April 2027 dan 30 April 2027" in flow.text
    assert "j:save:2026-10-01:m" in flow.buttons


def test_future_dates_are_asked_back(drive) -> None:
    flow = drive("timeline")
    step = flow.start("saya di-PHK tanggal 1 Januari 2027, kapan batas klaim?")
    assert step.data is not None and "belum lewat" in flow.text


def test_tapping_year_month_day(drive) -> None:
    flow = drive("timeline")
    flow.start()
    assert "f:timeline:y:2026" in flow.buttons and "f:timeline:y:2024" in flow.buttons
    flow.press("y:2026")
    assert "f:timeline:m:2026-11" in flow.buttons and "f:timeline:m:2026-12" not in flow.buttons
    flow.press("m:2026-11")
    assert "f:timeline:d:2026-11-22" in flow.buttons and "f:timeline:d:2026-11-23" not in flow.buttons
    flow.press("d:2026-07-01")
    assert flow.data is None and "1 Januari 2027" in flow.text


def test_unreadable_text_asks_again_and_questions_go_to_the_core(drive) -> None:
    flow = drive("timeline")
    flow.start()
    flow.say("tanggal berapa ya, lupa")
    assert "belum saya pahami" in flow.text and flow.data is not None
    assert not flow.say("loker di bekasi").consumed  # something else: the core answers it
    step = flow.say("apa itu jht?")
    assert not step.consumed


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("saya di-PHK tanggal 1 Juli 2026, kapan batas terakhir klaim jkp?", True),
        ("sy kena phk tgl 10 januari 2026 msh bs klaim jkp ga?", True),
        ("saya di-PHK 1 Juli 2026", True),
        ("laid off on 15 March, jkp deadline?", True),
        ("kapan batas klaim jkp", False),  # no date: the deadline answer, with an offer
        ("gaji 4 juta dapet jkp berapa", False),
        ("loker admin di bekasi", False),
        ("saya klaim jkp tanggal 1 november, kapan cair?", False),  # the claim's date, not the PHK's
    ],
)
def test_which_messages_go_to_the_timeline(kb, text: str, wanted: bool) -> None:
    assert wants_timeline(text, TODAY) is wanted
    assert (direct_flow(text, kb) == ("timeline", text)) is wanted


def test_the_self_check_offers_the_full_timeline(drive) -> None:
    flow = drive("selfcheck")
    flow.start()
    for value in (
        "termination:dismissed",
        "age:under",
        "contributions:enough",
        "consecutive:yes",
        "membership:all",
        "jkn:yes",
        "phk_date:2026-10",
    ):
        flow.press(value)
    flow.press("working:no")
    assert "f:timeline:m:2026-10" in flow.buttons


def test_a_place_in_the_message_gives_the_time_zone_for_reminders(drive) -> None:
    flow = drive("timeline")
    flow.start("saya di-PHK 1 Juli 2026 di Makassar")
    assert "j:save:2026-07-01:e:WITA" in flow.buttons
    flow.start("saya di-PHK 1 Juli 2026 di jayapura")
    assert "j:save:2026-07-01:e:WIT" in flow.buttons
    flow.start("saya di-PHK 1 Juli 2026 di Bekasi")
    assert "j:save:2026-07-01:e" in flow.buttons


def test_the_last_day_worked_moves_the_jht_date(drive) -> None:
    flow = drive("timeline")
    flow.start("di-PHK 1 Juli 2026, terakhir kerja 20 Juni 2026, kapan batas klaim jkp?")
    assert (
        "1 Januari 2027" in flow.text and "20 Juli 2026" in flow.text
    )  # deadline from the PHK, JHT from the last day
    assert "j:save:2026-07-01:e::2026-06-20" in flow.buttons
    flow.start("saya di-PHK, terakhir kerja 28 februari 2026, masih bisa klaim jkp?")
    assert "28 Agustus 2026" in flow.text and "j:save:2026-02-28:e::2026-02-28" in flow.buttons
