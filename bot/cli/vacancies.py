"""``python -m bot import-vacancies FILE``: load a vacancy export (CSV or JSON Lines) into the knowledge folder.

Every row is validated; bad rows are reported as ``FILE:LINE: reason`` and skipped, rows already
closed are dropped, rows asking applicants for money are held back in ``FILE.held.csv`` for an admin
(never published), and the good rows are written to ``knowledge/data/vacancies.csv`` (replacing it, or
added to it with ``--append``) in one atomic write. A file with no good row changes nothing, so the
bot is never left without vacancies. The old file is kept as a versioned backup, so ``/rollback`` can
undo an import like any upload. A running bot picks the new file up by itself (hot reload), and the
job alerts go out for the new vacancies. The format: docs/vacancy-import.md.
"""

from __future__ import annotations

import csv
import io
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TextIO

from tqdm import tqdm

from ..admin import files
from ..dialogue.core import today_wib
from ..knowledge import KnowledgeError
from ..services import regions
from ..services.jobs import importing, vacancies

TARGET = vacancies.PATH


def run_import(
    source: Path,
    root: Path,
    *,
    append: bool = False,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
    today: date | None = None,
) -> int:
    """Import ``source`` into ``root``; 0 when at least one row was imported, 1 otherwise."""
    today = today or today_wib()
    from ..sections import load_knowledge

    try:
        kb = load_knowledge(root)
    except KnowledgeError as exc:
        err.write(f"{exc}\nfix the knowledge folder first (python -m bot check)\n")
        return 1
    report = _validate(source, kb.extras[regions.SECTION], today, err)
    for line, reason in report.bad:
        out.write(f"{source}:{line}: {reason}\n")
    _hold(source, report, out)
    kept = list(report.good)
    if append:
        known = {v.id for v in report.good}
        kept = [
            v for v in kb.extras[vacancies.SECTION] if v.id not in known and (v.sample or v.open_on(today))
        ] + kept
    if not report.good:
        out.write(
            f"nothing imported: 0 good rows, {len(report.bad)} bad, {len(report.expired)} closed, "
            f"{len(report.held)} held\n"
        )
        return 1
    _write(root, kept)
    out.write(
        f"imported {len(report.good)} vacancies ({len(report.bad)} bad rows skipped, "
        f"{len(report.expired)} closed rows dropped, {len(report.held)} held for an admin); "
        f"{root / TARGET} now holds {len(kept)}\n"
    )
    return 0


def held_path(source: Path) -> Path:
    """Where the rows held back for an admin go: beside the export, ``NAME.held.csv``."""
    return source.with_name(f"{source.stem}.held.csv")


def _hold(source: Path, report: importing.Export, out: TextIO) -> None:
    target = held_path(source)
    if not report.held:
        return
    files.write_atomic(target, importing.held_csv(report.held).encode("utf-8"))
    for held in report.held:
        out.write(f"{source}:{held.line}: held for an admin: {held.reason}\n")
    out.write(f"{len(report.held)} rows held back (not published); check them in {target}\n")


def _validate(source: Path, places: regions.Regions, today: date, err: TextIO) -> importing.Export:
    bar = tqdm(total=0, unit="row", desc="checking", file=err)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    try:
        return importing.read_export(source, places, today, progress=progress)
    finally:
        bar.close()


def _write(root: Path, rows: list[vacancies.Vacancy]) -> None:
    target = root / TARGET
    backup = files.Backup(files.stamp(datetime.now(UTC)), "upload", TARGET, target.exists())
    files.back_up(root, TARGET, backup)
    files.write_atomic(target, _csv(rows).encode("utf-8"))


def _csv(rows: list[vacancies.Vacancy]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(vacancies.COLUMNS)
    for v in rows:
        writer.writerow(
            [
                v.id,
                v.title,
                v.employer,
                v.city,
                v.province,
                v.education,
                "" if v.salary_min is None else v.salary_min,
                "" if v.salary_max is None else v.salary_max,
                v.closing_text,
                v.how_to_apply,
                "yes" if v.sample else "no",
            ]
        )
    return buffer.getvalue()
