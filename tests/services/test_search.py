"""Vacancy search: query parsing, typos, synonyms, aliases, provinces, paging, expiry, suggestions."""

from __future__ import annotations

from datetime import date

import pytest

from bot.services.jobs.search import PAGE_SIZE, parse_job_query, search
from bot.services.jobs.vacancies import Vacancy

TODAY = date(2026, 11, 22)


def vac(ident: str, title: str, city: str, province: str, closing: str = "2027-01-31") -> Vacancy:
    return Vacancy(
        ident,
        title,
        "PT Contoh (contoh)",
        city,
        province,
        "SMA/SMK",
        None,
        None,
        date.fromisoformat(closing),
        "karirhub.kemnaker.go.id",
        True,
    )


SAMPLE = [
    *(
        vac(f"OP{i:02d}", "Operator Produksi", "Bekasi", "Jawa Barat", f"2027-01-{i + 1:02d}")
        for i in range(12)
    ),
    vac("OPX", "Operator Produksi", "Bekasi", "Jawa Barat", "2026-11-21"),  # expired yesterday
    vac("OPT", "Operator Produksi", "Bekasi", "Jawa Barat", "2026-11-22"),  # closes today: still open
    vac("JAH", "Operator Jahit", "Bekasi", "Jawa Barat"),
    vac("SEC", "Security", "Bandung", "Jawa Barat"),
    vac("SEC2", "Satpam Pabrik", "Jakarta Selatan", "DKI Jakarta"),
    vac("ADM", "Staf Administrasi", "Jakarta Pusat", "DKI Jakarta"),
    vac("KAS", "Kasir Minimarket", "Yogyakarta", "DI Yogyakarta"),
    vac("KAS2", "Kasir Toko", "Karawang", "Jawa Barat"),
    vac("PRA", "Pramuniaga", "Bandung", "Jawa Barat"),
    vac("MDN", "Kurir Paket", "Medan", "Sumatera Utara"),
    vac("GUD", "Helper Gudang", "Surabaya", "Jawa Timur"),
]


@pytest.fixture
def parse(data):
    return lambda text: parse_job_query(text, data["regions"], data["jobs"])


@pytest.fixture
def find(data, parse):
    return lambda text, page=1: search(SAMPLE, parse(text), TODAY, page, jobs=data["jobs"])


@pytest.mark.parametrize(
    ("text", "occupations", "place"),
    [
        ("loker operator produksi di bekasi", ("operator_produksi",), "Bekasi"),
        ("lowker admin jkt", ("admin",), "DKI Jakarta"),
        ("cari kerja jadi kasir daerah bandung", ("kasir",), "Bandung"),
        ("looking for a job in Medan", (), "Medan"),
        ("loker pabrik karawang terbaru", ("operator_produksi",), "Karawang"),
        ("any warehouse jobs in tangerang", ("staf_gudang",), "Tangerang"),
        ("lowongan dibekasi", (), "Bekasi"),
        ("loker satpam", ("security",), None),
        ("ada lowongan kerja untuk saya?", (), None),
    ],
)
def test_parse_job_query_splits_job_and_place(parse, text, occupations, place) -> None:
    query = parse(text)
    assert query.occupations == occupations
    assert (query.place.name if query.place else None) == place


def test_unknown_job_words_are_kept_as_free_words(parse) -> None:
    query = parse("lowongan tukang kebun bogor")
    assert query.words == ("tukang", "kebun") and query.place is not None and query.place.name == "Bogor"


@pytest.mark.parametrize(
    "text", ["oprator produksi bekasi", "operator produksii di bks", "operator pabrik cikarang"]
)
def test_typos_synonyms_and_aliases_find_the_same_vacancies(find, text: str) -> None:
    result = find(text)
    assert result.total == 13
    assert all(v.title == "Operator Produksi" for v in result.items)


def test_synonym_satpam_finds_security(find) -> None:
    assert {v.id for v in find("satpam jawa barat").items} == {"SEC"}
    assert {v.id for v in find("lowongan security").items} == {"SEC", "SEC2"}


