"""The claimant's timeline from knowledge/rules/jkp.yaml: month ends, leap years, the 7 Feb 2025 switch."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.services.jkp.rules import JkpRules
from bot.services.jkp.timeline import build_timeline


@pytest.fixture
def rules(data: dict[str, Any]) -> JkpRules:
    return data["jkp_rules"]  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("phk", "deadline"),
    [
        (date(2026, 7, 1), date(2027, 1, 1)),
        (date(2026, 1, 10), date(2026, 7, 10)),
        (date(2025, 8, 31), date(2026, 2, 28)),  # no 31 February: the month's last day
        (date(2027, 8, 31), date(2028, 2, 29)),  # leap year
        (date(2025, 2, 7), date(2025, 8, 7)),  # first day of PP 6/2025: 6 months
        (date(2025, 2, 6), date(2025, 5, 6)),  # last day of PP 37/2021: 3 months
        (date(2024, 11, 30), date(2025, 2, 28)),  # old regime, month end
        (date(2026, 12, 31), date(2027, 6, 30)),
    ],
)
def test_claim_deadline_by_regime_and_month_end(rules: JkpRules, phk: date, deadline: date) -> None:
    assert build_timeline(rules, phk).claim_deadline == deadline


def test_regime_switch_on_7_february_2025(rules: JkpRules) -> None:
    assert build_timeline(rules, date(2025, 2, 6)).regime.key == "old"
    assert build_timeline(rules, date(2025, 2, 7)).regime.key == "new"


def test_days_left_counts_to_the_deadline_day(rules: JkpRules) -> None:
    line = build_timeline(rules, date(2026, 7, 1))
    assert line.days_left(date(2026, 12, 4)) == 28
    assert line.days_left(date(2027, 1, 1)) == 0 and line.claim_open(date(2027, 1, 1))
    assert line.days_left(date(2027, 1, 2)) == -1 and not line.claim_open(date(2027, 1, 2))


def test_jht_one_month_after_the_last_day_worked(rules: JkpRules) -> None:
    assert build_timeline(rules, date(2026, 7, 1)).jht_from == date(2026, 8, 1)
    assert build_timeline(rules, date(2026, 7, 1), last_day=date(2026, 6, 30)).jht_from == date(2026, 7, 30)
    assert build_timeline(rules, date(2026, 1, 31)).jht_from == date(2026, 2, 28)


def test_jkn_cover_six_months_after_the_phk(rules: JkpRules) -> None:
    assert build_timeline(rules, date(2026, 8, 31)).jkn_until == date(2027, 2, 28)


def test_month_only_gives_a_range_of_deadlines(rules: JkpRules) -> None:
    line = build_timeline(rules, date(2026, 3, 1), exact=False)
    assert (line.claim_deadline, line.latest_deadline) == (date(2026, 9, 1), date(2026, 9, 30))
    assert not line.window_passed(date(2026, 9, 30)) and line.window_passed(date(2026, 10, 1))


def test_six_benefit_months_with_obligations_from_month_two(rules: JkpRules) -> None:
    line = build_timeline(rules, date(2026, 7, 1), claimed=date(2026, 8, 31))
    assert [m.number for m in line.months] == [1, 2, 3, 4, 5, 6]
    assert [m.rule for m in line.months] == ["month_first"] + ["month_obligations"] * 5
    assert [m.start for m in line.months][:3] == [date(2026, 8, 31), date(2026, 9, 30), date(2026, 10, 31)]
    assert line.current_month(date(2026, 10, 5)).number == 2  # type: ignore[union-attr]
    assert line.current_month(date(2027, 3, 1)) is None
    assert build_timeline(rules, date(2026, 7, 1)).months[0].start is None


def test_obligation_text_comes_from_the_rules_with_its_numbers(rules: JkpRules) -> None:
    text = rules.rule_text("month_obligations", "id")
    assert "5 pemberi kerja" in text and "80%" in text and "bulan 2" in text
    assert rules.rules["month_obligations"].source and rules.rules["jht_after"].reviewed
