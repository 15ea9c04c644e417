"""How much of each blind set its reading's knowledge had already seen, and the reading without it.

    python benchmarks/overlap.py          # from a git checkout of the repository root; ~40 s

The writers of the blind sets saw only the catalogue (``shared/intents.yaml``), whose public examples the
knowledge has too, and they repeat one another. For every ``tests/data/devN.yaml`` whose header names its
reading commit, on that commit's knowledge (as ``replay.py`` unpacks it) and today's matcher, this prints how
many of its queries equal a knowledge example after normalisation, how many equal a query of an earlier
set, and top-1 in scope / out-of-scope rejection on all queries, on those that are not an example, and on
the novel ones (neither).

The headers of dev23 and later give the same split, taken at each reading with a scratch script and the code
of that moment. Two differences: dev24-dev26 were read before the own-topic rule (2617af5), which moves a few
of their queries here; and where two sets were read together (dev27 with dev28, dev29 with dev30), the
scratch script counted the other one of the pair as earlier, so their repeats differ by a query.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, Path(__file__).resolve().parent):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from replay import replays  # noqa: E402

from bot.cli.evaluate import Labelled, evaluate, read_dev_sets, set_order  # noqa: E402
from intents import Matcher  # noqa: E402


def _figures(matcher: Matcher, items: list[Labelled]) -> str:
    report = evaluate(matcher, items)
    inside = sum(r.correct for r in report.in_scope)
    outside = sum(r.correct for r in report.out_of_scope)
    return (
        f"{100 * report.top1():.1f} ({inside}/{len(report.in_scope)}) / "
        f"{100 * report.rejection():.1f} ({outside}/{len(report.out_of_scope)})"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        sets = replays(Path(tmp))
    every = read_dev_sets(ROOT / "tests" / "data")
    print(
        "| set | commit | queries | = an example | = an earlier set's query | all | without the examples | novel only |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for s in sorted(sets, key=lambda s: set_order(Path(s.name))):
        matcher = s.matcher

        def norm(text: str, matcher: Matcher = matcher) -> str:
            return " ".join(matcher.words(text)[0])

        examples = matcher._example_phrases
        order = set_order(Path(s.name))
        before = {
            norm(i.text) for name, items in every.items() if set_order(Path(name)) < order for i in items
        }
        read = [(item, norm(item.text)) for item in s.items]
        fresh = [item for item, n in read if n not in examples]
        novel = [item for item, n in read if n not in examples and n not in before]
        print(
            f"| {s.name} | {s.commit} | {len(s.items)} | {len(s.items) - len(fresh)} | "
            f"{sum(n in before for _, n in read)} | {_figures(matcher, s.items)} | "
            f"{_figures(matcher, fresh)} | {_figures(matcher, novel)} |"
        )


if __name__ == "__main__":
    main()
