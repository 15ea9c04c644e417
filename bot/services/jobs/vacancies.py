"""Vacancies from CSV: the sample file in knowledge/data/vacancies.csv and admin imports.

Columns: id,title,employer,city,province,education,salary_min,salary_max,closing_date,how_to_apply,sample
(``sample`` is optional in imports). Each row is checked on its own and reported with its line number:
dates must be YYYY-MM-DD, title and city present, the city must lie in the named province, the salary
range must make sense and ids must be unique.

Sample rows (``sample`` yes) may give ``closing_date`` as days from today, ``+30`` or ``-5``, so the
invented sample keeps its mix of open and closed vacancies whatever the date; real rows need a date.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bot.knowledge.parse import Collector
from bot.knowledge.yamlio import Problem
from bot.services.jobs.education import read_education
from bot.services.regions import PATH as REGIONS_PATH
from bot.services.regions import Regions, load_regions

SECTION = "vacancies"
PATH = "data/vacancies.csv"
COLUMNS = (
    "id",
    "title",
    "employer",
    "city",
    "province",
    "education",
    "salary_min",
    "salary_max",
    "closing_date",
    "how_to_apply",
    "sample",
)
REQUIRED_COLUMNS = COLUMNS[:-1]
EDUCATION = ("SD", "SMP", "SMA/SMK", "SMA", "SMK", "D1", "D2", "D3", "D4", "S1", "S2")
MAX_FILE_BYTES = 64 * 1024 * 1024  # an office's export of 100,000+ vacancies (about 12 MB per 100,000)
_MONEY = re.compile(r"\d{1,3}(\.\d{3})+|\d+")
_RELATIVE = re.compile(r"[+-]\d{1,4}")

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Vacancy:
    id: str
    title: str
    employer: str
    city: str
    province: str
    education: str
    salary_min: int | None
    salary_max: int | None
    closing_date: date | None  # None when the row gives ``closes_in_days`` instead
    how_to_apply: str
    sample: bool
    line: int = 0
    closes_in_days: int | None = None  # sample rows: closes this many days after today (negative: closed)

    def closes_on(self, today: date) -> date:
        """The closing date: the row's date, or ``closes_in_days`` after ``today``."""
        if self.closing_date is not None:
            return self.closing_date
        return today + timedelta(days=self.closes_in_days or 0)

    def open_on(self, today: date) -> bool:
        """Still open on ``today`` (the closing day itself included)."""
        return self.closes_on(today) >= today

    @property
    def closing_text(self) -> str:
        """The closing date as the CSV writes it: '2027-01-31', or '+30' days for a sample row."""
        return self.closing_date.isoformat() if self.closing_date is not None else f"{self.closes_in_days:+d}"


@dataclass(frozen=True)
class ImportReport:
    """Rows that passed, and ``(line, reason)`` for each row that did not."""

    good_rows: tuple[Vacancy, ...]
    bad_rows: tuple[tuple[int, str], ...]


class RowError(ValueError):
    """Why one CSV row cannot be used."""


def _salary(row: dict[str, str], column: str) -> int | None:
    raw = (row.get(column) or "").strip()
    if not raw:
        return None
    if not _MONEY.fullmatch(raw):
        raise RowError(f"{column} {raw!r} is not a whole number of rupiah")
    return int(raw.replace(".", ""))


def _closing(row: dict[str, str], sample: bool) -> tuple[date | None, int | None]:
    """``(date, None)``, or ``(None, days)`` for a sample row's '+30' / '-5' (days from today)."""
    raw = (row.get("closing_date") or "").strip()
    if _RELATIVE.fullmatch(raw):
        if not sample:
            raise RowError(f"closing_date {raw!r}: days from today are only for sample rows (sample: yes)")
        return None, int(raw)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        try:
            return date.fromisoformat(raw), None
        except ValueError:
            pass
    raise RowError(f"closing_date {raw!r} is not a date like 2027-01-31")


def _place(row: dict[str, str], regions: Regions) -> tuple[str, str]:
    city, province_name = (row.get("city") or "").strip(), (row.get("province") or "").strip()
    province = regions.province_named(province_name)
    if province is None:
        raise RowError(f"unknown province {province_name!r}")
    found = regions.city_in(province, city)
    if found is None:
        raise RowError(f"unknown city {city!r} in {province.name}")
    return found, province.name


def _sample(row: dict[str, str]) -> bool:
    raw = (row.get("sample") or "").strip().lower()
    if raw not in ("", "yes", "no", "ya", "tidak"):
        raise RowError(f"sample must be yes or no, got {raw!r}")
    return raw in ("yes", "ya")


def canonical_education(raw: str) -> str:
    """The education column in the form Pandu stores: 'SLTA' -> 'SMA', 'D-3' -> 'D3', 'SMA/Sederajat'
    -> 'SMA'; :class:`RowError` when no part names a level."""
    if not raw or raw in EDUCATION:
        return raw
    levels = [read_education(part) for part in raw.replace(",", "/").split("/")]
    known = list(dict.fromkeys(level for level in levels if level))
    if not known:
        raise RowError(f"education {raw!r} is not one of {', '.join(EDUCATION)}")
    return "/".join(known)


