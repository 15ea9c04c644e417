"""Scam guard: paying for a job is flagged; wages, contributions and benefits are not."""

from __future__ import annotations

import pytest

from bot.services import scam_text, scam_warning
from bot.services.jobs.scam import asks_for_money

SCAMS = [
    "saya disuruh transfer 500 ribu untuk biaya seragam sebelum mulai kerja",
    "HRD minta DP 1 juta biar diterima",
    "lowongan minta uang jaminan 2 juta, asli gak?",
    "loker pabrik tapi harus bayar biaya admin 300rb",
    "disuruh bayar dulu buat medical check up sebelum interview",
    "recruiter asked me to pay a fee before the job interview",
    "agen penyalur kerja luar negeri minta uang pendaftaran",
    "udah diterima kerja tapi harus beli seragam sendiri",
    "katanya harus tf dulu biar lamaran diproses",
    "ada biaya pelatihan 1,5 juta sebelum penempatan kerja",
]
NOT_SCAMS = [
    "berapa biaya klaim jkp",
    "gaji saya belum dibayar perusahaan",
    "apakah pelatihan di blk bayar?",
    "transfer jkp kapan masuk",
    "perusahaan tidak bayar iuran bpjs padahal saya kerja 3 tahun",
    "cara daftar kerja di karirhub",
    "gaji 4 juta dapet jkp brp",
    "uang pesangon saya belum dibayar setelah phk, kerja 5 tahun",
    "how do I pay my bpjs",
    "loker operator produksi bekasi",
]


@pytest.mark.parametrize("text", SCAMS)
def test_paying_for_a_job_is_flagged(text: str) -> None:
    assert scam_warning(text)


@pytest.mark.parametrize("text", NOT_SCAMS)
def test_ordinary_questions_are_not_flagged(text: str) -> None:
    assert not scam_warning(text)


def test_warning_text_says_how_to_report(kb) -> None:
    for lang in ("id", "en"):
        text = scam_text(kb, lang)
        assert "1500-630" in text and "kemnaker.go.id" in text and "Lapor Menaker" in text
    assert "polisi" in scam_text(kb, "id") and "police" in scam_text(kb, "en")


def test_vacancy_text_that_asks_applicants_for_money() -> None:
    assert asks_for_money("Transfer biaya pendaftaran Rp150.000 sebelum interview")
    assert asks_for_money("Pelamar wajib transfer uang ke rekening kami dulu")
    assert asks_for_money("Applicants pay a fee upfront")
    assert not asks_for_money("Kasir Minimarket")
    assert not asks_for_money("Gaji dibayar tiap bulan, lamar lewat karirhub.kemnaker.go.id")
    assert not asks_for_money("Staf Payment Gateway")
