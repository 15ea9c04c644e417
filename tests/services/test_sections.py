"""The services' data files are given to the knowledge loader as values and checked with file and line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bot import sections
from bot.knowledge import KnowledgeError, load, uikeys
from bot.services import SECTIONS, VOCABULARY, load_service_data
from bot.services.texts import REQUIRED
from tests.knowledge.test_validation import MENUS

from .conftest import KNOWLEDGE

SERVICES = Path(__file__).resolve().parents[2] / "bot" / "services"
NAMES = {"jkp_rules", "service_texts", "regions", "vacancies", "jobs", "training", "journey"}

INTENT = """intents:
  - id: chat.greeting
    examples: [halo, hai, selamat pagi, selamat siang, selamat sore, selamat malam, pagi, siang, sore, malam,
               hello, hi there]
    answer: {id: "Halo!", en: "Hello!"}
    summary: {id: "Sapaan.", en: "A greeting."}
    related: []
    handoff: false
    sources: [test]
    reviewed: 2026-01-01
"""


def copy_data(target: Path) -> Path:
    """A knowledge dir with the real service files and a minimal intents/lexicon/ui around them."""
    for section in SECTIONS.values():
        (target / section.path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(KNOWLEDGE / section.path, target / section.path)
    (target / "intents").mkdir(exist_ok=True)
    (target / "intents" / "chat.yaml").write_text(INTENT, encoding="utf-8")
    (target / "lexicon.yaml").write_text("words: {}\n", encoding="utf-8")
    (target / "menus.yaml").write_text(MENUS, encoding="utf-8")
    ui = "".join(f'  {key}: {{id: "x", en: "x"}}\n' for key in sorted(uikeys.REQUIRED))
    (target / "ui.yaml").write_text("texts:\n" + (ui or "  placeholder: {id: x, en: x}\n"), encoding="utf-8")
    return target


def test_the_services_have_six_required_sections_and_the_bot_loads_them_all() -> None:
    assert set(SECTIONS) == NAMES
    assert all(section.required for section in SECTIONS.values())
    assert dict(SECTIONS).items() <= dict(sections.SECTIONS).items()
    assert {"handoff", "admin"} <= set(sections.SECTIONS)


def test_knowledge_load_puts_the_parsed_data_in_extras(tmp_path: Path) -> None:
    kb = load(copy_data(tmp_path / "knowledge"), SECTIONS, vocabulary=VOCABULARY, catalogue=[])
    assert NAMES <= set(kb.extras)
    assert len(kb.extras["vacancies"]) >= 320 and len(kb.extras["regions"].provinces) == 38


def test_a_missing_data_file_fails_the_check(tmp_path: Path) -> None:
    root = copy_data(tmp_path / "knowledge")
    (root / "data" / "jobs.yaml").unlink()
    with pytest.raises(KnowledgeError, match=r"jobs\.yaml:1: file is missing"):
        load(root, SECTIONS, catalogue=[])


def problems_after(tmp_path: Path, rel: str, old: str, new: str) -> list[str]:
    root = copy_data(tmp_path / "knowledge")
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_service_data(root)
    return [str(p) for p in caught.value.problems]


def line_of(path: Path, needle: str) -> int:
    return next(
        i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line
    )


def test_jkp_rule_problems_name_file_and_line(tmp_path: Path) -> None:
    found = problems_after(tmp_path, "rules/jkp.yaml", "max_age: 54", "max_age: -1")
    line = line_of(KNOWLEDGE / "rules/jkp.yaml", "max_age: 54")
    assert found == [
        f"knowledge/rules/jkp.yaml:{line}: thresholds: 'max_age' must be a whole number of at least 1"
    ]


def test_jkp_rule_reference_must_exist(tmp_path: Path) -> None:
    found = problems_after(tmp_path, "rules/jkp.yaml", "rule: resignation}", "rule: resign}")
    assert any("termination 'resigned': rule 'resign' does not exist" in p for p in found)


def test_jkp_rule_reference_that_is_not_a_name_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    found = problems_after(tmp_path, "rules/jkp.yaml", "rule: resignation}", "rule: [resignation]}")
    assert any("termination 'resigned': rule ['resignation'] does not exist" in p for p in found)


def test_transition_must_match_the_regimes(tmp_path: Path) -> None:
    found = problems_after(tmp_path, "rules/jkp.yaml", "until: 2025-02-06", "until: 2025-02-07")
    assert any("'until' must be the day before the transition (2025-02-06)" in p for p in found)


def test_service_text_problems(tmp_path: Path) -> None:
    found = problems_after(tmp_path, "services.yaml", "sc.restart:", "sc.restart_typo:")
    assert any("service text 'sc.restart' is missing" in p for p in found)
    found = problems_after(
        tmp_path,
        "services.yaml",
        'en: "Estimated JKP cash for a wage of {wage}',
        'en: "Estimated JKP cash for a wage of {wages}',
    )
    assert any("calc.result.head" in p and "different placeholders" in p for p in found)


def test_region_alias_must_point_somewhere(tmp_path: Path) -> None:
    found = problems_after(tmp_path, "data/regions.yaml", "  solo: Surakarta", "  solo: Surakartaa")
    line = line_of(KNOWLEDGE / "data/regions.yaml", "  solo: Surakarta")
    assert (
        f"knowledge/data/regions.yaml:{line}: alias 'solo': 'Surakartaa' is not a province or kabupaten/kota"
        in found
    )


def test_job_synonym_in_two_occupations(tmp_path: Path) -> None:
    found = problems_after(tmp_path, "data/jobs.yaml", "[kasir, cashier,", "[kasir, satpam, cashier,")
    assert any(
        "synonym 'satpam' is under both 'kasir' and 'security'" in p
        or "synonym 'satpam' is under both 'security' and 'kasir'" in p
        for p in found
    )


def test_training_programme_problems(tmp_path: Path) -> None:
    found = problems_after(tmp_path, "data/training.yaml", "    city: Kendari", "    city: Kendarii")
    assert any("'Kendarii' is not a kabupaten/kota of 'Sulawesi Tenggara'" in p for p in found)
    found = problems_after(
        tmp_path,
        "data/training.yaml",
        "fields: [tik, garmen, bisnis, manufaktur]",
        "fields: [tik, garmen, bisnis, pabrik]",
    )
    assert any("unknown field 'pabrik'" in p for p in found)


def test_bad_vacancy_rows_are_reported_with_their_csv_line(tmp_path: Path) -> None:
    root = copy_data(tmp_path / "knowledge")
    path = root / "data" / "vacancies.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[4].split(",")
    cells[8] = "xx" + cells[8]  # line 5: closing date broken
    lines[4] = ",".join(cells)
    lines[9] = (
        lines[9].replace(",Jawa", ",Jawaa", 1).replace(",DKI", ",DKII", 1).replace(",Bali", ",Balii", 1)
    )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_service_data(root)
    found = [str(p) for p in caught.value.problems]
    assert any(p.startswith("knowledge/data/vacancies.csv:5: ") for p in found)
    assert len(found) in (1, 2)


def test_every_text_key_in_the_code_is_required_and_defined() -> None:
    used: set[str] = set()
    for path in SERVICES.rglob("*.py"):
        used |= set(
            re.findall(r'"((?:common|sc|calc|jobs|tr|scam|profile|alerts)\.[a-z0-9_.]+)"', path.read_text())
        )
    dynamic = (
        {f"calc.bad.{p}" for p in ("unreadable", "negative", "zero", "too_high", "too_low")}
        | {f"calc.btn.{r}" for r in ("old", "new")}
        | {f"jobs.bad.{w}" for w in ("job", "place")}
        | {f"sc.{k}.{v}" for k in ("result", "next") for v in ("eligible", "not_eligible", "unclear")}
        | {f"sc.reason.{o}" for o in ("pass", "fail", "unknown")}
        | {f"profile.q.{q}" for q in ("education", "job", "place", "nearby", "wage")}
        | {f"profile.btn.edit_{q}" for q in ("education", "job", "place", "wage")}
    )
    used = {key for key in used if not key.endswith(".yaml")} | dynamic
    assert used == set(REQUIRED)


def test_every_text_in_services_yaml_is_used(data) -> None:
    assert set(data["service_texts"].entries) == set(REQUIRED)


def test_the_timeline_rules_and_journey_texts_are_checked(tmp_path: Path) -> None:
    found = problems_after(tmp_path, "rules/jkp.yaml", "- id: jht_after", "- id: jht_later")
    assert any("rule 'jht_after' is missing (the timeline needs it)" in p for p in found)
    found = problems_after(tmp_path / "b", "journey.yaml", "  tl.deadline:\n", "  tl.deadlin:\n")
    assert any("journey.yaml" in p and "tl.deadline" in p for p in found)
    found = problems_after(tmp_path / "c", "journey.yaml", "  WIT: [", "  WET: [")
    lines = (KNOWLEDGE / "journey.yaml").read_text(encoding="utf-8").splitlines()
    line = lines.index("zones:") + 1
    assert (
        f"knowledge/journey.yaml:{line}: journey.yaml: 'zones' must map ['WITA', 'WIT'] to lists of provinces"
        in found
    )
