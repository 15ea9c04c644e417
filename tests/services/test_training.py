"""Training catalogue and the closest-first recommendation."""

from __future__ import annotations

import pytest

from bot.services.training.catalogue import CITY, ELSEWHERE, NATIONAL, PROVINCE, Catalogue, recommend
from bot.services.training.flow import read_field, read_place


@pytest.fixture
def catalogue(data) -> Catalogue:
    return data["training"]


def ranked(data, catalogue: Catalogue, field: str, place: str | None) -> list[tuple[str, int]]:
    where = data["regions"].resolve(place) if place else None
    return [(r.programme.id, r.tier) for r in recommend(catalogue, field, where)]


def test_catalogue_has_the_bpvp_and_national_routes(catalogue: Catalogue) -> None:
    kinds = [p.kind for p in catalogue.programmes]
    assert kinds.count("bpvp") >= 17 and kinds.count("national") == 2 and kinds.count("jkp") == 1
    assert len(catalogue.fields) == 12
    for programme in catalogue.programmes:
        assert programme.source and programme.reviewed and programme.how_to_register["id"]
        assert programme.eligibility["en"] and programme.fields


def test_facts_from_the_brief(catalogue: Catalogue) -> None:
    by_id = {p.id: p for p in catalogue.programmes}
    assert "Rp20 ribu" in by_id["bbpvp_bekasi"].summary["id"] and "17" in by_id["skillhub"].eligibility["id"]
    assert "maganghub.kemnaker.go.id" in by_id["maganghub"].how_to_register["id"]
    assert "Rp2,4 juta" in by_id["jkp_training"].summary["id"]
    assert catalogue.jkp_route() is by_id["jkp_training"]


def test_same_city_first_then_national(data, catalogue: Catalogue) -> None:
    assert ranked(data, catalogue, "las", "bekasi") == [
        ("bbpvp_bekasi", CITY),
        ("skillhub", NATIONAL),
        ("maganghub", NATIONAL),
    ]


def test_city_alias_counts_as_the_city(data, catalogue: Catalogue) -> None:
    assert ranked(data, catalogue, "las", "cikarang")[0] == ("bbpvp_bekasi", CITY)


def test_same_province_before_national(data, catalogue: Catalogue) -> None:
    result = ranked(data, catalogue, "tik", "depok")
    assert result[:2] == [("bbpvp_bekasi", PROVINCE), ("bbpvp_bandung", PROVINCE)] or result[:2] == [
        ("bbpvp_bandung", PROVINCE),
        ("bbpvp_bekasi", PROVINCE),
    ]
    assert result[2][1] == NATIONAL


def test_province_only_place(data, catalogue: Catalogue) -> None:
    assert {tier for _, tier in ranked(data, catalogue, "manufaktur", "jawa barat")} == {PROVINCE, NATIONAL}


def test_field_must_be_taught(data, catalogue: Catalogue) -> None:
    """BBPVP Semarang has no welding listed: Semarang + las gets national routes first."""
    result = ranked(data, catalogue, "las", "semarang")
    assert "bbpvp_semarang" not in [ident for ident, _ in result]
    assert result[0][1] == NATIONAL


def test_one_centre_elsewhere_only_when_none_nearby(data, catalogue: Catalogue) -> None:
    far = ranked(data, catalogue, "konstruksi", "jayapura")
    assert [tier for _, tier in far] == [NATIONAL, NATIONAL, ELSEWHERE]
    assert ELSEWHERE not in [tier for _, tier in ranked(data, catalogue, "las", "bekasi")]


def test_online_means_national_routes(data, catalogue: Catalogue) -> None:
    assert ranked(data, catalogue, "bahasa", None) == [("skillhub", NATIONAL), ("maganghub", NATIONAL)]


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("kursus komputer", "tik"),
        ("belajar menjahit", "garmen"),
        ("bengkel motor", "otomotif"),
        ("tata boga", "tata_boga"),
        ("bahasa jepang", "bahasa"),
        ("pertanain", "pertanian"),
        ("welding", "las"),
        ("apa itu jkp", None),
    ],
)
def test_fields_in_free_text(catalogue: Catalogue, text: str, field: str | None) -> None:
    assert read_field(text, catalogue) == field


def test_places_in_free_text(data) -> None:
    assert read_place("saya tinggal di cikarang", data["regions"]).name == "Bekasi"
    assert read_place("jawa timur", data["regions"]).name == "Jawa Timur"
    assert read_place("belum tahu", data["regions"]) is None
