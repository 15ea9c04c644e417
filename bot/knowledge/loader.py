"""Load a knowledge directory: ``load(dir)`` reads files, ``parse`` checks them, the matcher is built.

Every problem in every file is collected (not just the first), so an admin fixes them in one go. A
directory with any problem never produces a :class:`KnowledgeBase`: the caller keeps the old one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from intents import Confidence, Matcher, normalise

from . import uikeys
from .menus import MENUS_FILE, parse_menus
from .model import Intent, KnowledgeBase, Menus
from .parse import Collector, parse_intents_file, parse_lexicon, parse_out_of_scope, parse_ui
from .yamlio import Problem, YDict, load_yaml

CATALOGUE = Path(__file__).with_name("catalogue.yaml")
INTENTS_DIR = "intents"
LEXICON_FILE = "lexicon.yaml"
UI_FILE = "ui.yaml"
OUT_OF_SCOPE_FILE = "out_of_scope.yaml"


class KnowledgeError(Exception):
    """The knowledge directory has problems; ``problems`` lists them all."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def report(self, out: TextIO, summary: str) -> None:
        """Print every problem as ``FILE:LINE: message``, then ``summary`` (``{count}`` filled in)."""
        for problem in self.problems:
            out.write(f"{problem}\n")
        out.write(summary.format(count=len(self.problems)) + "\n")


@dataclass(frozen=True)
class Section:
    """An extra data file that a feature reads (rules, vacancies, ...): where it is and how to parse it."""

    path: str
    parse: Callable[[Any, Collector, Path], Any]
    required: bool = True
    names_intents: Callable[[Any], Iterable[tuple[str, int]]] | None = None
    """The intent ids the parsed value names, each with its line: an id the knowledge lacks is a problem."""


Vocabulary = Callable[[dict[str, Any]], Mapping[str, str]]
"""Lexicon entries a feature derives from its data (e.g. place names); the admins' lexicon wins."""


def catalogue_ids(path: Path = CATALOGUE) -> list[str]:
    data, problems = load_yaml(path)
    if problems or not isinstance(data, YDict) or not isinstance(data.get("intents"), dict):
        raise KnowledgeError(problems or [Problem(str(path), 1, "the intent catalogue needs 'intents:'")])
    return list(data["intents"])


def load(
    root: Path,
    sections: Mapping[str, Section],
    *,
    vocabulary: Iterable[Vocabulary] = (),
    today: date | None = None,
    catalogue: Iterable[str] | None = None,
) -> KnowledgeBase:
    """Read, validate and index ``root`` with the data files in ``sections``; raises :class:`KnowledgeError`.

    ``sections`` is every file beyond the intents, lexicon and UI texts (see :mod:`bot.sections`); what is
    checked is exactly what is given, never what happened to be imported.
    """
    root = Path(root)
    if not root.is_dir():
        raise KnowledgeError([Problem(str(root), 1, "knowledge directory not found")])
    today = today or date.today()
    problems: list[Problem] = []
    intents, declared = _load_intents(root, today, problems)
    lexicon = _load_file(root, LEXICON_FILE, lambda d, c: parse_lexicon(d, c), problems) or {}
    ui = _load_file(root, UI_FILE, lambda d, c: parse_ui(d, c, uikeys.REQUIRED), problems) or {}
    negatives = _load_file(root, OUT_OF_SCOPE_FILE, parse_out_of_scope, problems, required=False) or ()
    known = None if "*" in declared else {i.id for i in intents}
    menus = _load_file(root, MENUS_FILE, lambda d, c: parse_menus(d, c, known, ui), problems) or Menus()
    extras = read_sections(root, sections, problems)
    if known is not None:
        problems += _unknown_in_sections(root, sections, extras, known)
    wanted = [] if "*" in declared else catalogue if catalogue is not None else catalogue_ids()
    problems += cross_check(
        intents,
        [i for i in wanted if i not in declared or i in {x.id for x in intents}],
        intents_label=_relative(root, root / INTENTS_DIR),
    )
    problems += _negatives_clash(intents, negatives, _relative(root, root / OUT_OF_SCOPE_FILE))
    if problems:
        raise KnowledgeError(problems)
    by_id = {intent.id: intent for intent in intents}
    derived = {word: meaning for source in vocabulary for word, meaning in source(extras).items()}
    floors = {i.id: i.min_score for i in intents if i.min_score is not None}
    matcher = Matcher.build(
        {i.id: i.examples for i in intents},
        lexicon={**derived, **lexicon},
        negatives=negatives,
        floors=floors,
    )
    problems += regression_gate(by_id.values(), matcher)
    if problems:
        raise KnowledgeError(problems)
    return KnowledgeBase(root, by_id, lexicon, ui, matcher, extras, fingerprint(root), menus)


def read_sections(root: Path, sections: Mapping[str, Section], problems: list[Problem]) -> dict[str, Any]:
    """Parse each section's file under ``root`` by name; problems (with file and line) go to ``problems``."""
    return {
        name: _load_file(root, s.path, _bind(s.parse, root), problems, s.required)
        for name, s in sections.items()
    }


def _unknown_in_sections(
    root: Path, sections: Mapping[str, Section], extras: Mapping[str, Any], known: set[str]
) -> list[Problem]:
    return [
        Problem(_relative(root, root / s.path), line, f"{s.path}: unknown intent id {intent_id!r}")
        for name, s in sections.items()
        if s.names_intents is not None and extras.get(name) is not None
        for intent_id, line in s.names_intents(extras[name])
        if intent_id not in known
    ]


def _relative(root: Path, path: Path) -> str:
    try:
        return str(path.relative_to(root.parent if root.name else root))
    except ValueError:
        return str(path)


