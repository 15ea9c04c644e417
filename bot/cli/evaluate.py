"""``python -m bot eval FILE``: accuracy of the matcher on a labelled set, and how the bands trade off.

A query counts as correct when the reported intent equals the label: for in-scope queries that is the
top candidate of an answer or clarify result; for out-of-scope ones (label null) it is a fallback.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from intents import Confidence, Match, Matcher

from ..knowledge import KnowledgeError, load_yaml
from ..knowledge.yamlio import Problem, YDict, YList


@dataclass(frozen=True)
class Labelled:
    text: str
    intent: str | None


@dataclass
class Result:
    item: Labelled
    match: Match

    @property
    def predicted(self) -> str | None:
        return self.match.intent

    @property
    def correct(self) -> bool:
        return self.predicted == self.item.intent


@dataclass
class Report:
    results: list[Result] = field(default_factory=list)

    @property
    def in_scope(self) -> list[Result]:
        return [r for r in self.results if r.item.intent is not None]

    @property
    def out_of_scope(self) -> list[Result]:
        return [r for r in self.results if r.item.intent is None]

    def top1(self) -> float:
        return _share(r.correct for r in self.in_scope)

    def rejection(self) -> float:
        return _share(r.predicted is None for r in self.out_of_scope)

    def answered_precision(self) -> float:
        answered = [r for r in self.results if r.match.confidence is Confidence.ANSWER]
        return _share(r.correct for r in answered)

    def band_counts(self) -> Counter[str]:
        return Counter(r.match.confidence.value for r in self.results)


def _share(flags: Any) -> float:
    values = list(flags)
    return sum(values) / len(values) if values else 0.0


def read_labelled(path: Path) -> list[Labelled]:
    data, problems = load_yaml(path, max_bytes=20 * 1024 * 1024)
    items = data.get("queries") if isinstance(data, YDict) else data
    if problems or not isinstance(items, YList):
        raise KnowledgeError(problems or [Problem(str(path), 1, "expected a list of {text, intent}")])
    out = []
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise KnowledgeError(
                [Problem(str(path), items.line_of(index), "each item needs 'text' and 'intent'")]
            )
        out.append(Labelled(item["text"], item.get("intent")))
    return out


def set_order(path: Path) -> int:
    """dev, dev2, ..., dev10 in that order (not dev, dev10, dev2)."""
    return int(path.stem[3:] or 1)


def read_dev_sets(data: Path) -> dict[str, list[Labelled]]:
    """Every ``devN.yaml`` under ``data``, by name, in set order."""
    return {path.stem: read_labelled(path) for path in sorted(data.glob("dev*.yaml"), key=set_order)}


def evaluate(
    matcher: Matcher, items: list[Labelled], *, decide: Callable[[Match], Match] | None = None
) -> Report:
    """Match every item; ``decide`` (e.g. the dialogue's informative clarify) may turn a match into another."""
    act = decide or (lambda found: found)
    return Report([Result(item, act(matcher.match(item.text[:500]))) for item in items])


def clarify_rate(report: Report) -> float:
    """Share of all queries answered with a choice instead of an answer or a fallback."""
    return _share(r.match.confidence is Confidence.CLARIFY for r in report.results)


def per_intent(report: Report) -> list[tuple[str, int, float, float, float]]:
    """(intent, support, precision, recall, F1) for every labelled intent."""
    labels = sorted({r.item.intent for r in report.in_scope if r.item.intent})
    rows = []
    for label in labels:
        tp = sum(1 for r in report.results if r.predicted == label and r.item.intent == label)
        fp = sum(1 for r in report.results if r.predicted == label and r.item.intent != label)
        support = sum(1 for r in report.results if r.item.intent == label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows.append((label, support, precision, recall, f1))
    return rows


def confusions(report: Report, limit: int = 10) -> list[tuple[str, str, int]]:
    pairs = Counter((r.item.intent or "null", r.predicted or "null") for r in report.results if not r.correct)
    return [(gold, got, n) for (gold, got), n in pairs.most_common(limit)]


def threshold_table(report: Report, steps: range = range(20, 85, 5)) -> list[tuple[int, float, float, float]]:
    """For each fallback threshold on the top score: in-scope coverage, precision of what is kept, and
    out-of-scope rejection — as the product would decide (out-of-scope examples reject at any score)."""

    def kept(r: Result, t: int) -> bool:
        return bool(r.match.candidates) and r.match.score >= t and not r.match.out_of_scope

    rows = []
    for t in steps:
        coverage = _share(kept(r, t) for r in report.in_scope)
        precision = _share(
            r.match.candidates[0].intent == r.item.intent for r in report.results if kept(r, t)
        )
        rejection = _share(not kept(r, t) for r in report.out_of_scope)
        rows.append((t, coverage, precision, rejection))
    return rows


def print_report(report: Report, out: TextIO) -> None:
    w = out.write
    w(
        f"queries: {len(report.results)} ({len(report.in_scope)} in scope, {len(report.out_of_scope)} out of scope)\n"
    )
    w(f"top-1 accuracy (in scope):    {report.top1():6.1%}\n")
    w(f"out-of-scope rejection:       {report.rejection():6.1%}\n")
    w(f"precision of direct answers:  {report.answered_precision():6.1%}\n")
    w(f"bands: {dict(report.band_counts())}\n\n")
    w(f"{'intent':24} {'n':>4} {'prec':>6} {'recall':>6} {'F1':>6}\n")
    for label, support, p, r, f in per_intent(report):
        w(f"{label:24} {support:4d} {p:6.2f} {r:6.2f} {f:6.2f}\n")
    w("\nmost confused (label -> got, count):\n")
    for gold, got, n in confusions(report):
        w(f"  {gold} -> {got}: {n}\n")
    w(f"\n{'threshold':>9} {'coverage':>9} {'precision':>9} {'OOS rejected':>13}\n")
    for t, coverage, precision, rejection in threshold_table(report):
        w(f"{t:9d} {coverage:9.1%} {precision:9.1%} {rejection:13.1%}\n")


def misses(report: Report, out: TextIO) -> None:
    for r in report.results:
        if not r.correct:
            got = ", ".join(f"{c.intent}:{c.score:.0f}" for c in r.match.candidates)
            out.write(
                f"  [{r.item.intent} -> {r.predicted}/{r.match.confidence.value}] {r.item.text!r}  ({got})\n"
            )
