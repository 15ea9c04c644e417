"""The JKP cash schedule: 60% under PP 6/2025, 45%/25% under PP 37/2021, wage capped at Rp5 juta."""

from __future__ import annotations

from datetime import date

import pytest

from bot.services.jkp.benefit import benefit_schedule
from bot.services.jkp.calculator import quote


@pytest.fixture
def regimes(data):
    return data["jkp_rules"].regimes


def test_new_regime_below_the_cap(regimes) -> None:
    schedule = benefit_schedule(4_000_000, regimes["new"])
    assert schedule.months == (2_400_000,) * 6
    assert schedule.total == 14_400_000
    assert not schedule.capped and schedule.lost_to_cap == 0


def test_new_regime_above_the_cap(regimes) -> None:
    schedule = benefit_schedule(7_000_000, regimes["new"])
    assert schedule.basis == 5_000_000 and schedule.capped
    assert schedule.months == (3_000_000,) * 6
    assert schedule.total == 18_000_000
    assert schedule.lost_to_cap == 7_200_000


def test_wage_exactly_at_the_cap_is_not_capped(regimes) -> None:
    schedule = benefit_schedule(5_000_000, regimes["new"])
    assert not schedule.capped and schedule.total == 18_000_000


def test_old_regime_pays_45_then_25_percent(regimes) -> None:
    schedule = benefit_schedule(4_000_000, regimes["old"])
    assert schedule.months == (1_800_000, 1_800_000, 1_800_000, 1_000_000, 1_000_000, 1_000_000)
    assert schedule.total == 8_400_000


def test_old_regime_with_the_cap(regimes) -> None:
    schedule = benefit_schedule(10_000_000, regimes["old"])
    assert schedule.months[0] == 2_250_000 and schedule.months[-1] == 1_250_000
    assert schedule.total == 10_500_000 and schedule.capped


def test_amounts_round_down_to_whole_rupiah(regimes) -> None:
    assert benefit_schedule(3_333_333, regimes["new"]).months[0] == 1_999_999


def test_quote_reads_a_wage_from_a_message(data) -> None:
    schedule = quote(data["jkp_rules"], "gaji 4 juta dapet jkp brp", date(2026, 11, 22))
    assert schedule is not None and schedule.total == 14_400_000 and schedule.regime == "new"


def test_quote_uses_the_old_regime_for_an_early_phk(data) -> None:
    schedule = quote(data["jkp_rules"], "gaji 4 juta, PHK Januari 2025", date(2026, 11, 22))
    assert schedule is not None and schedule.regime == "old"


def test_quote_without_a_usable_wage_is_none(data) -> None:
    assert quote(data["jkp_rules"], "berapa jkp saya", date(2026, 11, 22)) is None
    assert quote(data["jkp_rules"], "gaji 50rb", date(2026, 11, 22)) is None
