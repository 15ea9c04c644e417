"""Informative clarify on every labelled set: the matcher's bands alone vs the dialogue's decision.

    python benchmarks/clarify.py          # from the repository root; about 20 s

"matcher" is ``Matcher.match`` as ``python -m bot eval`` reads it; "dialogue" adds
``bot.dialogue.clarify.decide`` (a clarify whose fact question - age, percentage, deadline - one choice
clearly answers becomes that answer, with the others offered below it). Columns: top-1 in scope,
out-of-scope rejection, clarify rate (share of all queries), precision of direct answers (all answers,
in scope or not), and how many clarifies became answers (right / wrong).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.cli.evaluate import Report, clarify_rate, evaluate, read_labelled  # noqa: E402
from bot.dialogue import clarify  # noqa: E402
from bot.sections import load_knowledge  # noqa: E402
from intents import Confidence  # noqa: E402


def row(name: str, how: str, report: Report) -> str:
    return (
        f"| {name} | {how} | {100 * report.top1():.1f} | {100 * report.rejection():.1f} | "
        f"{100 * clarify_rate(report):.1f} | {100 * report.answered_precision():.1f} |"
    )


def main() -> None:
    kb = load_knowledge(ROOT / "knowledge")
    sets = {path.stem: read_labelled(path) for path in sorted((ROOT / "tests" / "data").glob("dev*.yaml"))}
    print("| set | decision | top-1 in scope % | OOS rejection % | clarify rate % | precision of answers % |")
    print("|---|---|---|---|---|---|")
    pooled = {"matcher": Report(), "dialogue": Report()}
    turned = [0, 0]
    for name, items in sets.items():
        before = evaluate(kb.matcher, items)
        after = evaluate(
            kb.matcher, items, decide=lambda m: clarify.decide(kb, m, keep=kb.menus.handoff_intents)[0]
        )
        for b, a in zip(before.results, after.results, strict=True):
            if b.match.confidence is Confidence.CLARIFY and a.match.confidence is Confidence.ANSWER:
                turned[0 if a.correct else 1] += 1
                print(
                    f"<!-- {'right' if a.correct else 'WRONG'}: {a.item.text!r} -> {a.predicted} {a.match.score} -->"
                )
        pooled["matcher"].results += before.results
        pooled["dialogue"].results += after.results
        print(row(name, "matcher", before))
        print(row(name, "dialogue", after))
    print(row("all", "matcher", pooled["matcher"]))
    print(row("all", "dialogue", pooled["dialogue"]))
    print(f"\nclarifies turned into answers: {turned[0]} right, {turned[1]} wrong")


if __name__ == "__main__":
    main()
