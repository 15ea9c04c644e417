"""``python -m bot import-vacancies``: bad rows reported with their line, good rows kept, old file backed up."""

from __future__ import annotations

import io
import shutil
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
    bad_lines = sorted(int(line.split(":")[1]) for line in report.splitlines() if line.startswith(str(source)))
    assert bad_lines == [3, 4, 5, 6]
    assert "imported 2 vacancies (4 bad rows skipped)" in report
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
