"""Matcher behaviour: on a tiny hand-made index (exact mechanics) and on the shipped knowledge."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import load_knowledge
from bot.cli.evaluate import evaluate, read_labelled
from intents import Confidence, Matcher, detect_language

ROOT = Path(__file__).resolve().parents[2]
SMALL = {
    "jkp.claim": ["cara klaim jkp", "bagaimana mengajukan jkp", "klaim jkp lewat siapkerja", "how to claim jkp"],
    "jht.claim": ["cara klaim jht", "cairkan jht", "klaim jht lewat jmo", "how to withdraw jht"],
    "account": ["cara daftar akun siapkerja", "lupa password siapkerja", "daftar akun baru"],
}


@pytest.fixture(scope="module")
def small() -> Matcher:
    return Matcher.build(SMALL, lexicon={"gmn": "bagaimana", "jaminan hari tua": "jht"},
                         negatives=["cara daftar sim", "perpanjang sim online", "cara daftar bpjs kesehatan"])


@pytest.fixture(scope="module")
def shipped() -> Matcher:
    return load_knowledge(ROOT / "knowledge").matcher


def test_one_distinctive_letter_decides_jkp_from_jht(small: Matcher) -> None:
    assert small.match("cara klaim jkp").intent == "jkp.claim"
    assert small.match("cara klaim jht").intent == "jht.claim"


def test_short_words_never_fuzzy_match(small: Matcher) -> None:
    assert small.rank("jkq") == []


def test_typos_in_long_words_still_match(small: Matcher) -> None:
    assert small.match("cairkn jht").intent == "jht.claim"


def test_phrases_in_the_lexicon_replace_the_whole_phrase(small: Matcher) -> None:
    assert small.words("cairkan jaminan hari tua")[0] == ["cairkan", "jht"]
    assert small.match("cairkan jaminan hari tua").intent == "jht.claim"


def test_common_words_alone_do_not_carry_an_unknown_topic(small: Matcher) -> None:
    found = small.match("cara daftar paspor")
    assert found.confidence is Confidence.FALLBACK and found.intent is None


def test_negative_examples_turn_a_close_match_into_a_fallback(small: Matcher) -> None:
    found = small.match("gmn cara daftar sim")
    assert found.out_of_scope and found.intent is None


def test_floor_offers_a_must_not_miss_intent(small: Matcher) -> None:
    weak_text = "password blorp fnord wibble quux"
    assert small.match(weak_text).confidence is Confidence.FALLBACK
    floored = Matcher.build(SMALL, floors={"account": 10.0})
    weak = floored.match(weak_text)
    assert weak.confidence is Confidence.CLARIFY and weak.candidates[0].intent == "account"


def test_clarify_offers_two_or_three_choices(shipped: Matcher) -> None:
    found = shipped.match("jkp")
    assert found.confidence is Confidence.CLARIFY and 2 <= len(found.choices) <= 3


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("gmn cr klaim jkp", "jkp.how_to_claim"),
        ("brp lama batas pengajuan jkp stlh phk", "jkp.deadline"),
        ("sy resign, dpt jkp gk?", "jkp.resignation"),
        ("klem jht udh bisa blm klo baru kluar kerja", "jht.claim"),
        ("how much does jkp pay per month", "jkp.cash_amount"),
        ("my employer fired me without any letter, where can i complain", "phk.dispute"),
        ("lowker admin jkt", "jobs.search"),
        ("syarat bikin kartu kuning", "jobs.ak1"),
        ("sy udh gk kuat lagi, pengen mati aja", "urgent.crisis"),
        ("pengen ngobrol sama petugas aja", "chat.human"),
    ],
)
def test_slang_typos_and_english_on_shipped_knowledge(shipped: Matcher, text: str, intent: str) -> None:
    assert shipped.match(text).intent == intent


@pytest.mark.parametrize(
    "text", ["cara daftar bpjs kesehatan", "cara daftar SIM online", "perpanjang paspor dimana",
             "pinjol legal apa aja", "cuaca jakarta besok", "resep rendang padang"],
)
def test_near_misses_are_out_of_scope(shipped: Matcher, text: str) -> None:
    assert shipped.match(text).intent is None


@pytest.mark.parametrize(
    ("text", "lang"),
    [("how do i claim jkp", "en"), ("gmn cara klaim jkp", "id"), ("jkp", "id"), ("is my jht ready", "en")],
)
def test_language_follows_function_words(text: str, lang: str) -> None:
    assert detect_language(text.split()) == lang


@pytest.mark.parametrize("name", ["dev.yaml", "dev2.yaml"])
def test_dev_sets_meet_the_accuracy_targets(shipped: Matcher, name: str) -> None:
    """Quality gate: >= 90% top-1 in scope and >= 85% out-of-scope rejection on both dev sets."""
    report = evaluate(shipped, read_labelled(ROOT / "tests" / "data" / name))
    assert report.top1() >= 0.90, report.top1()
    assert report.rejection() >= 0.85, report.rejection()
