"""Date reading: Pandu's ``parse_when`` vs ``dateparser`` on tests/data/dates.yaml (written blind).

    .venv/bin/python benchmarks/dates.py [FILE] [--misses]

A case with a date counts as right when the reader gives exactly that day; a case with ``date: null``
(future, invalid or ambiguous) counts as right when the reader gives nothing or a day after "today"
(the bot asks back about both). Cost is the mean wall time per call over the whole table, repeated.
dateparser is optional (``pip install dateparser``); its row is skipped when it is not installed.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.services.freetext import parse_when  # noqa: E402

Reader = Callable[[str, date], date | None]


def load(path: Path) -> tuple[date, list[tuple[str, date | None]]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data["today"], [(str(c["text"]), c.get("date")) for c in data["cases"]]


def ours(text: str, today: date) -> date | None:
    found = parse_when(text, today)
    return found.day if found else None


def dateparser_reader() -> Reader | None:
    try:
        import dateparser
        from dateparser.search import search_dates
    except ImportError:
        return None

    def read(text: str, today: date) -> date | None:
        settings = {
            "RELATIVE_BASE": datetime(today.year, today.month, today.day),
            "PREFER_DATES_FROM": "past",
            "DATE_ORDER": "DMY",
            "PREFER_DAY_OF_MONTH": "first",
        }
        found = dateparser.parse(text, languages=["id", "en"], settings=settings)  # type: ignore[arg-type]
        if found is None:
            hits = search_dates(text, languages=["id", "en"], settings=settings)  # type: ignore[arg-type]
            found = hits[0][1] if hits else None
        return found.date() if found else None

    return read


def right(got: date | None, expected: date | None, today: date) -> bool:
    if expected is None:
        return got is None or got > today
    return got == expected


def measure(
    reader: Reader, today: date, cases: list[tuple[str, date | None]], repeat: int
) -> tuple[int, float, list[str]]:
    misses = [
        f"  {text!r}: expected {expected}, got {got}"
        for text, expected in cases
        if not right(got := reader(text, today), expected, today)
    ]
    started = time.perf_counter()
    for _ in range(repeat):
        for text, _expected in cases:
            reader(text, today)
    cost = (time.perf_counter() - started) / (repeat * len(cases))
    return len(cases) - len(misses), cost, misses


def main(argv: list[str]) -> int:
    path = Path(next((a for a in argv if not a.startswith("--")), ROOT / "tests" / "data" / "dates.yaml"))
    today, cases = load(path)
    readers: list[tuple[str, Reader, int]] = [("parse_when (Pandu)", ours, 50)]
    other = dateparser_reader()
    if other is not None:
        readers.append(("dateparser", other, 2))
    print(f"{path.name}: {len(cases)} phrasings, today = {today}")
    print(f"{'reader':<20} {'right':>7} {'accuracy':>9} {'per call':>12} {'cost ratio':>11}")
    base = None
    for name, reader, repeat in readers:
        good, cost, misses = measure(reader, today, cases, repeat)
        base = base or cost
        print(
            f"{name:<20} {good:>3}/{len(cases):<3} {good / len(cases):>9.1%} {cost * 1e6:>9.1f} µs {cost / base:>10.1f}x"
        )
        if "--misses" in argv:
            print("\n".join(misses))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