PlaceCache = dict[tuple[str, str], "tuple[str, str] | RowError"]


def _cached_place(row: dict[str, str], regions: Regions, cache: PlaceCache | None) -> tuple[str, str]:
    """:func:`_place`, remembered per (city, province) for the rows of one file (few distinct places)."""
    if cache is None:
        return _place(row, regions)
    key = ((row.get("city") or "").strip(), (row.get("province") or "").strip())
    if key not in cache:
        try:
            cache[key] = _place(row, regions)
        except RowError as exc:
            cache[key] = exc
    found = cache[key]
    if isinstance(found, RowError):
        raise RowError(str(found))
    return found


def check_row(row: dict[str, str], line: int, regions: Regions, places: PlaceCache | None = None) -> Vacancy:
    """One CSV row as a :class:`Vacancy`, or :class:`RowError` saying what is wrong."""
    ident, title = (row.get("id") or "").strip(), (row.get("title") or "").strip()
    for column, value in (("id", ident), ("title", title), ("city", (row.get("city") or "").strip())):
        if not value:
            raise RowError(f"{column} is missing")
    education = canonical_education((row.get("education") or "").strip())
    low, high = _salary(row, "salary_min"), _salary(row, "salary_max")
    if low is not None and high is not None and low > high:
        raise RowError(f"salary_min {low} is more than salary_max {high}")
    city, province = _cached_place(row, regions, places)
    sample = _sample(row)
    closing, days = _closing(row, sample)
    return Vacancy(
        ident,
        title,
        (row.get("employer") or "").strip(),
        city,
        province,
        education,
        low,
        high,
        closing,
        (row.get("how_to_apply") or "").strip(),
        sample,
        line,
        days,
    )


def read_rows(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header and ``(line, row)`` pairs of CSV text; blank lines are skipped."""
    reader = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(reader, [])]
    rows = []
    start = reader.line_num + 1
    for cells in reader:
        if any(cell.strip() for cell in cells):
            rows.append((start, dict(zip(header, cells, strict=False))))
        start = reader.line_num + 1
    return header, rows


def validate(
    rows: Sequence[tuple[int, dict[str, str]]], regions: Regions, progress: Progress | None = None
) -> ImportReport:
    """Check every row; duplicates of an id already seen are bad rows."""
    good: list[Vacancy] = []
    bad: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    places: PlaceCache = {}
    for done, (line, row) in enumerate(rows, start=1):
        try:
            vacancy = check_row(row, line, regions, places)
            if vacancy.id in seen:
                raise RowError(f"id {vacancy.id!r} already used on line {seen[vacancy.id]}")
            seen[vacancy.id] = line
            good.append(vacancy)
        except RowError as exc:
            bad.append((line, str(exc)))
        if progress is not None:
            progress(done, len(rows))
    return ImportReport(tuple(good), tuple(bad))


def _missing_columns(header: Iterable[str], required: Iterable[str]) -> list[str]:
    return [column for column in required if column not in set(header)]


def import_vacancies_csv(path: Path, regions: Regions, *, progress: Progress | None = None) -> ImportReport:
    """Validate a vacancy CSV export; keeps the good rows and lists the bad ones with line numbers.

    ``progress(done, total)`` is called after each row (for a progress bar).
    """
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return ImportReport((), ((1, f"cannot read the file: {exc}"),))
    header, rows = read_rows(text)
    missing = _missing_columns(header, REQUIRED_COLUMNS)
    if missing:
        return ImportReport((), ((1, f"missing column(s): {', '.join(missing)}"),))
    return validate(rows, regions, progress)


def parse_vacancies(data: Any, out: Collector, root: Path) -> tuple[Vacancy, ...] | None:
    """Section parser for knowledge/data/vacancies.csv (registered as ``vacancies``).

    The loader does not read CSV files (``data`` is None): this parser reads the CSV itself, reporting
    ``file:line`` per bad row.
    """
    path = root / PATH
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            out.problems.append(Problem(out.file, 1, f"file is bigger than {MAX_FILE_BYTES} bytes"))
            return None
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        out.problems.append(Problem(out.file, 1, f"cannot read the file: {exc}"))
        return None
    header, rows = read_rows(text)
    missing = _missing_columns(header, COLUMNS)
    if missing:
        out.problems.append(Problem(out.file, 1, f"missing column(s): {', '.join(missing)}"))
        return None
    regions = load_regions(root / REGIONS_PATH)
    if regions is None:
        return None  # regions.yaml reports its own problems
    report = validate(rows, regions)
    out.problems.extend(Problem(out.file, line, reason) for line, reason in report.bad_rows)
    return report.good_rows if not report.bad_rows else None
