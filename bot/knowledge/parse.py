"""Turn YAML mappings into knowledge values, collecting every problem with its file, line and field."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from .model import LANGS, Intent, placeholders
from .yamlio import Node, Problem, YDict, YList

MIN_EXAMPLES = 12
MAX_ANSWER_CHARS = 12000
MAX_SUMMARY_CHARS = 120
INTENT_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
LEXICON_KEY = re.compile(r"^[a-z0-9]+( [a-z0-9]+)*$")
PLACEHOLDER = re.compile(r"\bTODO\b")
INTENT_FIELDS = {
    "id",
    "examples",
    "answer",
    "summary",
    "related",
    "handoff",
    "sources",
    "reviewed",
    "tests",
    "min_score",
}
REQUIRED_FIELDS = INTENT_FIELDS - {"tests", "min_score"}


class Collector:
    """Problems for one file: ``at(node, key, message)`` records ``file:line: message``."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def at(self, node: Any, key: Any, message: str) -> None:
        line = node.line_of(key) if isinstance(node, Node) else 1
        self.problems.append(Problem(self.file, line, message))


def _texts(value: Any, where: str, node: Any, key: Any, out: Collector) -> tuple[str, ...] | None:
    if not isinstance(value, YList):
        out.at(node, key, f"{where} must be a list")
        return None
    items = []
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            out.at(value, i, f"{where} item {i + 1} must be non-empty text")
        else:
            items.append(item.strip())
    return tuple(items)


def bilingual(
    node: YDict, key: str, where: str, out: Collector, *, optional: bool = False
) -> dict[str, str] | None:
    """Field ``key`` of ``node`` as ``{id: ..., en: ...}``: both languages present and non-empty."""
    value = node.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, YDict):
        out.at(node, key, f"{where}: field '{key}' must have an 'id' and an 'en' text")
        return None
    for extra in value.keys() - set(LANGS):
        out.at(value, extra, f"{where}: unknown language {extra!r} in '{key}' (use id and en)")
    found = {}
    for lang in LANGS:
        text = value.get(lang)
        if isinstance(text, str) and text.strip():
            found[lang] = text.strip()
        else:
            at, at_key = (value, lang) if lang in value else (node, key)
            out.at(at, at_key, f"{where}: field '{key}.{lang}' is missing or empty")
    return found if len(found) == len(LANGS) else None


def _placeholder(text: str) -> bool:
    """A "TODO" left from a ``suggest`` skeleton or draft: never to reach a user."""
    return PLACEHOLDER.search(text) is not None


def _answer(node: YDict, where: str, out: Collector) -> dict[str, str] | None:
    texts = bilingual(node, "answer", where, out)
    for lang, text in (texts or {}).items():
        if _placeholder(text):
            out.at(node["answer"], lang, f"{where}: 'answer.{lang}' still says TODO; write the answer first")
            return None
        if len(text) > MAX_ANSWER_CHARS:
            out.at(
                node["answer"],
                lang,
                f"{where}: 'answer.{lang}' is {len(text)} characters; keep it under {MAX_ANSWER_CHARS}",
            )
            return None
    return texts


def _summary(node: YDict, where: str, out: Collector) -> dict[str, str] | None:
    """The one-line key fact shown beside a choice: both languages, one line, at most 120 characters."""
    texts = bilingual(node, "summary", where, out)
    for lang, text in (texts or {}).items():
        if _placeholder(text):
            out.at(node["summary"], lang, f"{where}: 'summary.{lang}' still says TODO; write the key fact")
            return None
        if len(text) > MAX_SUMMARY_CHARS or "\n" in text:
            out.at(
                node["summary"],
                lang,
                f"{where}: 'summary.{lang}' is {len(text)} characters; "
                f"keep it to one line of at most {MAX_SUMMARY_CHARS}",
            )
            return None
    return texts


def _reviewed(value: Any, where: str, node: YDict, out: Collector, today: date) -> date | None:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            pass
    if not isinstance(value, date):
        out.at(node, "reviewed", f"{where}: field 'reviewed' must be a date like 2026-11-22")
        return None
    if value > today:
        out.at(node, "reviewed", f"{where}: 'reviewed' date {value} is in the future")
    return value


