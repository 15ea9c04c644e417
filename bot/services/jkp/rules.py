"""JKP rules as data (knowledge/rules/jkp.yaml): thresholds, the two regimes and sourced rule texts."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bot.knowledge.model import placeholders
from bot.knowledge.parse import Collector
from bot.knowledge.yamlio import YDict
from bot.services.common import (
    Bilingual,
    a_date,
    bilingual,
    freeze,
    integer,
    listing,
    mapping,
    missing_fields,
    text,
    unknown_fields,
)

SECTION = "jkp_rules"
PATH = "rules/jkp.yaml"
THRESHOLDS = (
    "max_age",
    "min_contribution_months",
    "contribution_window_months",
    "consecutive_months",
    "jht_after_months",
    "jkn_months",
    "benefit_months",
    "obligations_from_month",
    "min_applications",
    "min_interviews",
    "training_attendance_percent",
)
TIMELINE_RULES = ("jht_after", "jkn_cover", "month_first", "month_obligations")  # read by jkp/timeline.py
TERMINATIONS = ("dismissed", "contract_early", "resigned", "contract_expired", "retired", "other")
RULE_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_REGIME_FIELDS = {
    "label",
    "from",
    "until",
    "claim_window_months",
    "wage_cap",
    "cash_percent",
    "window_rule",
    "cash_rule",
    "note_rule",
}


@dataclass(frozen=True)
class Rule:
    """One sourced rule; ``text`` may use the ``{placeholders}`` of the thresholds."""

    id: str
    text: Bilingual
    source: str
    reviewed: date


@dataclass(frozen=True)
class Regime:
    """The rules for PHKs in one period: claim window and cash schedule."""

    key: str
    label: Bilingual
    claim_window_months: int
    wage_cap: int
    cash_percent: tuple[int, ...]
    window_rule: str
    cash_rule: str
    note_rule: str | None = None  # a rule shown with every result under this regime (the transition)


@dataclass(frozen=True)
class Termination:
    """How a job ended; ``qualifies`` None means BPJS Ketenagakerjaan must look at it."""

    key: str
    qualifies: bool | None
    rule: str


@dataclass(frozen=True)
class JkpRules:
    thresholds: Mapping[str, int]
    transition: date
    regimes: Mapping[str, Regime]
    terminations: Mapping[str, Termination]
    rules: Mapping[str, Rule]

    def regime_for(self, phk: date | None) -> Regime:
        """The old regime for a PHK before the transition date, else (also when unknown) the new one."""
        return self.regimes["old" if phk is not None and phk < self.transition else "new"]

    def rule_text(self, rule_id: str, lang: str) -> str:
        """The rule's text in ``lang`` with the thresholds filled in."""
        rule = self.rules[rule_id]
        return (rule.text.get(lang) or rule.text["id"]).format_map(dict(self.thresholds))


def parse_jkp_rules(data: Any, out: Collector, root: Path) -> JkpRules | None:
    """Parser for knowledge/rules/jkp.yaml (registered as ``jkp_rules``)."""
    if not isinstance(data, YDict):
        out.at(data, None, "jkp.yaml must be a mapping with thresholds, regimes, termination and rules")
        return None
    before = len(out.problems)
    unknown_fields(
        data, {"reviewed", "transition", "thresholds", "regimes", "termination", "rules"}, "jkp.yaml", out
    )
    transition = a_date(data, "transition", "jkp.yaml", out)
    thresholds = _thresholds(data, out)
    rules = _rules(data, out, set(THRESHOLDS))
    regimes = _regimes(data, out, rules, transition)
    terminations = _terminations(data, out, rules)
    for rule_id in TIMELINE_RULES:
        if rule_id not in rules and isinstance(data.get("rules"), list):
            out.at(data, "rules", f"jkp.yaml: rule {rule_id!r} is missing (the timeline needs it)")
    if len(out.problems) > before or transition is None:
        return None
    return JkpRules(freeze(thresholds), transition, freeze(regimes), freeze(terminations), freeze(rules))


def _thresholds(data: YDict, out: Collector) -> dict[str, int]:
    node = mapping(data, "thresholds", "jkp.yaml", out)
    if node is None:
        return {}
    unknown_fields(node, THRESHOLDS, "thresholds", out)
    found = {key: integer(node, key, "thresholds", out, minimum=1) for key in THRESHOLDS}
    values = {key: value for key, value in found.items() if value is not None}
    window, minimum = values.get("contribution_window_months"), values.get("min_contribution_months")
    if window and minimum and minimum > window:
        out.at(
            node, "min_contribution_months", "thresholds: min_contribution_months is longer than the window"
        )
    return values


