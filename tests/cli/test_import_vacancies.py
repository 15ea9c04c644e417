"""``python -m bot import-vacancies``: bad rows reported with their line, good rows kept, old file backed up."""

from __future__ import annotations

import io
import json
import shutil
from datetime import date
from pathlib import Path

from bot.cli.vacancies import run_import
from bot.sections import load_knowledge

ROOT = Path(__file__).resolve().parents[2]
HEADER = "id,title,employer,city,province,education,salary_min,salary_max,closing_date,how_to_apply\n"
ROWS = [
    "V-1,Operator Produksi,PT Satu,Bekasi,Jawa Barat,SMA/SMK,4500000,5500000,2027-03-01,karirhub.kemnaker.go.id\n",
    "V-2,Kasir,Toko Dua,Atlantis,Jawa Barat,SMA/SMK,,,2027-03-01,karirhub.kemnaker.go.id\n",
    "V-3,,PT Tiga,Medan,Sumatera Utara,S1,,,2027-03-01,karirhub.kemnaker.go.id\n",
    "V-4,Admin,PT Empat,Medan,Sumatera Utara,S1,6000000,5000000,2027-03-01,karirhub.kemnaker.go.id\n",
    "V-5,Driver,PT Lima,Surabaya,Jawa Timur,SMA/SMK,,,31-02-2027,karirhub.kemnaker.go.id\n",
    "V-6,Security,PT Enam,Makassar,Sulawesi Selatan,SMA/SMK,,,2027-04-01,karirhub.kemnaker.go.id\n",
]


def setup(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", root, ignore=shutil.ignore_patterns(".backups"))
    source = tmp_path / "export.csv"
    source.write_text(HEADER + "".join(ROWS), encoding="utf-8")
    return root, source


def test_import_reports_bad_rows_by_line_and_keeps_the_good_ones(tmp_path: Path) -> None:
    root, source = setup(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    assert run_import(source, root, out=out, err=err) == 0
    report = out.getvalue()
    bad_lines = sorted(
        int(line.split(":")[1]) for line in report.splitlines() if line.startswith(str(source))
    )
    assert bad_lines == [3, 4, 5, 6]
    assert "imported 2 vacancies (4 bad rows skipped, 0 closed rows dropped, 0 held for an admin)" in report
    kb = load_knowledge(root)
    assert [v.id for v in kb.extras["vacancies"]] == ["V-1", "V-6"]
    assert list((root / ".backups").glob("*/data/vacancies.csv")), "the previous file is kept as a backup"


def test_append_keeps_the_current_vacancies(tmp_path: Path) -> None:
    root, source = setup(tmp_path)
    before = len(load_knowledge(root).extras["vacancies"])
    assert run_import(source, root, append=True, out=io.StringIO(), err=io.StringIO()) == 0
    assert len(load_knowledge(root).extras["vacancies"]) == before + 2


def test_an_export_with_no_good_rows_changes_nothing(tmp_path: Path) -> None:
    root, source = setup(tmp_path)
    source.write_text(HEADER + ROWS[1] + ROWS[2], encoding="utf-8")
    original = (root / "data" / "vacancies.csv").read_bytes()
    assert run_import(source, root, out=io.StringIO(), err=io.StringIO()) == 1
    assert (root / "data" / "vacancies.csv").read_bytes() == original


def test_json_lines_closed_rows_and_rows_asking_for_money(tmp_path: Path) -> None:
    """JSON Lines as well as CSV; closed rows dropped; rows asking applicants to pay held for an admin."""
    root, _ = setup(tmp_path)
    base = {
        "employer": "PT Contoh",
        "city": "Bekasi",
        "province": "Jawa Barat",
        "education": "SLTA",
        "salary_min": 4500000,
        "salary_max": None,
        "closing_date": "2027-03-01",
        "how_to_apply": "karirhub.kemnaker.go.id",
    }
    lines = [
        json.dumps({**base, "id": "J-1", "title": "Operator Produksi"}),
        json.dumps({**base, "id": "J-2", "title": "Admin", "closing_date": "2026-01-31"}),
        json.dumps(
            {
                **base,
                "id": "J-3",
                "title": "Kasir",
                "how_to_apply": "Transfer biaya pendaftaran Rp150.000 sebelum interview",
            }
        ),
        "{not json",
        json.dumps({**base, "id": "J-1", "title": "Operator Produksi"}),
        json.dumps(["a", "list"]),
        json.dumps({**base, "id": "J-4", "title": "Security", "education": "Sarjana"}),
    ]
    source = tmp_path / "export.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = io.StringIO()
    assert run_import(source, root, out=out, err=io.StringIO(), today=date(2026, 12, 4)) == 0
    report = out.getvalue()
    assert (
        f"{source}:4: not valid JSON" in report and f"{source}:5: id 'J-1' already used on line 1" in report
    )
    assert f"{source}:6: each line must be one JSON object" in report
    assert "imported 2 vacancies (3 bad rows skipped, 1 closed rows dropped, 1 held for an admin)" in report
    kept = {v.id: v for v in load_knowledge(root).extras["vacancies"]}
    assert set(kept) == {"J-1", "J-4"} and kept["J-1"].education == "SMA" and kept["J-4"].education == "S1"
    held = (tmp_path / "export.held.csv").read_text(encoding="utf-8")
    assert held.startswith("line,reason,id,") and "J-3" in held and "asks applicants for money" in held


def test_a_broken_file_leaves_the_published_vacancies_alone(tmp_path: Path) -> None:
    root, source = setup(tmp_path)
    original = (root / "data" / "vacancies.csv").read_bytes()
    source.write_bytes(b"\x00\xff garbage \xfe")
    assert run_import(source, root, out=io.StringIO(), err=io.StringIO()) == 1
    source.write_text("id;title;city\nX;Y;Z\n", encoding="utf-8")  # wrong separator: no columns
    assert run_import(source, root, out=io.StringIO(), err=io.StringIO()) == 1
    assert (root / "data" / "vacancies.csv").read_bytes() == original
