"""Places: provinces, kabupaten/kota, aliases, typos."""

from __future__ import annotations

import pytest

from bot.services.regions import CITY, PROVINCE, Regions, short_name


@pytest.fixture
def regions(data) -> Regions:
    return data["regions"]


def test_all_38_provinces_and_514_regencies(regions: Regions) -> None:
    assert len(regions.provinces) == 38
    assert sum(len(p.regencies) for p in regions.provinces.values()) == 514
    assert {"Papua Barat Daya", "Papua Pegunungan", "DKI Jakarta", "DI Yogyakarta"} <= set(regions.provinces)


@pytest.mark.parametrize(
    ("text", "kind", "name"),
    [
        ("bandung", CITY, "Bandung"),
        ("Kota Bandung", CITY, "Bandung"),
        ("kabupaten bandung", CITY, "Bandung"),
        ("jkt", PROVINCE, "DKI Jakarta"),
        ("jakarta", PROVINCE, "DKI Jakarta"),
        ("jaksel", CITY, "Jakarta Selatan"),
        ("bdg", CITY, "Bandung"),
        ("sby", CITY, "Surabaya"),
        ("jogja", CITY, "Yogyakarta"),
        ("yogya", CITY, "Yogyakarta"),
        ("bks", CITY, "Bekasi"),
        ("cikarang", CITY, "Bekasi"),
        ("tng", CITY, "Tangerang"),
        ("mdn", CITY, "Medan"),
        ("smg", CITY, "Semarang"),
        ("mks", CITY, "Makassar"),
        ("solo", CITY, "Surakarta"),
        ("jawa barat", PROVINCE, "Jawa Barat"),
        ("jabar", PROVINCE, "Jawa Barat"),
        ("west java", PROVINCE, "Jawa Barat"),
        ("ntt", PROVINCE, "Nusa Tenggara Timur"),
        ("pangkep", CITY, "Pangkajene dan Kepulauan"),
    ],
)
def test_names_aliases_and_provinces(regions: Regions, text: str, kind: str, name: str) -> None:
    place = regions.resolve(text)
    assert place is not None and (place.kind, place.name) == (kind, name)


@pytest.mark.parametrize(
    ("typo", "name"),
    [("bandng", "Bandung"), ("surabya", "Surabaya"), ("makasar", "Makassar"), ("semarng", "Semarang")],
)
def test_typos_in_place_names(regions: Regions, typo: str, name: str) -> None:
    place = regions.resolve(typo)
    assert place is not None and place.name == name


def test_no_typo_tolerance_for_short_words(regions: Regions) -> None:
    assert regions.resolve("bdx") is None


def test_a_city_name_wins_over_a_province_of_the_same_name(regions: Regions) -> None:
    place = regions.resolve("bengkulu")
    assert place is not None and place.kind == CITY


def test_a_name_in_two_provinces_covers_both(regions: Regions) -> None:
    place = regions.resolve("banjar")
    assert place is not None and place.provinces == {"Jawa Barat", "Kalimantan Selatan"}


def test_province_place_covers_all_its_cities(regions: Regions) -> None:
    place = regions.resolve("jawa barat")
    assert place is not None and ("Jawa Barat", "Bekasi") in place.keys and len(place.keys) == 21


def test_find_takes_the_longest_name_in_a_sentence(regions: Regions) -> None:
    found = regions.find("loker admin di jakarta selatan".split())
    assert found is not None and found[0].name == "Jakarta Selatan" and found[1:] == (3, 5)


def test_locate_checks_a_city_against_its_province(regions: Regions) -> None:
    assert regions.locate("Cikarang", "Jawa Barat") == ("Jawa Barat", "Bekasi")
    assert regions.locate("Bekasi", "Jawa Timur") is None
    assert regions.locate("Jakarta Selatan", "DKI Jakarta") == ("DKI Jakarta", "Jakarta Selatan")


def test_short_name_drops_the_kabupaten_or_kota_prefix() -> None:
    assert short_name("Kota Administrasi Jakarta Selatan") == "Jakarta Selatan"
    assert short_name("Kabupaten Toli-Toli") == "Toli-Toli"
