"""The JKP self-check decision: answers in, a verdict with one finding per rule out. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.services.freetext import NO, UNSURE, YES
from bot.services.jkp.rules import JkpRules, Regime
from bot.services.jkp.timeline import build_timeline

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"
ELIGIBLE, NOT_ELIGIBLE, UNCLEAR = "eligible", "not_eligible", "unclear"

# Button answers that stand for a range rather than a number.
AGE_UNDER, AGE_OVER = "under", "over"
CONTRIB_ENOUGH, CONTRIB_SHORT = "enough", "short"
MEM_ALL, MEM_SMALL, MEM_MISSING_JP, MEM_NONE = "all", "small", "missing_jp", "none"


@dataclass(frozen=True)
class Answers:
    """What the user told the self-check; None (or UNSURE) where they did not know."""

    termination: str | None = None
    age: int | str | None = None
    contributions: int | str | None = None
    consecutive: str | None = None
    membership: str | None = None
    jkn: str | None = None
    phk_date: date | None = None
    working: str | None = None
    phk_exact: bool = True  # False: only the month is known and phk_date is its first day


@dataclass(frozen=True)
class Finding:
    """One rule and how the answers fare against it."""

    rule: str
    outcome: str


@dataclass(frozen=True)
class Assessment:
    verdict: str
    findings: tuple[Finding, ...]
    regime: Regime
    deadline: date | None  # the claim deadline (the earliest possible one when only the month is known)
    latest_deadline: date | None = None  # with only the month known: the deadline for a PHK on its last day

    def failed(self) -> list[Finding]:
        return [f for f in self.findings if f.outcome == FAIL]


def assess(rules: JkpRules, answers: Answers, today: date) -> Assessment:
    """Check every rule; any failure -> not eligible, any unknown -> unclear, else eligible."""
    regime = rules.regime_for(answers.phk_date)
    deadline, latest = _deadlines(rules, answers)
    findings = (
        _termination(rules, answers.termination),
        Finding("age", _age(answers.age, rules.thresholds["max_age"])),
        Finding("membership", _membership(answers.membership)),
        Finding("jkn", _yes_passes(answers.jkn)),
        Finding("contribution_period", _contributions(answers.contributions, rules)),
        Finding("consecutive", _yes_passes(answers.consecutive)),
        Finding(regime.window_rule, _window(deadline, latest, today)),
        Finding("not_working", {YES: FAIL, NO: PASS}.get(answers.working or "", UNKNOWN)),
    )
    outcomes = {f.outcome for f in findings}
    verdict = NOT_ELIGIBLE if FAIL in outcomes else UNCLEAR if UNKNOWN in outcomes else ELIGIBLE
    return Assessment(verdict, findings, regime, deadline, latest)


def _deadlines(rules: JkpRules, answers: Answers) -> tuple[date | None, date | None]:
    """Deadline for the PHK date (from the timeline); for a month only, also the one for its last day."""
    if answers.phk_date is None:
        return None, None
    line = build_timeline(rules, answers.phk_date, exact=answers.phk_exact)
    return line.claim_deadline, line.latest_deadline


def _window(deadline: date | None, latest: date | None, today: date) -> str:
    """Within the window; past it; or unknown while it depends on the day of the month."""
    if deadline is None or latest is None:
        return UNKNOWN
    if today <= deadline:
        return PASS
    return FAIL if today > latest else UNKNOWN


def _termination(rules: JkpRules, key: str | None) -> Finding:
    termination = rules.terminations.get(key or "other", rules.terminations["other"])
    outcome = {True: PASS, False: FAIL, None: UNKNOWN}[termination.qualifies]
    return Finding(termination.rule, outcome)


def _age(age: int | str | None, max_age: int) -> str:
    if isinstance(age, int):
        return PASS if age < max_age else FAIL
    return {AGE_UNDER: PASS, AGE_OVER: FAIL}.get(age or "", UNKNOWN)


def _membership(answer: str | None) -> str:
    return {MEM_ALL: PASS, MEM_SMALL: PASS, MEM_MISSING_JP: FAIL, MEM_NONE: FAIL}.get(answer or "", UNKNOWN)


def _yes_passes(answer: str | None) -> str:
    return {YES: PASS, NO: FAIL, UNSURE: UNKNOWN}.get(answer or "", UNKNOWN)


def _contributions(months: int | str | None, rules: JkpRules) -> str:
    """Months of contributions; more than the window still counts as a full window."""
    if isinstance(months, int):
        counted = min(months, rules.thresholds["contribution_window_months"])
        return PASS if counted >= rules.thresholds["min_contribution_months"] else FAIL
    return {CONTRIB_ENOUGH: PASS, CONTRIB_SHORT: FAIL}.get(months or "", UNKNOWN)
