"""Masking personal data for storage and logs; pseudonymous user ids; the redacting log filter."""

from __future__ import annotations

import logging

import pytest

from bot.privacy import RedactingFilter, hash_user, mask

MASKED = [
    ("NIK saya 3201234567890123.", "NIK saya [NIK]."),
    ("NIK: 3201 2345 6789 0123", "NIK: [NIK]"),
    ("nik 3201-2345-6789-0123", "nik [NIK]"),
    ("32.01.23.4567.8901.23", "[NIK]"),
    ("NIK3201234567890123", "NIK[NIK]"),
    ("hp 081234567890", "hp [TELEPON]"),
    ("wa 0812-3456-7890 ya", "wa [TELEPON] ya"),
    ("+62 812-3456-7890", "[TELEPON]"),
    ("+6281234567890", "[TELEPON]"),
    ("62 812 3456 7890", "[TELEPON]"),
    ("hubungi 0812.3456.789", "hubungi [TELEPON]"),
    ("wa.me/6281234567890", "wa.me/[TELEPON]"),
    ("rek BCA 1234567890", "rek BCA [NOMOR]"),
    ("rekening 123-456-7890", "rekening [NOMOR]"),
    ("kantor 0215551234", "kantor [NOMOR]"),
    ("no peserta 12345678", "no peserta [NOMOR]"),
    ("email budi.santoso@gmail.com ya", "email [EMAIL] ya"),
    ("081234567890@gmail.com", "[EMAIL]"),
    ("NIK 3201234567890123 dan HP 081234567890", "NIK [NIK] dan HP [TELEPON]"),
]

KEPT = [
    "gaji Rp4.500.000",
    "gaji Rp 12.500.000,- per bulan",
    "Rp12500000",
    "gaji 4,5 juta",
    "gaji 4500000",
    "pesangon 12.500.000",
    "12500000 rupiah",
    "tahun 2024",
    "di-PHK 12-05-2024",
    "tanggal 12/05/2024",
    "2024-05-12 08.30",
    "jam kerja 08.00-17.00",
    "periode 2019-2024",
    "tahun 2019 2020 2021",
    "kontrak 24 bulan, umur 25, anak 3",
    "1234567",
    "",
]


@pytest.mark.parametrize(("text", "expected"), MASKED)
def test_mask_replaces_personal_data_with_a_label(text: str, expected: str) -> None:
    assert mask(text) == expected


@pytest.mark.parametrize("text", KEPT)
def test_mask_keeps_money_dates_years_and_small_numbers(text: str) -> None:
    assert mask(text) == text


def test_hash_user_is_short_stable_and_salted() -> None:
    assert hash_user(8_000_000_000, "s") == hash_user(8_000_000_000, "s")
    assert len(hash_user(1, "s")) == 12
    assert hash_user(1, "s") != hash_user(1, "t") != hash_user(2, "t")
    assert "8000000000" not in hash_user(8_000_000_000, "s")


TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def _record(msg: str, *args: object, exc: bool = False) -> logging.LogRecord:
    exc_info = None
    if exc:
        try:
            raise RuntimeError(f"POST https://api.telegram.org/bot{TOKEN}/sendMessage failed")
        except RuntimeError as error:
            exc_info = (type(error), error, error.__traceback__)
    return logging.LogRecord("bot", logging.INFO, __file__, 1, msg, args, exc_info)


def test_filter_redacts_the_token_in_message_and_args() -> None:
    record = _record("calling %s/getMe", f"https://api.telegram.org/bot{TOKEN}")
    assert RedactingFilter([TOKEN]).filter(record) is True
    assert record.getMessage() == "calling https://api.telegram.org/bot[REDACTED]/getMe"


def test_filter_redacts_a_url_encoded_token() -> None:
    record = _record("url %s", TOKEN.replace(":", "%3A"))
    RedactingFilter([TOKEN]).filter(record)
    assert record.getMessage() == "url [REDACTED]"


def test_filter_masks_personal_numbers_passed_as_args() -> None:
    record = _record("user wrote %r", "NIK 3201234567890123, hp 081234567890")
    RedactingFilter([]).filter(record)
    assert record.getMessage() == "user wrote 'NIK [NIK], hp [TELEPON]'"


def test_filter_cleans_tracebacks() -> None:
    record = _record("send failed", exc=True)
    RedactingFilter([TOKEN]).filter(record)
    formatted = logging.Formatter().format(record)
    assert TOKEN not in formatted
    assert "bot[REDACTED]/sendMessage" in formatted


def test_filter_ignores_empty_secrets() -> None:
    record = _record("plain text")
    RedactingFilter(["", TOKEN]).filter(record)
    assert record.getMessage() == "plain text"
