"""The topic-word penalty: a hard cut against the fade, on every labelled set (the README's figures).

    python benchmarks/topics.py          # from the repository root; about a minute

A topic word ('jkp', 'pesangon') costs an intent that never uses it ``Tuning.topic_penalty``. The penalty is
whole while at most ``topic_spread_full`` of the intents use the word and fades to none at ``topic_spread``
(equal values: the old hard cut). For each pair it prints the errors (in-scope misses plus out-of-scope
queries not rejected) per set with the shipped knowledge, their sum over the tuning sets dev..dev7 (where the
pair was picked) and over all sets; then the same with two ordinary examples naming JKP added to jht.claim,
the addition that took 'jkp' over the 40% cut during dev18's tuning.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.cli.evaluate import Labelled, evaluate, read_dev_sets  # noqa: E402
from bot.sections import load_knowledge  # noqa: E402
from intents import Matcher  # noqa: E402

PAIRS = ((0.4, 0.4), (0.4, 0.5), (0.4, 0.6), (0.4, 0.7), (0.3, 0.6))  # (topic_spread_full, topic_spread)
TUNING_SETS = 7  # dev..dev7
ADDED = {"jht.claim": ["jht sama jkp bisa diklaim bareng ga", "can i claim jht and jkp at the same time"]}


def _errors(matcher: Matcher, sets: Mapping[str, list[Labelled]]) -> list[int]:
    return [sum(not r.correct for r in evaluate(matcher, items).results) for items in sets.values()]


def _table(
    title: str, base: Matcher, examples: Mapping[str, Sequence[str]], sets: Mapping[str, list[Labelled]]
) -> None:
    print(f"\n{title}; errors per set\n")
    print("| full / none | " + " | ".join(sets) + " | dev..dev7 | all |")
    print("|---" * (len(sets) + 3) + "|")
    for full, none in PAIRS:
        tuning = replace(base.tuning, topic_spread_full=full, topic_spread=none)
        matcher = base.rebuild(examples, tuning=tuning)
        errors = _errors(matcher, sets)
        shipped = (full, none) == (base.tuning.topic_spread_full, base.tuning.topic_spread)
        label = f"{full} / {none}" + (" (shipped)" if shipped else " (cut)" if full == none else "")
        cells = " | ".join(map(str, errors))
        print(f"| {label} | {cells} | {sum(errors[:TUNING_SETS])} | {sum(errors)} |")


def main() -> None:
    kb = load_knowledge(ROOT / "knowledge")
    sets = read_dev_sets(ROOT / "tests" / "data")
    examples = {intent.id: list(intent.examples) for intent in kb.intents.values()}
    _table("Shipped knowledge", kb.matcher, examples, sets)
    added = {i: [*texts, *ADDED.get(i, [])] for i, texts in examples.items()}
    _table("With two 'jht sama jkp' examples added to jht.claim", kb.matcher, added, sets)


if __name__ == "__main__":
    main()
