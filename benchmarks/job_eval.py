"""Job-matching evaluation: how often Pandu's top 3 vacancies hold one a counsellor would judge fitting.

    python benchmarks/job_eval.py [REQUESTS.yaml]      # default tests/data/job_requests.yaml

The requests were written blind (by someone who had not seen the matcher); each says what fits as
occupation, place and education. How a vacancy is judged fitting, and why some requests cannot be
answered from the sample data at all, is in ``bot/services/jobs/evaluate.py``. Prints a Markdown table
per request and a summary, for the plain search (the city named) and with nearby places (a profile's
default: province, then island).
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.services import load_service_data  # noqa: E402
from bot.services.jobs.evaluate import evaluate, requests_from, summarise  # noqa: E402

TODAY = date(2026, 11, 22)  # the sample's closing dates are days from today; the tests' date


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else ROOT / "tests" / "data" / "job_requests.yaml"
    requests = requests_from(yaml.safe_load(path.read_text(encoding="utf-8")))
    data = load_service_data(ROOT / "knowledge")
    jobs, regions, vacancies = data["jobs"], data["regions"], data["vacancies"]
    print(f"{len(requests)} requests from {path.name}; {len(vacancies)} sample vacancies; today {TODAY}\n")
    print(
        "| # | request | read: edu · place · job | fitting (city/prov) | hit, city named (city/prov) "
        "| hit, nearby (city/prov) |"
    )
    print("|---|---|---|---|---|---|")
    plain = evaluate(requests, vacancies, TODAY, jobs, regions)
    near = evaluate(requests, vacancies, TODAY, jobs, regions, nearby=True)
    for n, (row, wide) in enumerate(zip(plain, near, strict=True), start=1):
        read = f"{row.read_education or '-'} · {row.read_place or '-'} · {', '.join(row.read_job) or '-'}"
        print(
            f"| {n} | {row.request.text[:60]} | {read} | {row.fitting_strict}/{row.fitting_province} | "
            f"{_mark(row.hit_strict, row.fitting_strict)}/{_mark(row.hit_province, row.fitting_province)} | "
            f"{_mark(wide.hit_strict, wide.fitting_strict)}/{_mark(wide.hit_province, wide.fitting_province)} |"
        )
    print()
    print(
        "| search | requests | answerable (city) | top-3 hit (city) | answerable (province) | top-3 hit (province) "
        "| education read right | place read right |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for label, nearby in (("city named", False), ("with nearby places", True)):
        s = summarise(evaluate(requests, vacancies, TODAY, jobs, regions, nearby=nearby), regions)
        print(
            f"| {label} | {s.requests} | {s.answerable_strict} | {s.hits_strict}/{s.answerable_strict} "
            f"({_pct(s.hits_strict, s.answerable_strict)}) | {s.answerable_province} | {s.hits_province}/"
            f"{s.answerable_province} ({_pct(s.hits_province, s.answerable_province)}) | "
            f"{s.education_read}/{s.requests} | {s.place_read}/{s.requests} |"
        )
    print("\n✔ a fitting vacancy in the top 3 · ✘ none though one exists · · none exists in the sample data")
    return 0


def _mark(hit: bool, fitting: int) -> str:
    return "✔" if hit else "✘" if fitting else "·"


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
