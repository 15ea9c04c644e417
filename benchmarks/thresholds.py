"""Sweeps of the matcher's long-message thresholds on every labelled set (the README's sweep tables).

    python benchmarks/thresholds.py          # from the repository root; about a minute

For each value of ``Thresholds.long_clarify`` and of ``Thresholds.long_margin`` (the other knobs at
their shipped values) it prints top-1 in scope / out-of-scope rejection on tests/data/dev*.yaml, with
the shipped knowledge. Only the thresholds change between rows, so the index is built once.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.cli.evaluate import evaluate, read_labelled  # noqa: E402
from bot.sections import load_knowledge  # noqa: E402

SWEEPS = {"long_clarify": (37, 33, 30, 28, 26, 24), "long_margin": (6.0, 3.0, 1.0, 0.0)}


def main() -> None:
    matcher = load_knowledge(ROOT / "knowledge").matcher
    shipped = matcher.thresholds
    sets = {path.stem: read_labelled(path) for path in sorted((ROOT / "tests" / "data").glob("dev*.yaml"))}
    for knob, values in SWEEPS.items():
        print(f"\n{knob} (shipped: {getattr(shipped, knob)}); top-1 in scope / OOS rejection, %\n")
        print(f"| {knob} | " + " | ".join(sets) + " |")
        print("|---" * (len(sets) + 1) + "|")
        for value in values:
            matcher.thresholds = replace(shipped, **{knob: value})
            cells = []
            for items in sets.values():
                report = evaluate(matcher, items)
                cells.append(f"{100 * report.top1():.1f} / {100 * report.rejection():.1f}")
            mark = " (shipped)" if value == getattr(shipped, knob) else ""
            print(f"| {value}{mark} | " + " | ".join(cells) + " |")
        matcher.thresholds = shipped


if __name__ == "__main__":
    main()
