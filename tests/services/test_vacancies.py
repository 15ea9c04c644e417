"""Vacancy CSV: the sample file's shape, and importing an export with a bad-row report."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.services.jobs.vacancies import import_vacancies_csv

TODAY = date(2026, 11, 22)
HEADER = "id,title,employer,city,province,education,salary_min,salary_max,closing_date,how_to_apply\n"


def test_sample_file_is_big_varied_and_labelled(data) -> None:
    vacancies = data["vacancies"]
    assert len(vacancies) >= 320
    assert len({v.city for v in vacancies}) >= 30
    assert len({v.province for v in vacancies}) >= 12
    assert all(v.sample and "(contoh)" in v.employer for v in vacancies)
    assert all("karirhub.kemnaker.go.id" in v.how_to_apply for v in vacancies)
    assert {"SD", "SMP", "SMA/SMK", "D3", "S1"} <= {v.education for v in vacancies}


@pytest.mark.parametrize("today", [TODAY, date(2027, 9, 1), date(2031, 2, 28)])
def test_sample_file_has_about_ten_percent_expired_on_any_date(data, today: date) -> None:
    """Sample closing dates count from today, so the sample never goes stale."""
    vacancies = data["vacancies"]
    expired = sum(not v.open_on(today) for v in vacancies)
    assert 0.05 <= expired / len(vacancies) <= 0.15
    assert all(
        today + timedelta(days=7) <= v.closes_on(today) <= today + timedelta(days=240)
        for v in vacancies
        if v.open_on(today)
    )


def test_relative_closing_dates_are_for_sample_rows_only(tmp_path: Path, data) -> None:
    path = write(
        tmp_path,
        "\n".join(
            [
                "S1,Kasir,Toko (contoh),Medan,Sumatera Utara,SMA,,,+30,karirhub,yes",
                "S2,Kasir,Toko (contoh),Medan,Sumatera Utara,SMA,,,-3,karirhub,yes",
                "R1,Kasir,Toko Asli,Medan,Sumatera Utara,SMA,,,+30,karirhub,no",
                "R2,Kasir,Toko Asli,Medan,Sumatera Utara,SMA,,,2027-01-31,karirhub,no",
            ]
        )
        + "\n",
        header=HEADER.strip() + ",sample\n",
    )
    report = import_vacancies_csv(path, data["regions"])
    good = {v.id: v for v in report.good_rows}
    assert good["S1"].closes_on(TODAY) == date(2026, 12, 22) and good["S1"].closing_text == "+30"
    assert not good["S2"].open_on(TODAY) and good["S2"].closing_text == "-3"
    assert (
        good["R2"].closes_on(date(2030, 1, 1)) == date(2027, 1, 31)
        and good["R2"].closing_text == "2027-01-31"
    )
    assert report.bad_rows == (
        (4, "closing_date '+30': days from today are only for sample rows (sample: yes)"),
    )


def test_sample_file_covers_many_occupations(data) -> None:
    counts = Counter(data["jobs"].occupation_of(v.title) for v in data["vacancies"])
    assert None not in counts
    assert len(counts) >= 25


def write(tmp_path: Path, body: str, header: str = HEADER) -> Path:
    path = tmp_path / "export.csv"
    path.write_text(header + body, encoding="utf-8")
    return path


def test_import_keeps_good_rows_and_reports_bad_ones_with_line_numbers(tmp_path: Path, data) -> None:
    path = write(
        tmp_path,
        "\n".join(
            [
                "A1,Operator Produksi,PT A,Bekasi,Jawa Barat,SMA/SMK,5000000,6000000,2027-01-31,karirhub",  # line 2 ok
                "A2,Kasir,PT B,Bandung,Jawa Barat,SMA/SMK,,,31-01-2027,karirhub",  # 3 bad date
                "A3,,PT C,Bandung,Jawa Barat,SMA/SMK,,,2027-01-31,karirhub",  # 4 no title
                "A4,Admin,PT D,,Jawa Barat,S1,,,2027-01-31,karirhub",  # 5 no city
                "A5,Admin,PT E,Bandung,Jawa Tengahh,S1,,,2027-01-31,karirhub",  # 6 province
                "A6,Admin,PT F,Surabaya,Jawa Barat,S1,,,2027-01-31,karirhub",  # 7 city
                "A7,Admin,PT G,Depok,Jawa Barat,S1,7000000,5000000,2027-01-31,karirhub",  # 8 salary
                "A1,Admin,PT H,Depok,Jawa Barat,S1,,,2027-01-31,karirhub",  # 9 duplicate
                "A8,Admin,PT I,jkt,DKI Jakarta,S1,4.500.000,,2027-02-30,karirhub",  # 10 bad day
                "A9,Driver,PT J,Cikarang,Jawa Barat,SMP,lima juta,,2027-01-31,karirhub",  # 11 salary text
                "A10,Driver,PT K,Medan,Sumatera Utara,SLTB,,,2027-01-31,karirhub",  # 12 education
                "",
                "A11,Security,PT L,Sleman,DI Yogyakarta,SMA/SMK,3000000,3500000,2027-03-01,karirhub",  # 14 ok
            ]
        )
        + "\n",
    )
    report = import_vacancies_csv(path, data["regions"])
    assert [v.id for v in report.good_rows] == ["A1", "A11"]
    assert [line for line, _ in report.bad_rows] == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    reasons = dict(report.bad_rows)
    assert (
        "closing_date" in reasons[3] and "title is missing" in reasons[4] and "city is missing" in reasons[5]
    )
    assert "unknown province" in reasons[6] and "unknown city 'Surabaya'" in reasons[7]
    assert "more than salary_max" in reasons[8] and "already used on line 2" in reasons[9]
    assert "closing_date" in reasons[10] and "salary_min" in reasons[11] and "education" in reasons[12]


def test_import_resolves_aliases_and_reads_dotted_salaries(tmp_path: Path, data) -> None:
    path = write(tmp_path, "B1,Admin,PT A,Cikarang,jabar,D3,4.500.000,5.000.000,2027-01-31,karirhub\n")
    (vacancy,) = import_vacancies_csv(path, data["regions"]).good_rows
    assert (vacancy.city, vacancy.province, vacancy.salary_min) == ("Bekasi", "Jawa Barat", 4_500_000)
    assert vacancy.sample is False and vacancy.line == 2


def test_import_reports_missing_columns_on_line_1(tmp_path: Path, data) -> None:
    path = write(tmp_path, "C1,Admin\n", header="id,title\n")
    report = import_vacancies_csv(path, data["regions"])
    assert report.good_rows == () and report.bad_rows[0][0] == 1 and "city" in report.bad_rows[0][1]


def test_import_reports_progress_for_each_row(tmp_path: Path, data) -> None:
    rows = "".join(f"D{i},Admin,PT A,Depok,Jawa Barat,S1,,,2027-01-31,karirhub\n" for i in range(4))
    seen: list[tuple[int, int]] = []
    import_vacancies_csv(
        write(tmp_path, rows), data["regions"], progress=lambda done, total: seen.append((done, total))
    )
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_import_of_an_unreadable_file(tmp_path: Path, data) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"\xff\xfe\x00bad")
    report = import_vacancies_csv(path, data["regions"])
    assert report.good_rows == () and report.bad_rows[0][0] == 1


def test_quoted_fields_with_commas_and_line_numbers_after_them(tmp_path: Path, data) -> None:
    body = (
        'E1,"Admin, Gudang","PT A, Tbk (contoh)",Depok,Jawa Barat,S1,,,2027-01-31,karirhub\n'
        "E2,Admin,PT B,Depok,Jawa Barat,S1,,,2027-13-01,karirhub\n"
    )
    report = import_vacancies_csv(write(tmp_path, body), data["regions"])
    assert report.good_rows[0].title == "Admin, Gudang" and report.bad_rows[0][0] == 3
