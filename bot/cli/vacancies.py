"""``python -m bot import-vacancies FILE.csv``: load a vacancy export into the knowledge folder.

Every row is validated; bad rows are reported as ``FILE:LINE: reason`` and skipped, good rows are
written to ``knowledge/data/vacancies.csv`` (replacing it, or added to it with ``--append``). The old
file is kept as a versioned backup, so ``/rollback`` can undo an import like any upload. A running
bot picks the new file up by itself (hot reload).
"""

from __future__ import annotations

import csv
import io
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from tqdm import tqdm

from ..admin import files
from ..knowledge import KnowledgeError
from ..services import regions
from ..services.jobs import vacancies

TARGET = vacancies.PATH


def run_import(source: Path, root: Path, *, append: bool = False, out: TextIO = sys.stdout,
               err: TextIO = sys.stderr) -> int:
    """Import ``source`` into ``root``; 0 when at least one row was imported, 1 otherwise."""
    from ..sections import load_knowledge

    try:
        kb = load_knowledge(root)
    except KnowledgeError as exc:
        err.write(f"{exc}\nfix the knowledge folder first (python -m bot check)\n")
        return 1
    report = _validate(source, kb.extras[regions.SECTION], err)
    for line, reason in report.bad_rows:
        out.write(f"{source}:{line}: {reason}\n")
    kept = list(report.good_rows)
    if append:
        known = {v.id for v in report.good_rows}
        kept = [v for v in kb.extras[vacancies.SECTION] if v.id not in known] + kept
    if not report.good_rows:
        out.write(f"nothing imported: 0 good rows, {len(report.bad_rows)} bad\n")
        return 1
    _write(root, kept)
    out.write(f"imported {len(report.good_rows)} vacancies ({len(report.bad_rows)} bad rows skipped); "
              f"{root / TARGET} now holds {len(kept)}\n")
    return 0


def _validate(source: Path, places: regions.Regions, err: TextIO) -> vacancies.ImportReport:
    bar = tqdm(total=0, unit="row", desc="checking", file=err)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    try:
        return vacancies.import_vacancies_csv(source, places, progress=progress)
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
        writer.writerow([v.id, v.title, v.employer, v.city, v.province, v.education,
                         "" if v.salary_min is None else v.salary_min, "" if v.salary_max is None else v.salary_max,
                         v.closing_text, v.how_to_apply, "yes" if v.sample else "no"])
    return buffer.getvalue()
