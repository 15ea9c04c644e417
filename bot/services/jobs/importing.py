"""Reading a vacancy export as an office sends it: CSV or JSON Lines, checked row by row. Pure.

:func:`read_export` returns an :class:`Export`: the good rows, the bad ones with their line and
reason (a repeated id is bad: the first row with an id wins), the rows already closed on ``today``
(dropped, counted), and the rows whose text asks applicants for money (held back for an admin, never
published; see :func:`.scam.asks_for_money`). The format is documented in docs/vacancy-import.md.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.services.jobs.scam import asks_for_money
from bot.services.jobs.vacancies import (
    COLUMNS,
    REQUIRED_COLUMNS,
    PlaceCache,
    RowError,
    Vacancy,
    check_row,
    read_rows,
)
from bot.services.regions import Regions

CSV, JSONL = "csv", "jsonl"
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
MONEY_COLUMNS = ("title", "employer", "how_to_apply", "description")  # the text the scam guard reads
PROGRESS_EVERY = 1000

Progress = Callable[[int, int], None]
Rows = list[tuple[int, dict[str, str]]]


@dataclass(frozen=True)
class Held:
    """A row held back for an admin: its line, its cells and why."""

    line: int
    row: dict[str, str]
    reason: str


@dataclass(frozen=True)
class Export:
    good: tuple[Vacancy, ...]
    bad: tuple[tuple[int, str], ...]
    expired: tuple[int, ...] = ()
    held: tuple[Held, ...] = ()
    rows: int = 0


def kind_of(path: Path, text: str) -> str:
    """JSON Lines for ``.jsonl``/``.ndjson``/``.json`` files or text starting with ``{``, else CSV."""
    return JSONL if Path(path).suffix.lower() in JSONL_SUFFIXES or text.lstrip().startswith("{") else CSV


def read_jsonl(text: str) -> tuple[Rows, list[tuple[int, str]]]:
    """``(line, row)`` for each JSON object line (values as text), and ``(line, reason)`` for the rest."""
    rows: Rows = []
    bad: list[tuple[int, str]] = []
    for number, line in enumerate(io.StringIO(text), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            bad.append((number, f"not valid JSON: {exc.msg}"))
            continue
        if not isinstance(value, dict):
            bad.append((number, "each line must be one JSON object {...}"))
            continue
        rows.append((number, {str(k).strip().lower(): _cell(v) for k, v in value.items()}))
    return rows, bad


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def read_export(path: Path, regions: Regions, today: date, *, progress: Progress | None = None) -> Export:
    """Read and check an export file (CSV or JSON Lines)."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return Export((), ((1, f"cannot read the file: {exc}"),))
    if kind_of(path, text) == JSONL:
        rows, bad = read_jsonl(text)
        header: Sequence[str] = sorted({key for _, row in rows for key in row})
        missing = [c for c in REQUIRED_COLUMNS if rows and all(c not in row for _, row in rows)]
    else:
        header, rows = read_rows(text)
        bad = []
        missing = [c for c in REQUIRED_COLUMNS if c not in set(header)]
    if missing or not header:
        return Export(
            (), ((1, f"missing column(s): {', '.join(missing or REQUIRED_COLUMNS)}"),), rows=len(rows)
        )
    return check_rows(rows, regions, today, bad, progress=progress)


def check_rows(
    rows: Rows,
    regions: Regions,
    today: date,
    bad: Sequence[tuple[int, str]] = (),
    *,
    progress: Progress | None = None,
) -> Export:
    """Check each row: bad ones with their reason, closed ones dropped, money-asking ones held."""
    good: list[Vacancy] = []
    found_bad = list(bad)
    expired: list[int] = []
    held: list[Held] = []
    seen: dict[str, int] = {}
    places: PlaceCache = {}
    for done, (line, row) in enumerate(rows, start=1):
        try:
            vacancy = check_row(row, line, regions, places)
            if vacancy.id in seen:
                raise RowError(f"id {vacancy.id!r} already used on line {seen[vacancy.id]}")
            seen[vacancy.id] = line
            if not vacancy.open_on(today):
                expired.append(line)
            elif any(asks_for_money(row.get(c) or "") for c in MONEY_COLUMNS):
                held.append(Held(line, row, "asks applicants for money"))
            else:
                good.append(vacancy)
        except RowError as exc:
            found_bad.append((line, str(exc)))
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == len(rows)):
            progress(done, len(rows))
    return Export(tuple(good), tuple(sorted(found_bad)), tuple(expired), tuple(held), len(rows))


def held_csv(held: Sequence[Held]) -> str:
    """The held rows as CSV for an admin: line, reason, then the export's own columns."""
    extra = sorted({k for h in held for k in h.row} - set(COLUMNS))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["line", "reason", *COLUMNS, *extra])
    for h in held:
        writer.writerow([h.line, h.reason, *(h.row.get(c, "") for c in (*COLUMNS, *extra))])
    return buffer.getvalue()


__all__ = ["CSV", "JSONL", "Export", "Held", "check_rows", "held_csv", "kind_of", "read_export", "read_jsonl"]
