"""Vacancy search and import at real data volumes: 1,000, 10,000 and 50,000 synthetic vacancies.

    python benchmarks/jobs.py              # from the repository root; about a minute

Prints Markdown tables:

a) search latency per request (parse the message + rank for the person + first page), p50 and p99,
   Pandu's indexed :func:`bot.services.jobs.matching.rank` next to a plain linear scan of every
   vacancy with the same rules (:func:`linear_rank`) and the older ``search.search``; plus the time to
   build the index once after a reload. Targets: p99 <= 20 ms.
b) import time of an export of that many rows (CSV and JSON Lines): reading and checking every row
   (``importing.read_export``), and the whole ``import-vacancies`` command into a copy of the knowledge
   folder (loading the knowledge, checking, writing the file and its backup). Target: 50,000 <= 10 s.

Synthetic vacancies use the real occupations (titles from the synonym table), real places (three in
four in the 40 largest job markets, the rest anywhere in Indonesia), all education levels and closing
dates from 30 days ago to 180 days ahead. Latencies are wall-clock ``perf_counter`` around each call.
This is a script, not a test: compare the columns of one run, not runs on different days.
"""

from __future__ import annotations

import csv
import io
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.cli.vacancies import run_import  # noqa: E402
from bot.services import load_service_data  # noqa: E402
from bot.services.jobs import importing  # noqa: E402
from bot.services.jobs.catalog import JobCatalog  # noqa: E402
from bot.services.jobs.matching import VacancyIndex, linear_rank, need_from, rank  # noqa: E402
from bot.services.jobs.search import parse_job_query, search  # noqa: E402
from bot.services.jobs.vacancies import REQUIRED_COLUMNS, Vacancy  # noqa: E402
from bot.services.regions import Regions  # noqa: E402

SIZES = (1_000, 10_000, 50_000)
TODAY = date(2026, 12, 4)
EDUCATION = ("SD", "SMP", "SMA/SMK", "SMA/SMK", "SMA/SMK", "SMK", "D3", "S1", "")
QUERIES = (
    "loker kurir sby lulusan sma",
    "lowongan kerja di surabaya lulusan smk",
    "operator produksi bekasi",
    "kasir jakarta selatan",
    "cari kerja admin di bandung, sy tamatan smk",
    "satpam semarang",
    "sopir truk medan",
    "lowongan perawat di makassar d3",
    "barista denpasar",
    "teknisi ac balikpapan lulusan stm",
    "staf gudang cikarang",
    "loker cleaning service jaksel lulusan sd",
    "programmer yogyakarta s1",
    "lowongan di jawa barat lulusan smp",
    "customer service batam",
    "loker spg makassar",
    "tukang las karawang",
    "operator forklift tangerang",
    "guru tk bogor",
    "admin online shop depok",
)


def synthetic(count: int, jobs: JobCatalog, regions: Regions, seed: int = 7) -> list[Vacancy]:
    rng = random.Random(seed)
    titles = [phrase.title() for o in jobs.occupations.values() for phrase in o.synonyms if len(phrase) > 3]
    places = [(p.name, c) for p in regions.provinces.values() for c in p.cities]
    busy = places[:0] + [
        (p, c)
        for p, c in places
        if c
        in {
            "Bekasi",
            "Tangerang",
            "Jakarta Selatan",
            "Jakarta Timur",
            "Jakarta Barat",
            "Jakarta Pusat",
            "Jakarta Utara",
            "Bandung",
            "Surabaya",
            "Sidoarjo",
            "Medan",
            "Semarang",
            "Makassar",
            "Karawang",
            "Bogor",
            "Depok",
            "Batam",
            "Denpasar",
            "Yogyakarta",
            "Malang",
            "Palembang",
            "Balikpapan",
            "Pekanbaru",
            "Serang",
            "Cilegon",
            "Tangerang Selatan",
            "Gresik",
            "Cirebon",
            "Surakarta",
            "Padang",
            "Banjarmasin",
            "Pontianak",
            "Manado",
            "Samarinda",
            "Kudus",
            "Purwakarta",
            "Sleman",
            "Bantul",
            "Jember",
            "Kediri",
        }
    ]
    out = []
    for i in range(count):
        province, city = rng.choice(busy) if rng.random() < 0.75 else rng.choice(places)
        low = rng.choice((None, rng.randrange(2_500_000, 7_000_000, 100_000)))
        out.append(
            Vacancy(
                f"SYN-{i:06d}",
                rng.choice(titles),
                f"PT Sintetis {i % 997}",
                city,
                province,
                rng.choice(EDUCATION),
                low,
                low + 1_000_000 if low else None,
                TODAY + timedelta(days=rng.randint(-30, 180)),
                "karirhub.kemnaker.go.id",
                False,
            )
        )
    return out


