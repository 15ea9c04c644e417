"""Scam guard: does a message say a job (offer) asks for money? Pure; the warning text is in services.yaml.

Strong phrases ("uang jaminan", "biaya admin") need only a job context; a plain "bayar" or "transfer"
also needs a job-application word, and is ignored when the message is about wages, contributions or
benefits the person is owed ("perusahaan tidak bayar gaji", "transfer JKP belum masuk").
"""

from __future__ import annotations

import re
from functools import lru_cache

from intents import normalise

STRONG = (
    "uang jaminan",
    "uang pendaftaran",
    "biaya pendaftaran",
    "biaya admin",
    "biaya administrasi",
    "uang admin",
    "biaya seragam",
    "uang seragam",
    "beli seragam",
    "bayar seragam",
    "biaya pelatihan",
    "uang pelatihan",
    "biaya training",
    "biaya medical",
    "biaya mcu",
    "biaya tes",
    "biaya interview",
    "biaya wawancara",
    "biaya penempatan",
    "uang pelicin",
    "uang rokok",
    "uang muka",
    "uang deposit",
    "deposit",
    "dp",
    "pay a fee",
    "registration fee",
    "admin fee",
    "processing fee",
    "placement fee",
    "training fee",
    "uniform fee",
    "security deposit",
    "pay for the uniform",
    "pay for training",
)
WEAK = (
    "bayar",
    "membayar",
    "dibayar dulu",
    "biaya",
    "transfer",
    "tf",
    "trf",
    "setor",
    "uang",
    "duit",
    "pay",
    "paying",
    "fee",
    "money",
    "payment",
)
JOB_CONTEXT = (
    "loker",
    "lowker",
    "lowongan",
    "kerja",
    "kerjaan",
    "pekerjaan",
    "lamaran",
    "melamar",
    "lamar",
    "interview",
    "wawancara",
    "rekrutmen",
    "rekrut",
    "recruiter",
    "recruitment",
    "hrd",
    "diterima",
    "penempatan",
    "training kerja",
    "seleksi",
    "panggilan",
    "tes kerja",
    "calon karyawan",
    "karyawan baru",
    "job",
    "jobs",
    "vacancy",
    "hired",
    "hiring",
    "apply",
    "applied",
    "employer",
    "agency",
    "agen",
    "penyalur",
    "sponsor",
    "tki",
    "pmi",
    "luar negeri",
)
OWED = (
    "gaji",
    "upah",
    "thr",
    "pesangon",
    "iuran",
    "jkp",
    "jht",
    "bpjs",
    "lembur",
    "salary",
    "wage",
    "wages",
    "severance",
    "benefit",
    "klaim",
    "tagihan",
    "cicilan",
)


def _any_phrase(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One compiled pattern that finds any of ``phrases`` as whole words."""
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b")


APPLICANT = (
    "pelamar",
    "calon karyawan",
    "calon pekerja",
    "sebelum",
    "dulu",
    "terlebih dahulu",
    "rekening",
    "untuk melamar",
    "saat interview",
    "saat wawancara",
    "peserta",
    "applicant",
    "applicants",
    "before",
    "upfront",
    "in advance",
    "bank account",
)

_JOB_CONTEXT, _STRONG, _WEAK, _OWED, _APPLICANT = map(
    _any_phrase, (JOB_CONTEXT, STRONG, WEAK, OWED, APPLICANT)
)


def scam_warning(text: str) -> bool:
    """True when a message mentions paying money to get a job (show the scam warning)."""
    flat = normalise(text)
    if not _JOB_CONTEXT.search(flat):
        return False
    if _STRONG.search(flat):
        return True
    return bool(_WEAK.search(flat)) and not _OWED.search(flat)


@lru_cache(maxsize=65536)
def asks_for_money(text: str) -> bool:
    """True when a vacancy's text (one column) asks applicants to pay: a strong phrase ("biaya
    pendaftaran", "uang jaminan"), or a money word with an applicant word ("pelamar transfer dulu ke
    rekening"), and not about the wage or benefits. Remembered: exports repeat the same texts."""
    flat = normalise(text)
    if _STRONG.search(flat):
        return True
    return bool(_WEAK.search(flat)) and bool(_APPLICANT.search(flat)) and not _OWED.search(flat)
