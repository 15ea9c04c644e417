"""Education levels in free text, and the requirement rule (bot.services.jobs.education)."""

from __future__ import annotations

import pytest

from bot.services.jobs.education import admits, read_education, requirement

SPELLINGS = [
    ("lulusan smk", "SMK"),
    ("saya lulusan SMK teknik mesin", "SMK"),
    ("tamat SMA", "SMA"),
    ("tamatan sma", "SMA"),
    ("sarjana", "S1"),
    ("sarjana ekonomi", "S1"),
    ("D3", "D3"),
    ("d-3 akuntansi", "D3"),
    ("diploma", "D3"),
    ("diploma 1", "D1"),
    ("D2", "D2"),
    ("D4", "D4"),
    ("sarjana terapan", "D4"),
    ("s1 akuntansi", "S1"),
    ("S-1", "S1"),
    ("STM", "SMK"),
    ("smea", "SMK"),
    ("SLTA", "SMA"),
    ("SMU", "SMA"),
    ("SLTP", "SMP"),
    ("lulusan smp", "SMP"),
    ("mts", "SMP"),
    ("tamat SD", "SD"),
    ("lulusan mi", "SD"),
    ("high school", "SMA"),
    ("senior high school graduate", "SMA"),
    ("vocational high school", "SMK"),
    ("bachelor", "S1"),
    ("bachelor degree in accounting", "S1"),
    ("master", None),
    ("lulusan master", "S2"),
    ("S2", "S2"),
    ("magister", "S2"),
    ("phd", "S3"),
    ("loker kasir jakarta", None),
    ("mi goreng", None),
    ("man utd", None),
    ("ahli madya", "D3"),
    ("minimal d3", "D3"),
]


@pytest.mark.parametrize(("text", "level"), SPELLINGS)
def test_spellings_read_as_levels(text: str, level: str | None) -> None:
    assert read_education(text) == level


@pytest.mark.parametrize(
    ("column", "levels"),
    [
        ("SMA/SMK", ("SMA", "SMK")),
        ("S1", ("S1",)),
        ("", ()),
        ("D3/S1", ("D3", "S1")),
        ("sma / smk", ("SMA", "SMK")),
    ],
)
def test_requirement_reads_the_vacancy_column(column: str, levels: tuple[str, ...]) -> None:
    assert requirement(column) == levels


RULES = [
    ("SMA/SMK", "SMA", True),
    ("SMA/SMK", "SMK", True),
    ("SMA/SMK", "D3", True),
    ("SMA/SMK", "S1", True),
    ("SMA/SMK", "SMP", False),
    ("SMA/SMK", "SD", False),
    ("S1", "SMK", False),
    ("S1", "SMA", False),
    ("S1", "D3", False),
    ("S1", "D4", True),
    ("S1", "S1", True),
    ("S1", "S2", True),
    ("D3", "SMK", False),
    ("D3", "D3", True),
    ("D3", "S1", True),
    ("SMA", "SMK", True),
    ("SMK", "SMA", False),
    ("SMK", "D1", True),
    ("SMP", "SMK", True),
    ("SD", "SD", True),
    ("", "SD", True),
    ("S1", None, True),
]


@pytest.mark.parametrize(("column", "level", "admitted"), RULES)
def test_minimum_requirement_admits_that_level_and_higher(
    column: str, level: str | None, admitted: bool
) -> None:
    assert admits(column, level) is admitted