def parse_intent(node: Any, out: Collector, today: date) -> Intent | None:
    """One item of an ``intents:`` list; None when it has problems (they are recorded)."""
    if not isinstance(node, YDict):
        out.at(node, None, "each intent must be a mapping with id, examples, answer, ...")
        return None
    before = len(out.problems)
    ident = node.get("id")
    where = f"intent {ident!r}" if isinstance(ident, str) else "intent"
    for key in node.keys() - INTENT_FIELDS:
        out.at(node, key, f"{where}: unknown field {key!r}")
    for key in sorted(REQUIRED_FIELDS - node.keys()):
        out.at(node, None, f"{where}: field {key!r} is missing")
    if "id" in node and (not isinstance(ident, str) or not INTENT_ID.match(ident)):
        out.at(node, "id", f"field 'id' must look like topic.name (lowercase), got {ident!r}")
    examples = (
        _texts(node.get("examples"), f"{where}: field 'examples'", node, "examples", out)
        if "examples" in node
        else None
    )
    if examples is not None and len(examples) < MIN_EXAMPLES:
        out.at(
            node,
            "examples",
            f"{where}: field 'examples' needs at least {MIN_EXAMPLES} phrasings, has {len(examples)}",
        )
    answer = _answer(node, where, out) if "answer" in node else None
    summary = _summary(node, where, out) if "summary" in node else None
    related = (
        _texts(node.get("related"), f"{where}: field 'related'", node, "related", out)
        if "related" in node
        else ()
    )
    sources = (
        _texts(node.get("sources"), f"{where}: field 'sources'", node, "sources", out)
        if "sources" in node
        else None
    )
    if sources is not None and not sources:
        out.at(node, "sources", f"{where}: field 'sources' needs at least one source")
    elif sources is not None and any(map(_placeholder, sources)):
        index = next(i for i, source in enumerate(sources) if _placeholder(source))
        at = node["sources"] if isinstance(node["sources"], YList) else node
        out.at(
            at,
            index if at is not node else "sources",
            f"{where}: field 'sources' still says TODO; name the real source",
        )
        sources = None
    handoff = node.get("handoff", False)
    if not isinstance(handoff, bool):
        out.at(node, "handoff", f"{where}: field 'handoff' must be true or false")
    reviewed = _reviewed(node.get("reviewed"), where, node, out, today) if "reviewed" in node else None
    tests = (
        _texts(node.get("tests"), f"{where}: field 'tests'", node, "tests", out) if "tests" in node else ()
    )
    min_score = node.get("min_score")
    if min_score is not None and (
        isinstance(min_score, bool) or not isinstance(min_score, int | float) or not 0 <= min_score <= 100
    ):
        out.at(node, "min_score", f"{where}: field 'min_score' must be a number from 0 to 100")
    if len(out.problems) > before or None in (examples, answer, summary, related, sources, reviewed, tests):
        return None
    assert isinstance(ident, str) and examples is not None and answer is not None and sources is not None
    assert summary is not None
    assert reviewed is not None
    lines = tuple(node["examples"].line_of(i) for i in range(len(examples)))
    return Intent(
        ident,
        examples,
        answer,
        related or (),
        handoff,
        sources,
        reviewed,
        tests or (),
        out.file,
        node.line,
        float(min_score) if min_score is not None else None,
        lines,
        summary,
    )


def parse_intents_file(data: Any, out: Collector, today: date) -> tuple[list[Intent], set[str]]:
    """A topic file: ``intents: [ ... ]`` (and an optional ``topic:`` label).

    Returns the valid intents and every id declared (valid or not), so a broken intent is reported
    once, not again as "missing from the catalogue".
    """
    if not isinstance(data, YDict) or not isinstance(data.get("intents"), YList):
        out.at(data, "intents", "a topic file needs a list under 'intents:'")
        return [], set()
    for key in data.keys() - {"intents", "topic"}:
        out.at(data, key, f"unknown field {key!r} (a topic file has 'topic' and 'intents')")
    declared = {
        item["id"] for item in data["intents"] if isinstance(item, dict) and isinstance(item.get("id"), str)
    }
    parsed = (parse_intent(item, out, today) for item in data["intents"])
    return [intent for intent in parsed if intent is not None], declared


