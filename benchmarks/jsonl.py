"""`python -m bot ask --jsonl` on 20,000 lines in one process: wall time, throughput and peak memory.

    python benchmarks/jsonl.py            # from the repository root; about half a minute

The input is every query of tests/data/dev*.yaml, repeated until there are 20,000 lines. The script
checks that the output has one JSON object per line, in input order, and prints a Markdown table.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from itertools import cycle, islice
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
LINES = 20_000


def queries() -> list[str]:
    """The texts of every labelled query in tests/data (a bare list or under ``queries:``)."""
    found: list[str] = []
    for path in sorted((ROOT / "tests" / "data").glob("dev*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        items = data.get("queries", []) if isinstance(data, dict) else data
        found += [" ".join(str(item["text"]).split()) for item in items]
    return found


def main() -> None:
    lines = list(islice(cycle(queries()), LINES))
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--jsonl"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    wall = time.perf_counter() - started
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["text"] for r in records] == lines, "output is not one record per input line, in order"
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print("| lines | wall time | lines per second | per line | peak RSS |")
    print("|---|---|---|---|---|")
    print(
        f"| {len(records):,} | {wall:.1f} s | {len(records) / wall:,.0f} | {wall / len(records) * 1e3:.2f} ms "
        f"| {peak_mib:.0f} MiB |"
    )


if __name__ == "__main__":
    main()
