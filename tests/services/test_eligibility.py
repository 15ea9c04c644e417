"""The JKP self-check decision: one test per rule path, transition, deadlines."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bot.services.freetext import NO, UNSURE, YES
from bot.services.jkp.eligibility import (
    AGE_OVER,
    AGE_UNDER,
    CONTRIB_ENOUGH,
    CONTRIB_SHORT,
    ELIGIBLE,
    FAIL,
    MEM_ALL,
    MEM_MISSING_JP,
    MEM_NONE,
    MEM_SMALL,
    NOT_ELIGIBLE,
    PASS,
    UNCLEAR,
    UNKNOWN,
    Answers,
    assess,
)
from bot.services.jkp.rules import JkpRules

TODAY = date(2026, 11, 22)
GOOD = Answers(
    termination="dismissed",
    age=35,
    contributions=24,
    consecutive=YES,
    membership=MEM_ALL,
    jkn=YES,
    phk_date=date(2026, 10, 5),
    working=NO,
)


@pytest.fixture
def rules(data) -> JkpRules:
    return data["jkp_rules"]


def outcome(rules: JkpRules, answers: Answers, rule: str, today: date = TODAY) -> str:
    found = {f.rule: f.outcome for f in assess(rules, answers, today).findings}
    return found[rule]


def test_all_rules_met_is_likely_eligible(rules: JkpRules) -> None:
    result = assess(rules, GOOD, TODAY)
    assert result.verdict == ELIGIBLE
    assert {f.outcome for f in result.findings} == {PASS}
    assert result.deadline == date(2027, 4, 5)


@pytest.mark.parametrize(
    ("termination", "rule", "verdict"),
    [
        ("resigned", "resignation", NOT_ELIGIBLE),
        ("contract_expired", "pkwt_expired", NOT_ELIGIBLE),
        ("retired", "retirement", NOT_ELIGIBLE),
        ("other", "other_reason", UNCLEAR),
        ("contract_early", "pkwt_early", ELIGIBLE),
        ("dismissed", "phk_by_employer", ELIGIBLE),
    ],
)
def test_how_the_job_ended(rules: JkpRules, termination: str, rule: str, verdict: str) -> None:
    result = assess(rules, replace(GOOD, termination=termination), TODAY)
    assert result.verdict == verdict
    assert result.findings[0].rule == rule


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (53, PASS),
        (54, FAIL),
        (60, FAIL),
        (AGE_UNDER, PASS),
        (AGE_OVER, FAIL),
        (UNSURE, UNKNOWN),
        (None, UNKNOWN),
    ],
)
def test_age_must_be_under_54(rules: JkpRules, age: object, expected: str) -> None:
    assert outcome(rules, replace(GOOD, age=age), "age") == expected


@pytest.mark.parametrize(
    ("months", "expected"),
    [
        (11, FAIL),
        (12, PASS),
        (36, PASS),
        (0, FAIL),
        (CONTRIB_ENOUGH, PASS),
        (CONTRIB_SHORT, FAIL),
        (UNSURE, UNKNOWN),
    ],
)
def test_at_least_12_months_of_contributions_in_24(rules: JkpRules, months: object, expected: str) -> None:
    assert outcome(rules, replace(GOOD, contributions=months), "contribution_period") == expected


@pytest.mark.parametrize(("answer", "expected"), [(YES, PASS), (NO, FAIL), (UNSURE, UNKNOWN)])
def test_last_six_months_consecutive(rules: JkpRules, answer: str, expected: str) -> None:
    assert outcome(rules, replace(GOOD, consecutive=answer), "consecutive") == expected


@pytest.mark.parametrize(
    ("membership", "expected"),
    [(MEM_ALL, PASS), (MEM_SMALL, PASS), (MEM_MISSING_JP, FAIL), (MEM_NONE, FAIL), (UNSURE, UNKNOWN)],
)
def test_programme_membership(rules: JkpRules, membership: str, expected: str) -> None:
    assert outcome(rules, replace(GOOD, membership=membership), "membership") == expected


@pytest.mark.parametrize(("answer", "expected"), [(YES, PASS), (NO, FAIL), (UNSURE, UNKNOWN)])
def test_jkn_in_any_segment(rules: JkpRules, answer: str, expected: str) -> None:
    assert outcome(rules, replace(GOOD, jkn=answer), "jkn") == expected


def test_working_again_disqualifies(rules: JkpRules) -> None:
    result = assess(rules, replace(GOOD, working=YES), TODAY)
    assert result.verdict == NOT_ELIGIBLE
    assert [f.rule for f in result.failed()] == ["not_working"]


def test_claim_window_passed_disqualifies(rules: JkpRules) -> None:
    result = assess(rules, replace(GOOD, phk_date=date(2026, 5, 21)), TODAY)
    assert result.deadline == date(2026, 11, 21)
    assert [f.rule for f in result.failed()] == ["claim_window"]


def test_claim_deadline_day_itself_is_still_in_time(rules: JkpRules) -> None:
    assert outcome(rules, replace(GOOD, phk_date=date(2026, 5, 22)), "claim_window") == PASS


def test_deadline_from_month_end_clamps(rules: JkpRules) -> None:
    result = assess(rules, replace(GOOD, phk_date=date(2026, 8, 31)), TODAY)
    assert result.deadline == date(2027, 2, 28)


def test_month_only_phk_is_unknown_while_the_day_matters(rules: JkpRules) -> None:
    """PHK 'Mei 2026': on 1 May the window closed on 1 Nov, on 31 May it closes on 30 Nov."""
    answers = replace(GOOD, phk_date=date(2026, 5, 1), phk_exact=False)
    result = assess(rules, answers, TODAY)
    assert (result.deadline, result.latest_deadline) == (date(2026, 11, 1), date(2026, 11, 30))
    assert outcome(rules, answers, "claim_window") == UNKNOWN
    assert outcome(rules, answers, "claim_window", today=date(2026, 12, 1)) == FAIL


def test_unknown_phk_date_leaves_the_window_unknown(rules: JkpRules) -> None:
    result = assess(rules, replace(GOOD, phk_date=None), TODAY)
    assert result.verdict == UNCLEAR and result.deadline is None


def test_phk_before_7_february_2025_follows_the_old_rules(rules: JkpRules) -> None:
    result = assess(rules, replace(GOOD, phk_date=date(2025, 2, 6)), date(2025, 3, 1))
    assert result.regime.key == "old"
    assert result.deadline == date(2025, 5, 6)  # 3 months under PP 37/2021
    assert any(f.rule == "claim_window_old" for f in result.findings)


def test_phk_on_7_february_2025_follows_pp_6_2025(rules: JkpRules) -> None:
    result = assess(rules, replace(GOOD, phk_date=date(2025, 2, 7)), date(2025, 3, 1))
    assert result.regime.key == "new"
    assert result.deadline == date(2025, 8, 7)  # 6 months under PP 6/2025
    assert result.verdict == ELIGIBLE


def test_old_regime_window_passes_sooner(rules: JkpRules) -> None:
    late = date(2025, 6, 1)
    assert outcome(rules, replace(GOOD, phk_date=date(2025, 2, 6)), "claim_window_old", late) == FAIL
    assert outcome(rules, replace(GOOD, phk_date=date(2025, 2, 7)), "claim_window", late) == PASS


def test_a_failure_outweighs_unknowns(rules: JkpRules) -> None:
    answers = replace(GOOD, termination="resigned", jkn=UNSURE)
    assert assess(rules, answers, TODAY).verdict == NOT_ELIGIBLE


def test_every_finding_names_a_rule_with_text_and_source(rules: JkpRules) -> None:
    for finding in assess(rules, GOOD, TODAY).findings:
        rule = rules.rules[finding.rule]
        assert rule.source and rule.reviewed
        assert "{" not in rules.rule_text(finding.rule, "id") and rules.rule_text(finding.rule, "en")


def test_thresholds_come_from_the_rules_file(rules: JkpRules) -> None:
    assert dict(rules.thresholds) == {
        "max_age": 54,
        "min_contribution_months": 12,
        "contribution_window_months": 24,
        "consecutive_months": 6,
        "jht_after_months": 1,
        "jkn_months": 6,
        "benefit_months": 6,
        "obligations_from_month": 2,
        "min_applications": 5,
        "min_interviews": 1,
        "training_attendance_percent": 80,
    }
    assert rules.transition == date(2025, 2, 7)
    assert rules.regimes["new"].claim_window_months == 6 and rules.regimes["old"].claim_window_months == 3
    assert "54" in rules.rule_text("age", "id")
