"""Short free-text answers: yes/no, durations, PHK dates, calendar arithmetic."""

from __future__ import annotations

from datetime import date

import pytest

from bot.services.freetext import (
    NO,
    UNSURE,
    YES,
    When,
    add_months,
    parse_age,
    parse_duration_months,
    parse_when,
    parse_yes_no,
)

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("ya", YES),
        ("iya", YES),
        ("sudah", YES),
        ("udah", YES),
        ("yes", YES),
        ("iya sudah kerja lagi", YES),
        ("gak", NO),
        ("belum", NO),
        ("tidak", NO),
        ("nggak", NO),
        ("no", NO),
        ("blm", NO),
        ("ga tau", UNSURE),
        ("tidak tahu", UNSURE),
        ("lupa", UNSURE),
        ("not sure", UNSURE),
        ("apakah saya dapat jkp?", None),
        ("berapa lama prosesnya", None),
        ("halo", None),
    ],
)
def test_yes_no_and_unsure_answers(text: str, answer: str | None) -> None:
    assert parse_yes_no(text) == answer


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("3 thn", 36),
        ("36 bulan", 36),
        ("1,5 tahun", 18),
        ("setahun", 12),
        ("18", 18),
        ("8 bln", 8),
        ("2 tahun 3 bulan", 27),
        ("satu setengah tahun", 18),
        ("dua tahun", 24),
        ("lebih dari setahun", 13),
        ("kurang dari 12 bulan", 11),
        ("2 years", 24),
        ("belum", None),
        ("tidak tahu", None),
    ],
)
def test_contribution_durations(text: str, months: int | None) -> None:
    assert parse_duration_months(text) == months


@pytest.mark.parametrize(
    ("text", "age"),
    [("35", 35), ("umur 40 thn", 40), ("usia saya 53 tahun", 53), ("6 bulan", None), ("tidak tahu", None)],
)
def test_age_answers(text: str, age: int | None) -> None:
    assert parse_age(text) == age


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("2 bulan lalu", When(date(2026, 9, 22), exact=False)),
        ("dua bulan yang lalu", When(date(2026, 9, 22), exact=False)),
        ("bulan lalu", When(date(2026, 10, 1), exact=False)),
        ("sebulan lalu", When(date(2026, 10, 22), exact=False)),
        ("bulan ini", When(date(2026, 11, 1), exact=False)),
        ("setahun lalu", When(date(2025, 11, 22), exact=False)),
        ("Maret 2026", When(date(2026, 3, 1), exact=False)),
        ("03/2026", When(date(2026, 3, 1), exact=False)),
        ("2025-01", When(date(2025, 1, 1), exact=False)),
        ("22 Mei 2026", When(date(2026, 5, 22), exact=True)),
        ("22/05/2026", When(date(2026, 5, 22), exact=True)),
        ("2026-05-22", When(date(2026, 5, 22), exact=True)),
        ("kemarin", When(date(2026, 11, 21), exact=True)),
        ("hari ini", When(TODAY, exact=True)),
        ("3 minggu lalu", When(date(2026, 11, 1), exact=True)),
        ("desember", When(date(2025, 12, 1), exact=False)),
        ("agustus", When(date(2026, 8, 1), exact=False)),
        ("3 months ago", When(date(2026, 8, 22), exact=False)),
    ],
)
def test_phk_dates_in_free_text(text: str, when: When) -> None:
    assert parse_when(text, TODAY) == when


@pytest.mark.parametrize("text", ["31/02/2026", "belum tahu", "gaji 4 juta", "apa itu jkp"])
def test_things_that_are_not_dates(text: str) -> None:
    assert parse_when(text, TODAY) is None


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2026, 8, 31), 6, date(2027, 2, 28)),  # month end clamps to February
        (date(2027, 8, 31), 6, date(2028, 2, 29)),  # leap year
        (date(2026, 11, 22), 6, date(2027, 5, 22)),
        (date(2025, 1, 31), 3, date(2025, 4, 30)),
        (date(2026, 3, 15), -4, date(2025, 11, 15)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(start: date, months: int, end: date) -> None:
    assert add_months(start, months) == end
