"""The voice-typing join (``Matcher._joined``: letters spelt by name, split words) on and off.

    python benchmarks/join.py          # from a git checkout of the repository root; ~2 min

Prints in-scope misses / out-of-scope queries not rejected for every blind set replayed on the knowledge of
its reading commit (as ``replay.py`` unpacks it) and for every set on today's knowledge, with the join and
with it switched off; then per-query p50 / p99 over all labelled texts on the shipped knowledge, the two
readings interleaved in one process (two rounds each, after a warm-up), so their ratio holds on a noisy machine.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, Path(__file__).resolve().parent):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from replay import replays  # noqa: E402

from bot.cli.evaluate import Report, evaluate, read_dev_sets  # noqa: E402
from bot.sections import load_knowledge  # noqa: E402
from intents import Matcher  # noqa: E402


@contextmanager
def join_off() -> Iterator[None]:
    joined = Matcher._joined
    Matcher._joined = lambda self, words: words  # type: ignore[method-assign]
    try:
        yield
    finally:
        Matcher._joined = joined  # type: ignore[method-assign]


def _misses(report: Report) -> tuple[int, int]:
    return sum(not r.correct for r in report.in_scope), sum(not r.correct for r in report.out_of_scope)


def _p(matcher: Matcher, texts: list[str]) -> tuple[float, float]:
    taken = []
    for text in texts:
        start = time.perf_counter()
        matcher.match(text)
        taken.append(time.perf_counter() - start)
    ms = np.array(taken) * 1e3
    return float(np.percentile(ms, 50)), float(np.percentile(ms, 99))


def main() -> None:
    matcher = load_knowledge(ROOT / "knowledge").matcher
    today = read_dev_sets(ROOT / "tests" / "data")
    with tempfile.TemporaryDirectory() as tmp:
        replayed = replays(Path(tmp))
    print("| reading | join | in-scope / OOS misses | sets changed |\n|---|---|---|---|")
    for label, runs in (
        (f"replay ({len(replayed)} sets, reading commits)", [(r.name, r.matcher, r.items) for r in replayed]),
        (f"today's knowledge ({len(today)} sets)", [(n, matcher, items) for n, items in today.items()]),
    ):
        on = {name: _misses(evaluate(m, items)) for name, m, items in runs}
        with join_off():
            off = {name: _misses(evaluate(m, items)) for name, m, items in runs}
        moved = ", ".join(
            f"{n} {off[n][0]}/{off[n][1]} -> {on[n][0]}/{on[n][1]}" for n in on if on[n] != off[n]
        )
        for state, found in (("off", off), ("on (shipped)", on)):
            total = f"{sum(a for a, _ in found.values())} / {sum(b for _, b in found.values())}"
            print(f"| {label} | {state} | {total} | {moved if state != 'off' else ''} |")
    texts = [item.text for items in today.values() for item in items]
    for text in texts[:300]:
        matcher.match(text)
    rows: dict[str, list[tuple[float, float]]] = {"on (shipped)": [], "off": []}
    for _ in range(2):
        rows["on (shipped)"].append(_p(matcher, texts))
        with join_off():
            rows["off"].append(_p(matcher, texts))
    print(
        f"\n{len(texts)} texts, shipped knowledge, interleaved:\n\n| join | p50 / p99 per round |\n|---|---|"
    )
    for state, found in rows.items():
        print(f"| {state} | " + "; ".join(f"{a:.3f} / {b:.3f} ms" for a, b in found) + " |")


if __name__ == "__main__":
    main()
