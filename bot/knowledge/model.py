"""The loaded knowledge: frozen values, built once by the loader and swapped whole on reload."""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from intents import Matcher

LANGS = ("id", "en")


@dataclass(frozen=True)
class Intent:
    """One question Pandu answers, with where it was defined."""

    id: str
    examples: tuple[str, ...]
    answer: Mapping[str, str]
    related: tuple[str, ...]
    handoff: bool
    sources: tuple[str, ...]
    reviewed: date
    tests: tuple[str, ...] = ()
    file: str = ""
    line: int = 0
    min_score: float | None = (
        None  # offer this intent (clarify) from this score on: for must-not-miss intents
    )
    example_lines: tuple[int, ...] = field(
        default=(), compare=False
    )  # the line of each example, for problems
    summary: Mapping[str, str] = field(
        default_factory=dict
    )  # its key fact in one line, shown when clarifying

    def example_line(self, index: int) -> int:
        return self.example_lines[index] if index < len(self.example_lines) else self.line

    def text(self, lang: str) -> str:
        return self.answer.get(lang) or self.answer["id"]

    def brief(self, lang: str) -> str:
        """The one-line summary in ``lang`` (empty when the intent has none)."""
        return self.summary.get(lang) or self.summary.get("id", "")


@dataclass(frozen=True)
class Texts:
    """Bilingual texts by key (``{key: {"id": ..., "en": ...}}``) with ``{placeholders}``."""

    entries: Mapping[str, Mapping[str, str]]

    def get(self, key: str, lang: str, /, **values: object) -> str:
        """The text in ``lang`` (Indonesian when missing), placeholders filled; an unknown key shows itself."""
        entry = self.entries.get(key)
        if entry is None:
            return key
        template = entry.get(lang) or entry["id"]
        return template.format_map(_Blank(values)) if "{" in template else template

    def __contains__(self, key: object) -> bool:
        return key in self.entries


@dataclass(frozen=True)
class MenuSection:
    """A topic menu (menus.yaml ``sections``): its guided services, then its questions."""

    flows: tuple[str, ...] = ()
    intents: tuple[str, ...] = ()


@dataclass(frozen=True)
class Menus:
    """The parsed file; empty (no menus, no offers, no handoff intents) when it is absent."""

    main: tuple[tuple[str, str], ...] = ()  # (section, ui label key)
    sections: Mapping[str, MenuSection] = field(default_factory=dict)
    flow_for_intent: Mapping[str, str] = field(default_factory=dict)
    handoff_intents: Mapping[str, str] = field(default_factory=dict)
    commands: tuple[tuple[str, str], ...] = ()  # (command, description)
    languages: tuple[tuple[str, str], ...] = ()  # (code, label)


@dataclass(frozen=True)
class KnowledgeBase:
    """Everything under ``KNOWLEDGE_DIR``, validated, with the matcher built over it."""

    root: Path
    intents: Mapping[str, Intent]
    lexicon: Mapping[str, str]
    ui: Mapping[str, Mapping[str, str]]
    matcher: Matcher = field(repr=False, compare=False)
    extras: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    fingerprint: str = ""
    menus: Menus = field(default_factory=Menus, compare=False)

    def text(self, key: str, lang: str, /, **values: object) -> str:
        """A UI text in ``lang`` with ``{placeholders}`` filled in."""
        return Texts(self.ui).get(key, lang, **values)

    def answer(self, intent_id: str, lang: str) -> str:
        return self.intents[intent_id].text(lang)


class _Blank(dict[str, object]):
    """format_map helper: a missing placeholder renders empty instead of raising."""

    def __missing__(self, key: str) -> str:
        return ""


def placeholders(template: str) -> set[str]:
    """Names of ``{placeholders}`` in a UI text."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def stale_intents(kb: KnowledgeBase, months: int, today: date) -> list[Intent]:
    """Entries whose ``reviewed`` date is more than ``months`` (of 30.44 days) before ``today``."""
    limit = today - timedelta(days=round(months * 30.44))
    return [i for i in kb.intents.values() if i.reviewed < limit]
