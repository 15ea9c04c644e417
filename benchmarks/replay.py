"""Blind first readings replayed: each set read with today's code on the knowledge of its own reading commit.

    python benchmarks/replay.py          # from a git checkout of the repository root; about a minute

A set's first reading is blind only once: after it, its misses are tuned on. To compare a change of the
matcher on sets that have not seen it, each ``tests/data/devN.yaml`` whose header names the commit of its
first reading ("main 1a2b3c4") is read again with today's matcher on ``git archive <commit> knowledge``, the
knowledge as it was before that set was tuned on. The rows are band settings (``Thresholds``): the shipped
one and the ones it replaced. Per set the cell is in-scope misses / out-of-scope queries not rejected; then
the sums, the pooled top-1 and rejection, the share of all queries answered with a choice (clarify), and how
many sets meet both of issue 12's targets (98 / 97).

These replays are not blind readings: a setting picked on them has seen their misses (the README says which
were). The readings in the files' headers, taken with the code of their day, stay the record.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.cli.evaluate import Labelled, Report, clarify_rate, evaluate, read_labelled, set_order  # noqa: E402
from bot.sections import load_knowledge  # noqa: E402
from intents import Matcher, Thresholds  # noqa: E402

READ_ON = re.compile(r"^#.*\bmain ([0-9a-f]{7,40})\b", re.MULTILINE)
# (label, topic_lead, topic_oos_lead): the own-topic rules before and after dev25/dev26 (2026-12-07)
ROWS = (
    ("before: lead 6, margin rule", 6.0, None),
    ("lead 0, margin rule", 0.0, None),
    ("lead 6, out-of-scope must lead by 3", 6.0, 3.0),
    ("lead 0, out-of-scope must lead by 0", 0.0, 0.0),
    ("lead 0, out-of-scope must lead by 3 (shipped)", 0.0, 3.0),
    ("lead 0, out-of-scope must lead by 6", 0.0, 6.0),
)
TARGETS = (0.98, 0.97)


@dataclass(frozen=True)
class Replay:
    name: str
    commit: str
    matcher: Matcher
    items: list[Labelled]


def _knowledge_at(commit: str, into: Path) -> Path:
    """``knowledge/`` of ``commit`` unpacked under ``into``."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", commit, "knowledge"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    target = into / commit
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target / "knowledge"


def replays(into: Path) -> list[Replay]:
    found = []
    for path in sorted((ROOT / "tests" / "data").glob("dev*.yaml"), key=set_order):
        header = READ_ON.search(path.read_text(encoding="utf-8"))
        if header is None:
            continue
        commit = header.group(1)
        matcher = load_knowledge(_knowledge_at(commit, into)).matcher
        found.append(Replay(path.stem, commit, matcher, read_labelled(path)))
    return found


def _misses(report: Report) -> tuple[int, int]:
    return sum(not r.correct for r in report.in_scope), sum(not r.correct for r in report.out_of_scope)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        sets = replays(Path(tmp))
    print(
        f"{len(sets)} sets, each on the knowledge of its reading commit: in-scope misses / OOS not rejected\n"
    )
    print(
        "| setting | "
        + " | ".join(s.name for s in sets)
        + " | sum | top-1 / rejection % | clarify % | sets at both |"
    )
    print("|---" * (len(sets) + 5) + "|")
    for label, lead, oos_lead in ROWS:
        cells, inside, outside, n_in, n_out, meeting, asked, n_all = [], 0, 0, 0, 0, 0, 0.0, 0
        for s in sets:
            bands = replace(s.matcher.thresholds, topic_lead=lead, topic_oos_lead=oos_lead)
            report = evaluate(replace(s.matcher, thresholds=bands), s.items)
            a, b = _misses(report)
            cells.append(f"{a}/{b}")
            inside, outside = inside + a, outside + b
            n_in, n_out = n_in + len(report.in_scope), n_out + len(report.out_of_scope)
            meeting += report.top1() >= TARGETS[0] and report.rejection() >= TARGETS[1]
            asked, n_all = asked + clarify_rate(report) * len(report.results), n_all + len(report.results)
        pooled = f"{100 * (1 - inside / n_in):.1f} / {100 * (1 - outside / n_out):.1f}"
        rate = f"{100 * asked / n_all:.1f}"
        print(f"| {label} | {' | '.join(cells)} | {inside}/{outside} | {pooled} | {rate} | {meeting} |")
    print(f"\nShipped thresholds: {Thresholds()}")


if __name__ == "__main__":
    main()