def test_occupation_of_the_title_decides_not_any_shared_word(find) -> None:
    assert "JAH" not in {v.id for v in find("operator produksi").items}
    assert {v.id for v in find("penjahit bekasi").items} == {"JAH"}


def test_province_only_query(find) -> None:
    result = find("loker jawa barat")
    assert result.total == 13 + 1 + 1 + 1 + 1 and {v.province for v in result.items} == {"Jawa Barat"}


def test_city_alias_jkt_means_all_of_jakarta(find) -> None:
    assert {v.id for v in find("lowongan jkt").items} == {"SEC2", "ADM"}


def test_five_per_page_and_pages_clamp(find) -> None:
    first, third, beyond = (
        find("operator produksi bekasi"),
        find("operator produksi bekasi", 3),
        find("operator produksi bekasi", 9),
    )
    assert len(first.items) == PAGE_SIZE and first.pages == 3 and first.total == 13
    assert len(third.items) == 3 and third.page == 3
    assert beyond.page == 3 and beyond.items == third.items


def test_soonest_closing_first(find) -> None:
    dates = [v.closes_on(TODAY) for v in find("operator produksi bekasi").items]
    assert dates == sorted(dates) and dates[0] == TODAY


def test_expired_vacancies_never_show(find) -> None:
    ids = {v.id for page in (1, 2, 3) for v in find("operator produksi bekasi", page).items}
    assert "OPX" not in ids and "OPT" in ids


def test_no_match_suggests_places_in_the_same_province_first(find) -> None:
    result = find("kasir bandung")
    assert result.total == 0
    assert result.nearby[0] == "Karawang"  # same province (Jawa Barat)
    assert "Yogyakarta" in result.nearby  # then elsewhere


def test_no_match_suggests_related_jobs_with_vacancies_there(find) -> None:
    assert find("kasir bandung").related == ("pramuniaga",)


def test_nothing_anywhere_gives_no_suggestions(find) -> None:
    result = find("welder jayapura")
    assert result.total == 0 and result.nearby == () and result.related == ()


def test_real_data_search_never_returns_expired(data, parse) -> None:
    vacancies = data["vacancies"]
    for text in ("operator produksi bekasi", "admin jkt", "loker jawa barat", "kasir"):
        query = parse(text)
        result = search(vacancies, query, TODAY, jobs=data["jobs"])
        for page in range(1, result.pages + 1):
            assert all(
                v.closes_on(TODAY) >= TODAY
                for v in search(vacancies, query, TODAY, page, jobs=data["jobs"]).items
            )


def test_search_without_the_catalogue_matches_title_phrases(parse) -> None:
    result = search(SAMPLE, parse("kasir"), TODAY)
    assert {v.id for v in result.items} == {"KAS", "KAS2"}


def test_suggested_places_on_the_same_island_come_before_busier_places_further_away(data, parse) -> None:
    vacancies = [
        *(vac(f"M{i}", "Kurir Paket", "Medan", "Sumatera Utara") for i in range(3)),
        vac("S1", "Kurir Paket", "Surabaya", "Jawa Timur"),
    ]
    query = parse("kurir bandung")
    assert search(vacancies, query, TODAY, jobs=data["jobs"], regions=data["regions"]).nearby == (
        "Surabaya",
        "Medan",
    )
    assert search(vacancies, query, TODAY, jobs=data["jobs"]).nearby == (
        "Medan",
        "Surabaya",
    )  # without islands: busiest


def test_regions_know_each_provinces_island(data) -> None:
    regions = data["regions"]
    assert regions.islands_of(["Jawa Barat", "Banten"]) == {"Jawa"}
    assert regions.islands_of(["Kepulauan Riau"]) == {"Sumatera"}
    assert all(p.island for p in regions.provinces.values())


def test_an_unknown_job_suggests_other_jobs_open_in_the_place(find) -> None:
    result = find("pilot bekasi")
    assert result.total == 0 and result.related == ()
    assert result.others[0] == "operator_produksi"  # most open vacancies in Bekasi


def test_other_jobs_are_not_offered_when_related_jobs_are(find) -> None:
    assert find("kasir bandung").others == ()
