"""The vacancy search flow driven step by step (real sample data, today 22 Nov 2026)."""

from __future__ import annotations

from bot.dialogue.types import MAX_CALLBACK_BYTES

REMINDER = "lowongan asli tidak pernah meminta uang"


def test_job_and_place_in_one_message_shows_results(drive) -> None:
    d = drive("jobs")
    d.start("loker operator produksi di bekasi")
    assert d.data is None
    assert "Lowongan Operator Produksi di Bekasi: 1–5 dari" in d.text
    assert REMINDER in d.text and "DATA CONTOH" in d.text and "karirhub.kemnaker.go.id" in d.text
    assert "f:jobs:p:2:operator produksi:Bekasi" in d.buttons


def test_pages_move_forward_and_back(drive) -> None:
    d = drive("jobs")
    d.press("p:2:operator produksi:Bekasi")
    assert "6–" in d.text and "(halaman 2/" in d.text and REMINDER in d.text
    assert "f:jobs:p:1:operator produksi:Bekasi" in d.buttons


def test_only_a_job_asks_for_the_place(drive) -> None:
    d = drive("jobs")
    d.start("lowongan satpam")
    assert d.data == {"job": "security", "place": None, "history": ["job"]}
    assert "Satpam di kota atau provinsi mana" in d.text and "f:jobs:place:*" in d.buttons
    d.say("jawa barat")
    assert d.data is None and "Lowongan Satpam di Jawa Barat" in d.text


def test_only_a_place_asks_for_the_job(drive) -> None:
    d = drive("jobs", lang="en")
    d.start("looking for a job in Medan")
    assert d.data["place"] == "Medan" and "Which job" in d.text
    d.press("job:*")
    assert "Vacancies for Any job in Medan" in d.text and "never ask for money" in d.text


def test_nothing_given_asks_job_then_place_by_buttons(drive) -> None:
    d = drive("jobs")
    d.start("ada lowongan kerja untuk saya?")
    assert "Pekerjaan apa" in d.text and "f:jobs:job:kasir" in d.buttons
    d.press("job:kasir")
    d.press("place:*")
    assert "Lowongan Kasir di Semua daerah" in d.text


def test_back_steps_through_the_questions(drive) -> None:
    d = drive("jobs")
    d.start()
    d.press("job:admin")
    assert "di kota atau provinsi mana" in d.text
    d.press("back")
    assert d.data["job"] is None and "Pekerjaan apa" in d.text
    d.press("back")
    assert d.data is None


def test_back_on_results_asks_the_place_again(drive) -> None:
    d = drive("jobs")
    d.start("lowker admin jkt")
    assert "f:jobs:bp:admin" in d.buttons
    d.press("bp:admin")
    assert d.data == {"job": "admin", "place": None, "history": ["job"]} and "mana" in d.text


def test_a_question_is_not_taken_as_a_place(drive) -> None:
    d = drive("jobs")
    d.start("loker kasir")
    step = d.say("bagaimana cara klaim jht?")
    assert step.consumed is False and "mana" in step.replies[0].text
    assert d.data["place"] is None


def test_an_unknown_place_is_explained(drive) -> None:
    d = drive("jobs")
    d.start("loker kasir")
    d.say("atlantis")
    assert "tidak mengenali nama daerah" in d.text and d.data["job"] == "kasir"


def test_a_new_job_while_asking_the_place_replaces_the_job(drive) -> None:
    d = drive("jobs")
    d.start("loker kasir")
    d.say("eh, driver aja")
    assert d.data["job"] == "driver" and d.data["place"] is None


def test_typo_and_alias_in_the_place_answer(drive) -> None:
    d = drive("jobs")
    d.start("lowongan admin")
    d.say("bandng")
    assert (
        "Lowongan Staf Administrasi di Bandung" in d.text or "Belum ada lowongan Staf Administrasi" in d.text
    )


def test_no_results_suggest_places_and_related_jobs(drive) -> None:
    d = drive("jobs")
    d.start("loker barista di kendari")
    assert "Belum ada lowongan Barista yang masih buka di Kendari" in d.text
    assert REMINDER in d.text and "karirhub.kemnaker.go.id" in d.text
    assert any(b.startswith("f:jobs:p:1:barista:") for b in d.buttons)


def test_button_data_stays_within_64_bytes_for_long_queries(drive) -> None:
    d = drive("jobs")
    d.start("lowongan tukang kebun pengasuh taman bunga anggrek hias di pangkajene dan kepulauan")
    assert d.buttons and all(len(b.encode()) <= MAX_CALLBACK_BYTES for b in d.buttons)


def test_an_unknown_job_offers_other_open_jobs_in_the_place(drive) -> None:
    d = drive("jobs")
    d.start("loker pilot di bekasi")
    assert "Belum ada lowongan pilot yang masih buka di Bekasi" in d.text
    assert "lowongan lain yang masih buka di Bekasi" in d.text and "pekerjaan serupa" not in d.text
    assert "f:jobs:p:1:operator produksi:Bekasi" in d.buttons and REMINDER in d.text


def test_education_in_the_message_filters_and_is_kept_on_the_page_buttons(drive) -> None:
    """'lulusan smk' is a level, not a job: every job open to SMK in Surabaya, and paging keeps it."""
    d = drive("jobs")
    d.start("lowongan kerja di surabaya lulusan smk")
    assert d.data is None and "Yang bisa dilamar lulusan SMK" in d.text
    assert "Kasir Minimarket" in d.text and "Kurir Paket" in d.text and "Tutor Bimbel" not in d.text
    assert "✅ Cocok: SMA/SMK · Surabaya" in d.text
    d.start("operator produksi jawa barat lulusan smp")
    assert "f:jobs:q:2:SMP:operator produksi:Jawa Barat" in d.buttons
    d.press("q:2:SMP:operator produksi:Jawa Barat")
    assert "(halaman 2/" in d.text and "lulusan SMP" in d.text and "🎓 SMA/SMK" not in d.text


def test_vacancies_only_for_higher_levels_are_explained(drive) -> None:
    d = drive("jobs")
    d.start("loker guru surabaya lulusan sma")
    assert "Belum ada lowongan Guru" in d.text and "lebih tinggi dari SMA" in d.text