def parse_lexicon(data: Any, out: Collector) -> dict[str, str]:
    """``words: {slang: standard words}``."""
    words = data.get("words") if isinstance(data, YDict) else None
    if not isinstance(words, YDict):
        out.at(data, "words", "the lexicon needs a mapping under 'words:'")
        return {}
    for key in data.keys() - {"words"}:
        out.at(data, key, f"unknown field {key!r} (the lexicon has only 'words')")
    lexicon = {}
    for key, value in words.items():
        if not LEXICON_KEY.match(key):
            out.at(
                words,
                key,
                f"lexicon entry {key!r} must be lowercase words (letters and digits, single spaces)",
            )
        elif not isinstance(value, str) or not value.strip():
            out.at(words, key, f"lexicon word {key!r} needs the standard word(s) it means")
        elif value.strip().lower() == key:
            out.at(words, key, f"lexicon word {key!r} maps to itself")
        else:
            lexicon[key] = " ".join(value.lower().split())
    return lexicon


def parse_ui(data: Any, out: Collector, required: frozenset[str]) -> dict[str, dict[str, str]]:
    """ui.yaml: ``texts: {key: {id: ..., en: ...}}``."""
    return parse_text_file(data, out, required=required, what="UI text", allowed=frozenset({"texts"}))


def parse_text_file(
    data: Any, out: Collector, *, required: frozenset[str], what: str, allowed: frozenset[str]
) -> dict[str, dict[str, str]]:
    """A file whose ``texts:`` maps keys to ``{id, en}`` (other top-level fields in ``allowed``)."""
    texts = data.get("texts") if isinstance(data, YDict) else None
    if not isinstance(texts, YDict):
        out.at(data, "texts", f"{out.file} needs a mapping under 'texts:'")
        return {}
    for key in data.keys() - allowed:
        out.at(data, key, f"unknown field {key!r}")
    return parse_texts(texts, out, required=required, what=what)


def parse_texts(
    texts: Any, out: Collector, *, required: frozenset[str], what: str
) -> dict[str, dict[str, str]]:
    """``{key: {id: ..., en: ...}}``: both languages, the same ``{placeholders}``, every required key.

    Shared by every file of bilingual texts (ui.yaml, services.yaml, handoff.yaml, admin.yaml), so
    admins get the same rules and the same messages everywhere. ``what`` names the texts in messages.
    """
    if not isinstance(texts, YDict):
        out.at(texts, None, f"{what}s must map keys to {{id: ..., en: ...}}")
        return {}
    found: dict[str, dict[str, str]] = {}
    for key, entry in texts.items():
        parsed = _text_entry(key, entry, texts, out, what)
        if parsed:
            found[key] = parsed
    for key in sorted(required - texts.keys()):
        out.at(texts, None, f"{what} {key!r} is missing")
    return found


def _text_entry(key: str, entry: Any, texts: YDict, out: Collector, what: str) -> dict[str, str] | None:
    if not isinstance(entry, YDict):
        out.at(texts, key, f"{what} {key!r} must have an 'id' and an 'en' text")
        return None
    for extra in entry.keys() - set(LANGS):
        out.at(entry, extra, f"{what} {key!r}: unknown language {extra!r} (use id and en)")
    values = {lang: entry.get(lang) for lang in LANGS}
    for lang, value in values.items():
        if not isinstance(value, str) or not value.strip():
            out.at(entry, lang, f"{what} {key!r}: '{lang}' is missing or empty")
            return None
    marks = {lang: placeholders(str(v)) for lang, v in values.items()}
    if marks["id"] != marks["en"]:
        out.at(
            entry,
            "en",
            f"{what} {key!r}: id and en use different placeholders "
            f"{sorted(marks['id'])} vs {sorted(marks['en'])}",
        )
        return None
    return {lang: str(v).strip() for lang, v in values.items()}


def parse_out_of_scope(data: Any, out: Collector) -> tuple[str, ...]:
    """``examples: [...]``: phrasings Pandu does not answer (a message closest to them is a fallback)."""
    examples = data.get("examples") if isinstance(data, YDict) else None
    if not isinstance(examples, YList):
        out.at(data, "examples", "out_of_scope.yaml needs a list under 'examples:'")
        return ()
    for key in data.keys() - {"examples"}:
        out.at(data, key, f"unknown field {key!r} (out_of_scope.yaml has only 'examples')")
    return _texts(examples, "field 'examples'", data, "examples", out) or ()
