"""One broken fixture per validation rule: the problem names the file, the line and the field."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from bot.knowledge import KnowledgeError
from bot.knowledge.yamlio import MAX_FILE_BYTES
from bot.sections import load_knowledge

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 22)


def intent_yaml(ident: str, word: str, *, extra: str = "", drop: str = "") -> str:
    examples = "\n".join(f"      - {word} pertanyaan nomor {n}" for n in range(12))
    fields = {
        "examples": f"    examples:\n{examples}\n",
        "answer": "    answer:\n      id: Jawaban dalam bahasa Indonesia.\n      en: The answer in English.\n",
        "related": "    related: []\n",
        "handoff": "    handoff: false\n",
        "sources": '    sources:\n      - "PP 6/2025"\n',
        "reviewed": "    reviewed: 2026-11-01\n",
        "summary": "    summary:\n      id: Fakta utamanya.\n      en: The key fact.\n",
    }
    body = "".join(v for k, v in fields.items() if k != drop)
    return f"  - id: {ident}\n{body}{extra}"


MENUS = """main: []
sections: {}
flow_for_intent: {}
handoff_intents: {}
commands: [{command: start, description: Start}]
languages: [{code: id, label: Bahasa Indonesia}, {code: en, label: English}]
"""


def write_kb(base: Path, intents: str) -> Path:
    """A knowledge dir: the shipped UI texts and data files, a tiny lexicon and the given intents."""
    root = base / "kb"
    shutil.copytree(ROOT / "knowledge", root, ignore=shutil.ignore_patterns("intents", ".backups"))
    (root / "intents").mkdir()
    (root / "intents" / "topic.yaml").write_text("intents:\n" + intents, encoding="utf-8")
    (root / "lexicon.yaml").write_text("words:\n  gmn: bagaimana\n", encoding="utf-8")
    (root / "menus.yaml").write_text(MENUS, encoding="utf-8")  # the shipped one names the real intents
    (root / "followup.yaml").unlink()  # so does this one (optional: no follow-up topics)
    return root


def problems(root: Path, catalogue=("a.one", "a.two")) -> list[str]:
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(root, today=TODAY, catalogue=catalogue)
    return [str(p).removeprefix("kb/") for p in info.value.problems]


@pytest.fixture
def valid(tmp_path: Path) -> Path:
    return write_kb(tmp_path, intent_yaml("a.one", "apel") + intent_yaml("a.two", "jeruk"))


def test_valid_fixture_loads(valid: Path) -> None:
    kb = load_knowledge(valid, today=TODAY, catalogue=("a.one", "a.two"))
    assert list(kb.intents) == ["a.one", "a.two"]
    assert kb.matcher.match("apel pertanyaan").intent == "a.one"


def test_unknown_field_is_reported_with_its_line(tmp_path: Path) -> None:
    root = write_kb(
        tmp_path, intent_yaml("a.one", "apel", extra="    exampels: [x]\n") + intent_yaml("a.two", "jeruk")
    )
    assert problems(root) == ["intents/topic.yaml:27: intent 'a.one': unknown field 'exampels'"]


def test_missing_language_names_the_field(tmp_path: Path) -> None:
    text = intent_yaml("a.one", "apel").replace("      en: The answer in English.\n", "")
    root = write_kb(tmp_path, text + intent_yaml("a.two", "jeruk"))
    assert problems(root) == ["intents/topic.yaml:16: intent 'a.one': field 'answer.en' is missing or empty"]


@pytest.mark.parametrize("field", ["sources", "reviewed", "examples", "answer", "summary"])
def test_missing_required_field(tmp_path: Path, field: str) -> None:
    root = write_kb(tmp_path, intent_yaml("a.one", "apel", drop=field) + intent_yaml("a.two", "jeruk"))
    assert problems(root) == [f"intents/topic.yaml:2: intent 'a.one': field {field!r} is missing"]


def test_summary_over_120_characters_or_in_one_language_is_refused(tmp_path: Path) -> None:
    long = intent_yaml("a.one", "apel").replace("en: The key fact.", "en: " + "x" * 121)
    one_language = intent_yaml("a.two", "jeruk").replace("      en: The key fact.\n", "")
    found = problems(write_kb(tmp_path, long + one_language))
    assert found == [
        "intents/topic.yaml:26: intent 'a.one': 'summary.en' is 121 characters; keep it to one line of at most 120",
        "intents/topic.yaml:49: intent 'a.two': field 'summary.en' is missing or empty",
    ]


def test_every_shipped_summary_is_one_short_line_in_both_languages() -> None:
    kb = load_knowledge(ROOT / "knowledge")
    for intent in kb.intents.values():
        for lang in ("id", "en"):
            assert 0 < len(intent.summary[lang]) <= 120 and "\n" not in intent.summary[lang], (
                intent.id,
                lang,
            )


def test_duplicate_id(tmp_path: Path) -> None:
    root = write_kb(
        tmp_path,
        intent_yaml("a.one", "apel") + intent_yaml("a.one", "jeruk") + intent_yaml("a.two", "mangga"),
    )
    found = problems(root)
    assert found == [
        "intents/topic.yaml:27: intent 'a.one' is defined twice (first at kb/intents/topic.yaml:2)"
    ]


def test_same_example_under_two_intents_names_both_lines(tmp_path: Path) -> None:
    root = write_kb(tmp_path, intent_yaml("a.one", "apel") + intent_yaml("a.two", "apel"))
    found = problems(root)
    assert len(found) == 12
    assert found[0] == (
        "intents/topic.yaml:29: intent 'a.two': example 'apel pertanyaan nomor 0' is also under "
        "'a.one' (kb/intents/topic.yaml:4)"
    )


def test_same_example_after_normalising_is_still_the_same(tmp_path: Path) -> None:
    two = intent_yaml("a.two", "jeruk").replace(
        "      - jeruk pertanyaan nomor 3\n", "      - APEL pertanyaan, nomor 5?!\n"
    )
    found = problems(write_kb(tmp_path, intent_yaml("a.one", "apel") + two))
    assert found == [
        "intents/topic.yaml:32: intent 'a.two': example 'APEL pertanyaan, nomor 5?!' is also under "
        "'a.one' (kb/intents/topic.yaml:9)"
    ]


def test_catalogue_id_missing(valid: Path) -> None:
    assert problems(valid, catalogue=("a.one", "a.two", "b.three")) == [
        "intents/topic.yaml:1: catalogue intent 'b.three' is missing"
    ]


def test_catalogue_ids_missing_without_any_topic_file_point_at_the_intents_folder(tmp_path: Path) -> None:
    root = write_kb(tmp_path, "")
    (root / "intents" / "topic.yaml").unlink()
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(root, today=TODAY, catalogue=("a.one",))
    assert {str(p) for p in info.value.problems} == {
        "kb/intents:1: no topic files (*.yaml) found",
        "kb/intents:1: catalogue intent 'a.one' is missing",
    }


def test_bundled_catalogue_has_every_shared_intent_id() -> None:
    """bot/knowledge/catalogue.yaml is the copy used in a fresh clone; ../shared/intents.yaml is the contract."""
    import yaml

    from bot.knowledge.loader import catalogue_ids

    shared = ROOT.parent / "shared" / "intents.yaml"
    if not shared.exists():
        pytest.skip("../shared/intents.yaml is not next to this checkout")
    assert set(yaml.safe_load(shared.read_text(encoding="utf-8"))["intents"]) <= set(catalogue_ids())


def test_unknown_related_id(tmp_path: Path) -> None:
    text = intent_yaml("a.one", "apel").replace("    related: []", "    related: [a.nothing]")
    root = write_kb(tmp_path, text + intent_yaml("a.two", "jeruk"))
    assert problems(root) == ["intents/topic.yaml:2: intent 'a.one': related id 'a.nothing' does not exist"]


def test_too_few_examples(tmp_path: Path) -> None:
    text = intent_yaml("a.one", "apel").replace("      - apel pertanyaan nomor 11\n", "")
    root = write_kb(tmp_path, text + intent_yaml("a.two", "jeruk"))
    assert problems(root) == [
        "intents/topic.yaml:3: intent 'a.one': field 'examples' needs at least 12 phrasings, has 11"
    ]


def test_bad_reviewed_date(tmp_path: Path) -> None:
    text = intent_yaml("a.one", "apel").replace("2026-11-01", "kemarin")
    root = write_kb(tmp_path, text + intent_yaml("a.two", "jeruk"))
    assert problems(root) == [
        "intents/topic.yaml:23: intent 'a.one': field 'reviewed' must be a date like 2026-11-22"
    ]


@pytest.mark.parametrize(
    ("snippet", "message"),
    [
        ("    handoff: &h false\n", "intents/topic.yaml:20: YAML anchors (&name) are not allowed"),
        (
            "    handoff: !!python/object:os.system false\n",
            "intents/topic.yaml:20: YAML tag 'tag:yaml.org,2002:python/object:os.system' is not allowed",
        ),
    ],
)
def test_yaml_tags_and_anchors_refused(tmp_path: Path, snippet: str, message: str) -> None:
    text = intent_yaml("a.one", "apel").replace("    handoff: false\n", snippet)
    root = write_kb(tmp_path, text + intent_yaml("a.two", "jeruk"))
    assert problems(root) == [message]


def test_alias_refused(tmp_path: Path) -> None:
    text = intent_yaml("a.one", "apel").replace("    related: []", "    related: &r []")
    text2 = intent_yaml("a.two", "jeruk").replace("    related: []", "    related: *r")
    found = problems(write_kb(tmp_path, text + text2))
    assert "intents/topic.yaml:19: YAML anchors (&name) are not allowed" in found
    assert "intents/topic.yaml:44: YAML aliases (*name) are not allowed" in found


def test_malformed_yaml_reports_line(tmp_path: Path) -> None:
    root = write_kb(tmp_path, intent_yaml("a.one", "apel") + "  - id: [unclosed\n")
    found = problems(root)
    assert len(found) == 1 and found[0].startswith("intents/topic.yaml:28: not valid YAML")


def test_oversize_file_refused(tmp_path: Path) -> None:
    root = write_kb(tmp_path, intent_yaml("a.one", "apel") + intent_yaml("a.two", "jeruk"))
    (root / "intents" / "big.yaml").write_text("# x\n" * (MAX_FILE_BYTES // 4 + 10))
    assert any(p.startswith("intents/big.yaml:1: file is too big") for p in problems(root))


def test_deeply_nested_yaml_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    root = write_kb(tmp_path, intent_yaml("a.one", "apel") + intent_yaml("a.two", "jeruk"))
    (root / "intents" / "deep.yaml").write_text("intents: " + "[" * 5000 + "]" * 5000 + "\n")
    assert (
        "intents/deep.yaml:1: lists or sections are nested far too deeply to be a knowledge file"
        in problems(root)
    )


def test_todo_left_in_an_answer_or_source_is_refused(tmp_path: Path) -> None:
    """A suggest skeleton merged before it was finished must not reach users."""
    unfinished = intent_yaml("a.one", "apel").replace("      en: The answer in English.", "      en: TODO")
    unsourced = intent_yaml("a.two", "jeruk").replace('      - "PP 6/2025"', "      - TODO")
    assert problems(write_kb(tmp_path, unfinished + unsourced)) == [
        "intents/topic.yaml:18: intent 'a.one': 'answer.en' still says TODO; write the answer first",
        "intents/topic.yaml:47: intent 'a.two': field 'sources' still says TODO; name the real source",
    ]


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path) -> None:
    bad_one = intent_yaml("a.one", "apel", drop="sources", extra="    colour: red\n")
    bad_two = intent_yaml("a.two", "jeruk", drop="reviewed")
    assert len(problems(write_kb(tmp_path, bad_one + bad_two))) == 3


def test_lexicon_rules(tmp_path: Path) -> None:
    root = write_kb(tmp_path, intent_yaml("a.one", "apel") + intent_yaml("a.two", "jeruk"))
    (root / "lexicon.yaml").write_text("words:\n  gmn: bagaimana\n  Two Words: x\n  sama: sama\n")
    assert problems(root) == [
        "lexicon.yaml:3: lexicon entry 'Two Words' must be lowercase words (letters and digits, single spaces)",
        "lexicon.yaml:4: lexicon word 'sama' maps to itself",
    ]


def test_ui_text_missing_language_and_placeholders(tmp_path: Path) -> None:
    root = write_kb(tmp_path, intent_yaml("a.one", "apel") + intent_yaml("a.two", "jeruk"))
    ui = (root / "ui.yaml").read_text()
    ui = ui.replace('    en: "Hello {name}! I am Pandu', '    en: "Hello {nama}! I am Pandu')
    (root / "ui.yaml").write_text(ui)
    found = problems(root)
    assert len(found) == 1 and "UI text 'welcome': id and en use different placeholders" in found[0]


def test_regression_gate_catches_a_test_phrase_that_moved(tmp_path: Path) -> None:
    text = intent_yaml("a.one", "apel", extra="    tests:\n      - jeruk pertanyaan\n")
    root = write_kb(tmp_path, text + intent_yaml("a.two", "jeruk"))
    found = problems(root)
    assert len(found) == 1
    assert found[0].startswith(
        "intents/topic.yaml:2: intent 'a.one': test phrase 'jeruk pertanyaan' now matches a.two"
    )


def test_shipped_knowledge_passes_check() -> None:
    from bot.sections import load_knowledge

    kb = load_knowledge(ROOT / "knowledge")
    assert len(kb.intents) >= 35
    for intent in kb.intents.values():
        assert len(intent.examples) >= 12 and intent.sources and intent.reviewed
        assert len(intent.answer["id"]) <= 1000 and len(intent.answer["en"]) <= 1000, intent.id


def test_the_catalogues_own_example_phrasings_are_answered_with_their_intent() -> None:
    """The public phrasings in the intent catalogue are the first thing anyone will type."""
    import yaml

    shared = ROOT.parent / "shared" / "intents.yaml"
    if not shared.exists():
        pytest.skip("../shared/intents.yaml is not next to this checkout")
    kb = load_knowledge(ROOT / "knowledge")
    catalogue = yaml.safe_load(shared.read_text(encoding="utf-8"))["intents"]
    wrong = [
        (ident, text, kb.matcher.match(text).intent)
        for ident, entry in catalogue.items()
        for text in entry.get("examples", [])
        if kb.matcher.match(text).intent != ident
    ]
    assert wrong == []
