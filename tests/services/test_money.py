"""Reading and writing rupiah amounts."""

from __future__ import annotations

import pytest

from bot.services.money import (
    NEGATIVE,
    TOO_HIGH,
    TOO_LOW,
    UNREADABLE,
    ZERO,
    format_rupiah,
    parse_money,
    read_money,
)

PARSES = [
    ("4 juta", 4_000_000),
    ("4jt", 4_000_000),
    ("4,5jt", 4_500_000),
    ("4.5 juta", 4_500_000),
    ("Rp4.500.000", 4_500_000),
    ("Rp 4.500.000,-", 4_500_000),
    ("4500000", 4_500_000),
    ("4.500.000", 4_500_000),
    ("4,5 juta rupiah", 4_500_000),
    ("empat juta", 4_000_000),
    ("empat setengah juta", 4_500_000),
    ("4500rb", 4_500_000),
    ("4.500 ribu", 4_500_000),
    ("2 jt 500 rb", 2_500_000),
    ("Rp. 5.000.000", 5_000_000),
    ("rp 3.000.000", 3_000_000),
    ("Rp4.500.000,00", 4_500_000),
    ("4,500,000", 4_500_000),
    ("4500k", 4_500_000),
    ("3,2 jt", 3_200_000),
    ("sejuta", 1_000_000),
    ("setengah juta", 500_000),
    ("satu setengah juta", 1_500_000),
    ("dua juta lima ratus ribu", 2_500_000),
    ("dua juta lima ratus", 2_500_000),
    ("tujuh ratus lima puluh ribu", 750_000),
    ("dua belas juta", 12_000_000),
    ("4 juta 500", 4_500_000),
    ("seratus ribu", 100_000),
    ("gaji 4 juta dapet jkp brp", 4_000_000),
    ("punya dua anak, gaji 4 juta", 4_000_000),
    ("kerja 3 tahun gaji 6jt", 6_000_000),
    ("gaji sekitar 3jt an", 3_000_000),
    ("upah saya Rp5.500.000, uang tunai jkp berapa?", 5_500_000),
    ("gajiku 4.500.000.", 4_500_000),
    ("50rb", 50_000),  # readable, but read_money flags it as too low
]

REJECTS = [
    ("abc", UNREADABLE),
    ("", UNREADABLE),
    ("gaji saya kecil", UNREADABLE),
    ("36 bulan", UNREADABLE),
    ("-4 juta", NEGATIVE),
    ("minus 3 juta", NEGATIVE),
    ("0", ZERO),
    ("Rp0", ZERO),
    ("2 miliar", TOO_HIGH),
    ("1.000.000.001", TOO_HIGH),
]


@pytest.mark.parametrize(("text", "amount"), PARSES)
def test_parse_money_understands_how_people_write_amounts(text: str, amount: int) -> None:
    assert parse_money(text) == amount


@pytest.mark.parametrize(("text", "problem"), REJECTS)
def test_nonsense_zero_negative_and_absurd_amounts_are_rejected(text: str, problem: str) -> None:
    assert parse_money(text) is None
    assert read_money(text).problem == problem


@pytest.mark.parametrize("text", ["50rb", "Rp75.000", "4.500", "99999"])
def test_amounts_below_100_ribu_are_flagged_too_low(text: str) -> None:
    reading = read_money(text)
    assert reading.problem == TOO_LOW
    assert reading.amount is not None and reading.amount < 100_000


def test_one_miliar_exactly_is_still_accepted() -> None:
    assert read_money("1 miliar").problem is None


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (2_400_000, "Rp2.400.000"),
        (18_000_000, "Rp18.000.000"),
        (500, "Rp500"),
        (0, "Rp0"),
        (1_000_000_000, "Rp1.000.000.000"),
    ],
)
def test_format_rupiah_uses_dots_for_thousands(amount: int, text: str) -> None:
    assert format_rupiah(amount) == text


def test_parse_and_format_round_trip() -> None:
    assert parse_money(format_rupiah(4_250_000)) == 4_250_000