def _load_intents(root: Path, today: date, problems: list[Problem]) -> tuple[list[Intent], set[str]]:
    folder = root / INTENTS_DIR
    files = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
    if not files:
        problems.append(Problem(_relative(root, folder), 1, "no topic files (*.yaml) found"))
    intents: list[Intent] = []
    declared: set[str] = set()
    for path in files:
        loaded = _load_file(
            root, path.relative_to(root).as_posix(), lambda d, c: parse_intents_file(d, c, today), problems
        )
        if loaded is None:  # unreadable file: its ids are unknown, so skip the catalogue check
            declared.add("*")
            continue
        intents += loaded[0]
        declared |= loaded[1]
    return intents, declared


def _bind(parse: Callable[[Any, Collector, Path], Any], root: Path) -> Callable[[Any, Collector], Any]:
    """A section's parser with the knowledge root filled in."""
    return lambda data, collector: parse(data, collector, root)


def _load_file(
    root: Path,
    rel: str,
    parse: Callable[[Any, Collector], Any],
    problems: list[Problem],
    required: bool = True,
) -> Any:
    path = root / rel
    label = _relative(root, path)
    if not path.exists():
        if required:
            problems.append(Problem(label, 1, "file is missing"))
        return None
    data = None
    if path.suffix in (".yaml", ".yml"):
        data, found = load_yaml(path, label=label)
        problems += found
        if data is None:
            return None
    collector = Collector(label)  # other files (CSV) are read by their own parser
    value = parse(data, collector)
    problems += collector.problems
    return value


def cross_check(intents: list[Intent], catalogue: Iterable[str], *, intents_label: str = "") -> list[Problem]:
    """Rules spanning files: unique ids, one intent per example, related ids exist, catalogue complete.

    A missing catalogue id is reported against the first topic file, or ``intents_label`` (the
    intents folder) when there is none.
    """
    problems: list[Problem] = []
    seen: dict[str, Intent] = {}
    owner: dict[str, tuple[Intent, int]] = {}
    intents_label = intents[0].file if intents else intents_label or INTENTS_DIR
    for intent in intents:
        if intent.id in seen:
            first = seen[intent.id]
            problems.append(
                Problem(
                    intent.file,
                    intent.line,
                    f"intent {intent.id!r} is defined twice (first at {first.file}:{first.line})",
                )
            )
            continue
        seen[intent.id] = intent
        problems += _shared_examples(intent, owner)
    for intent in seen.values():
        for rel in intent.related:
            if rel not in seen:
                problems.append(
                    Problem(
                        intent.file, intent.line, f"intent {intent.id!r}: related id {rel!r} does not exist"
                    )
                )
    for ident in catalogue:
        if ident not in seen:
            problems.append(Problem(intents_label, 1, f"catalogue intent {ident!r} is missing"))
    return problems


def _shared_examples(intent: Intent, owner: dict[str, tuple[Intent, int]]) -> list[Problem]:
    """Examples of ``intent`` that an earlier intent already has (``owner`` maps normalised examples)."""
    problems = []
    for index, example in enumerate(intent.examples):
        other, other_index = owner.setdefault(normalise(example), (intent, index))
        if other is not intent:
            problems.append(
                Problem(
                    intent.file,
                    intent.example_line(index),
                    f"intent {intent.id!r}: example {example!r} is also under {other.id!r} "
                    f"({other.file}:{other.example_line(other_index)})",
                )
            )
    return problems


def _negatives_clash(intents: list[Intent], negatives: Iterable[str], label: str) -> list[Problem]:
    """An out-of-scope example may not also be an example of a real intent."""
    owners = {normalise(e): i.id for i in intents for e in i.examples}
    return [
        Problem(label, 1, f"out-of-scope example {text!r} is also an example of {owners[normalise(text)]!r}")
        for text in negatives
        if normalise(text) in owners
    ]


def regression_gate(intents: Iterable[Intent], matcher: Matcher) -> list[Problem]:
    """Every ``tests:`` phrase must still find its own intent (not a fallback, not another intent)."""
    problems = []
    for intent in intents:
        for phrase in intent.tests:
            found = matcher.match(phrase)
            if found.confidence is Confidence.FALLBACK or found.candidates[0].intent != intent.id:
                got = found.candidates[0].intent if found.candidates else "nothing"
                problems.append(
                    Problem(
                        intent.file,
                        intent.line,
                        f"intent {intent.id!r}: test phrase {phrase!r} now matches {got} "
                        f"({found.confidence.value}, score {found.score:.0f})",
                    )
                )
    return problems


def fingerprint(root: Path) -> str:
    """A digest of every knowledge file under ``root`` (backups aside): changes when any of them does."""
    digest = hashlib.sha256()
    files = (p for p in root.rglob("*") if p.is_file() and ".backups" not in p.relative_to(root).parts)
    for path in sorted(files):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def diff(old: KnowledgeBase, new: KnowledgeBase) -> Mapping[str, list[str]]:
    """Intents added, changed and removed between two knowledge bases (for the reload summary)."""
    added = sorted(new.intents.keys() - old.intents.keys())
    removed = sorted(old.intents.keys() - new.intents.keys())
    changed = sorted(
        i
        for i in new.intents.keys() & old.intents.keys()
        if _content(new.intents[i]) != _content(old.intents[i])
    )
    return {"added": added, "changed": changed, "removed": removed}


def _content(intent: Intent) -> tuple[object, ...]:
    return (
        intent.examples,
        dict(intent.answer),
        intent.related,
        intent.handoff,
        intent.sources,
        intent.reviewed,
        intent.tests,
        intent.min_score,
    )