def _rules(data: YDict, out: Collector, names: set[str]) -> dict[str, Rule]:
    items = listing(data, "rules", "jkp.yaml", out)
    rules: dict[str, Rule] = {}
    for index, node in enumerate(items or []):
        if not isinstance(node, YDict):
            out.at(items, index, "each rule needs id, text, source and reviewed")
            continue
        rule = _rule(node, out, names)
        if rule is not None and rule.id in rules:
            out.at(node, "id", f"rule {rule.id!r} is defined twice")
        elif rule is not None:
            rules[rule.id] = rule
    return rules


def _rule(node: YDict, out: Collector, names: set[str]) -> Rule | None:
    ident = node.get("id")
    where = f"rule {ident!r}"
    unknown_fields(node, {"id", "text", "source", "reviewed"}, where, out)
    missing_fields(node, {"id", "text", "source", "reviewed"}, where, out)
    if not isinstance(ident, str) or not RULE_ID.match(ident):
        out.at(node, "id", f"rule id must be lowercase letters, digits and _, got {ident!r}")
        return None
    words, source, reviewed = (
        bilingual(node, "text", where, out),
        text(node, "source", where, out),
        a_date(node, "reviewed", where, out),
    )
    if words is None or source is None or reviewed is None:
        return None
    unknown = (placeholders(words["id"]) | placeholders(words["en"])) - names
    if unknown:
        out.at(node, "text", f"{where}: unknown placeholder(s) {sorted(unknown)}; use {sorted(names)}")
        return None
    return Rule(ident, words, source, reviewed)


def _regimes(
    data: YDict, out: Collector, rules: Mapping[str, Rule], transition: date | None
) -> dict[str, Regime]:
    node = mapping(data, "regimes", "jkp.yaml", out)
    if node is None:
        return {}
    unknown_fields(node, {"old", "new"}, "regimes", out)
    missing_fields(node, {"old", "new"}, "regimes", out)
    found = {}
    for key in ("old", "new"):
        if isinstance(node.get(key), YDict):
            regime = _regime(key, node[key], out, rules)
            if regime is not None:
                found[key] = regime
    if transition is not None:
        _check_boundary(node, transition, out)
    return found


def _regime(key: str, node: YDict, out: Collector, rules: Mapping[str, Rule]) -> Regime | None:
    where = f"regime {key!r}"
    unknown_fields(node, _REGIME_FIELDS, where, out)
    label = bilingual(node, "label", where, out)
    window, cap = (
        integer(node, "claim_window_months", where, out, minimum=1),
        integer(node, "wage_cap", where, out, minimum=1),
    )
    percents = node.get("cash_percent")
    if (
        not isinstance(percents, list)
        or not percents
        or not all(isinstance(p, int) and 0 < p <= 100 for p in percents)
    ):
        out.at(
            node,
            "cash_percent",
            f"{where}: 'cash_percent' must list whole percentages (1-100), one per month",
        )
        percents = None
    refs = {}
    for field in ("window_rule", "cash_rule", "note_rule"):
        refs[field] = text(node, field, where, out, optional=field == "note_rule")
        if refs[field] is not None and refs[field] not in rules:
            out.at(node, field, f"{where}: rule {refs[field]!r} does not exist")
    if None in (label, window, cap, percents, refs["window_rule"], refs["cash_rule"]):
        return None
    # fmt: off
    return Regime(key, label, window, cap, tuple(percents), refs["window_rule"], refs["cash_rule"],  # type: ignore[arg-type]
                  refs["note_rule"])
    # fmt: on


def _check_boundary(node: YDict, transition: date, out: Collector) -> None:
    old, new = node.get("old"), node.get("new")
    if isinstance(old, YDict) and old.get("until") != transition - timedelta(days=1):
        out.at(
            old,
            "until",
            f"regime 'old': 'until' must be the day before the transition ({transition - timedelta(days=1)})",
        )
    if isinstance(new, YDict) and new.get("from") != transition:
        out.at(new, "from", f"regime 'new': 'from' must be the transition date ({transition})")


def _terminations(data: YDict, out: Collector, rules: Mapping[str, Rule]) -> dict[str, Termination]:
    node = mapping(data, "termination", "jkp.yaml", out)
    if node is None:
        return {}
    unknown_fields(node, TERMINATIONS, "termination", out)
    missing_fields(node, TERMINATIONS, "termination", out)
    found = {}
    for key in TERMINATIONS:
        entry = node.get(key)
        if not isinstance(entry, YDict):
            continue
        qualifies, rule = entry.get("qualifies"), entry.get("rule")
        if qualifies not in (True, False, None) or "qualifies" not in entry:
            out.at(entry, "qualifies", f"termination {key!r}: 'qualifies' must be true, false or null")
        elif not isinstance(rule, str) or rule not in rules:
            out.at(entry, "rule", f"termination {key!r}: rule {rule!r} does not exist")
        else:
            found[key] = Termination(key, qualifies, rule)
    return found