def _times(call: Callable[[str], object], queries: Sequence[str], rounds: int) -> list[float]:
    for q in queries:
        call(q)  # warm-up (memoised title lookups, first index)
    found = []
    for _ in range(rounds):
        for q in queries:
            start = time.perf_counter()
            call(q)
            found.append((time.perf_counter() - start) * 1000)
    return found


def _p(values: list[float], q: float) -> float:
    return (
        statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]
    )


def search_table(data: dict[str, object]) -> None:
    jobs, regions = data["jobs"], data["regions"]
    assert isinstance(jobs, JobCatalog) and isinstance(regions, Regions)
    print(
        "| vacancies | index build (ms) | Pandu p50 (ms) | Pandu p99 (ms) | linear p50 | linear p99 | "
        "old search p50 | old search p99 | p99 linear / Pandu |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for size in SIZES:
        vacancies = tuple(synthetic(size, jobs, regions))
        for v in vacancies:
            jobs.occupation_of(v.title)  # title lookups are memoised in the catalogue for both
        start = time.perf_counter()
        index = VacancyIndex(vacancies, jobs, TODAY)
        build = (time.perf_counter() - start) * 1000
        rounds = 10
        fast, slow, older = _measure(vacancies, index, jobs, regions, rounds)
        print(
            f"| {size:,} | {build:.0f} | {_p(fast, 50):.2f} | {_p(fast, 99):.2f} | {_p(slow, 50):.2f} | "
            f"{_p(slow, 99):.2f} | {_p(older, 50):.2f} | {_p(older, 99):.2f} | {_p(slow, 99) / _p(fast, 99):.1f}× |"
        )


def _measure(
    vacancies: Sequence[Vacancy], index: VacancyIndex, jobs: JobCatalog, regions: Regions, rounds: int
) -> tuple[list[float], list[float], list[float]]:
    """Per-request times: parse + rank + count + first page, indexed and linear; the older search."""

    def pandu(text: str) -> object:
        need = need_from(parse_job_query(text, regions, jobs), nearby=True)
        found = rank(vacancies, need, TODAY, jobs=jobs, regions=regions, index=index)
        return len(found), found[:5]

    def linear(text: str) -> object:
        need = need_from(parse_job_query(text, regions, jobs), nearby=True)
        found = linear_rank(vacancies, need, TODAY, jobs=jobs, regions=regions)
        return len(found), found[:5]

    def old(text: str) -> object:
        return search(vacancies, parse_job_query(text, regions, jobs), TODAY, jobs=jobs, regions=regions)

    for q in QUERIES:
        assert pandu(q) == linear(q), q
    return _times(pandu, QUERIES, rounds), _times(linear, QUERIES, rounds), _times(old, QUERIES, 1)


def _write_export(path: Path, rows: Sequence[Vacancy], kind: str) -> None:
    keys = REQUIRED_COLUMNS  # the export format the import reads
    records = [
        (
            v.id,
            v.title,
            v.employer,
            v.city,
            v.province,
            v.education,
            v.salary_min or "",
            v.salary_max or "",
            v.closing_text,
            v.how_to_apply,
        )
        for v in rows
    ]
    if kind == importing.CSV:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(keys)
        writer.writerows(records)
        path.write_text(buffer.getvalue(), encoding="utf-8")
    else:
        path.write_text(
            "".join(json.dumps(dict(zip(keys, r, strict=True))) + "\n" for r in records), encoding="utf-8"
        )


def import_table(data: dict[str, object]) -> None:
    jobs, regions = data["jobs"], data["regions"]
    assert isinstance(jobs, JobCatalog) and isinstance(regions, Regions)
    print("| rows | format | read + check (s) | rows/s | whole import-vacancies (s) | kept | closed | bad |")
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        knowledge = work / "knowledge"
        shutil.copytree(ROOT / "knowledge", knowledge, ignore=shutil.ignore_patterns(".backups"))
        for size in SIZES:
            rows = synthetic(size, jobs, regions, seed=size)
            for kind in (importing.CSV, importing.JSONL):
                source = work / f"export-{size}.{kind}"
                _write_export(source, rows, kind)
                start = time.perf_counter()
                export = importing.read_export(source, regions, TODAY)
                checked = time.perf_counter() - start
                start = time.perf_counter()
                status = run_import(source, knowledge, out=io.StringIO(), err=io.StringIO(), today=TODAY)
                whole = time.perf_counter() - start
                assert status == 0
                print(
                    f"| {size:,} | {kind} | {checked:.2f} | {size / checked:,.0f} | {whole:.2f} | {len(export.good):,} "
                    f"| {len(export.expired):,} | {len(export.bad):,} |"
                )


def main() -> int:
    data = load_service_data(ROOT / "knowledge")
    print(f"Python {sys.version.split()[0]}, today {TODAY}, {len(QUERIES)} requests\n")
    search_table(data)
    print()
    import_table(data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
