"""Matching and ranking for a person (bot.services.jobs.matching), on the real sample vacancies."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from bot.services.jobs.education import admits
from bot.services.jobs.matching import ISLAND, PLACE, PROVINCE, Need, linear_rank, need_from, rank
from bot.services.jobs.search import parse_job_query
from bot.services.jobs.vacancies import Vacancy

from .conftest import TODAY


def _rank(data, text: str, **need):
    query = parse_job_query(text, data["regions"], data["jobs"])
    found = rank(
        data["vacancies"], need_from(query, **need), TODAY, jobs=data["jobs"], regions=data["regions"]
    )
    return query, found


def test_smk_in_surabaya_is_an_education_not_a_job(data) -> None:
    """The known bug: 'smk' was read as a job title and nothing was found."""
    query, found = _rank(data, "lowongan kerja di surabaya lulusan smk")
    assert query.education == "SMK" and not query.has_job and query.place.name == "Surabaya"
    titles = {r.vacancy.title for r in found}
    assert {"Kasir Minimarket", "Kurir Paket", "Kasir Toko"} <= titles
    assert all(r.vacancy.city == "Surabaya" and admits(r.vacancy.education, "SMK") for r in found)
    assert "Tutor Bimbel" not in titles and "Customer Service Online" not in titles  # S1 only


def test_never_offers_s1_only_vacancies_to_an_smk_graduate(data) -> None:
    for r in rank(data["vacancies"], Need(education="SMK"), TODAY, jobs=data["jobs"]):
        assert r.vacancy.education not in ("S1", "D3")


def test_expired_vacancies_are_never_shown(data) -> None:
    found = rank(data["vacancies"], Need(), TODAY, jobs=data["jobs"])
    assert found and all(r.vacancy.open_on(TODAY) for r in found)
    assert "CTH-0147" not in {r.vacancy.id for r in found}  # Sales Executive Surabaya, closed


def test_synonyms_name_one_occupation(data) -> None:
    ids = [
        {r.vacancy.id for r in _rank(data, text)[1]}
        for text in ("kasir surabaya", "cashier surabaya", "kasir minimarket surabaya", "kasri surabaya")
    ]
    assert ids[0] and all(found == ids[0] for found in ids)


def test_operator_pabrik_finds_operator_produksi(data) -> None:
    titles = {r.vacancy.title for r in _rank(data, "operator pabrik bekasi")[1]}
    assert "Operator Produksi Makanan" in titles and "Operator Jahit" not in titles


def test_place_goes_city_then_province_then_island_when_nearby_is_fine(data) -> None:
    _, near = _rank(data, "kurir surabaya", nearby=True)
    tiers = [r.tier for r in near]
    assert tiers == sorted(tiers) and tiers[0] == PLACE and ISLAND in tiers
    _, only = _rank(data, "kurir surabaya")
    assert {r.tier for r in only} == {PLACE}
    _, operators = _rank(data, "operator surabaya", nearby=True)
    assert PROVINCE in {r.tier for r in operators} and operators[0].vacancy.province == "Jawa Timur"


def test_each_result_says_why_it_fits(data) -> None:
    _, found = _rank(data, "loker kasir sby lulusan sma")
    assert found[0].why(data["jobs"], "id") == "SMA/SMK · Surabaya · Kasir"
    assert found[0].why(data["jobs"], "en") == "SMA/SMK · Surabaya · Cashier"


def test_pay_below_the_expected_wage_comes_last(data) -> None:
    base = Vacancy(
        "X1",
        "Kasir Toko",
        "Toko",
        "Surabaya",
        "Jawa Timur",
        "SMA/SMK",
        3_000_000,
        3_500_000,
        TODAY + timedelta(days=1),
        "-",
        False,
    )
    rich = replace(
        base, id="X2", salary_min=5_000_000, salary_max=6_000_000, closing_date=TODAY + timedelta(days=9)
    )
    unknown = replace(base, id="X3", salary_min=None, salary_max=None, closing_date=TODAY + timedelta(days=5))
    vacancies = (base, rich, unknown)
    need = need_from(parse_job_query("kasir surabaya", data["regions"], data["jobs"]), wage=4_500_000)
    found = rank(vacancies, need, TODAY, jobs=data["jobs"], regions=data["regions"])
    assert [r.vacancy.id for r in found] == ["X2", "X3", "X1"]
    assert [r.pay_ok for r in found] == [True, None, False]


def test_the_index_gives_the_same_answers_as_a_linear_scan(data) -> None:
    for text in (
        "kasir surabaya",
        "operator bekasi",
        "lulusan smp jawa barat",
        "s1 jakarta",
        "kurir",
        "barista medan",
    ):
        for nearby in (False, True):
            query = parse_job_query(text, data["regions"], data["jobs"])
            need = need_from(query, nearby=nearby)
            args = {"jobs": data["jobs"], "regions": data["regions"]}
            assert rank(data["vacancies"], need, TODAY, **args) == linear_rank(
                data["vacancies"], need, TODAY, **args
            )


def test_a_new_vacancy_list_gets_a_new_index(data) -> None:
    one = rank(data["vacancies"], Need(), TODAY, jobs=data["jobs"])
    fewer = tuple(data["vacancies"][:10])
    assert len(rank(fewer, Need(), TODAY, jobs=data["jobs"])) <= 10 < len(one)
    assert date(2026, 11, 22) == TODAY
