"""The training referral flow driven step by step."""

from __future__ import annotations


def test_field_and_city_by_button_and_text(drive) -> None:
    d = drive("training")
    d.start()
    assert "f:training:field:las" in d.buttons and len([b for b in d.buttons if ":field:" in b]) == 12
    d.press("field:las")
    assert "kota atau provinsi" in d.text and "f:training:place:any" in d.buttons
    d.say("cikarang")
    assert d.data is None
    text = d.text
    assert text.index("BBPVP Bekasi (di Bekasi)") < text.index("Skillhub")
    assert "akun SIAPkerja" in text and "Rp20 ribu" in text and "Rp2,4 juta" in text
    assert "cek di skillhub.kemnaker.go.id" in text


def test_one_message_with_field_and_place(drive) -> None:
    d = drive("training", lang="en")
    d.start("I want welding training in Samarinda")
    assert d.data is None and "BPVP Samarinda (in Samarinda)" in d.text and "Claiming JKP?" in d.text


def test_field_in_free_text_then_online(drive) -> None:
    d = drive("training")
    d.start("mau kursus")
    assert "Bidang pelatihan" in d.text
    d.say("komputer")
    d.press("place:any")
    assert "Pelatihan TIK/Komputer yang bisa Anda ikuti" in d.text and "nasional, daftar online" in d.text


def test_back_and_non_answers(drive) -> None:
    d = drive("training")
    d.start()
    step = d.say("berapa lama klaim jkp cair?")
    assert step.consumed is False
    d.press("field:tata_boga")
    d.say("zzzzqq")
    assert "tidak mengenali nama daerah" in d.text and d.data["answers"] == {"field": "tata_boga"}
    d.press("back")
    assert d.data["answers"] == {} and "Bidang pelatihan" in d.text
    d.press("back")
    assert d.data is None


def test_result_buttons_restart_or_search_jobs(drive) -> None:
    d = drive("training")
    d.start("pelatihan menjahit di padang")
    assert "f:training:start" in d.buttons and "f:jobs:start" in d.buttons
    d.press("start")
    assert d.data == {"answers": {}, "history": []}
