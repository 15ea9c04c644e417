"""Occupations and their synonyms (knowledge/data/jobs.yaml), and spotting them in what people type."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from bot.knowledge.parse import Collector
from bot.knowledge.yamlio import YDict
from bot.services.common import (
    Bilingual,
    bilingual,
    freeze,
    listing,
    missing_fields,
    text,
    texts,
    unknown_fields,
)
from intents import normalise

SECTION = "jobs"
PATH = "data/jobs.yaml"
FUZZY_CUTOFF = 80.0
MIN_FUZZY_CHARS = 5
_FIELDS = {"id", "name", "synonyms", "related"}


@dataclass(frozen=True)
class Occupation:
    id: str
    name: Bilingual
    synonyms: tuple[str, ...]
    related: tuple[str, ...]

    def label(self, lang: str) -> str:
        return self.name.get(lang) or self.name["id"]


class JobCatalog:
    """Occupations with a phrase index: exact phrases first (longest wins), then typo-tolerant."""

    def __init__(self, occupations: Sequence[Occupation], suggest: Sequence[str] = ()) -> None:
        self.occupations = freeze({o.id: o for o in occupations})
        self.suggest = tuple(suggest)
        self._phrases = {phrase: o.id for o in occupations for phrase in o.synonyms}
        self._longest = max((len(p.split()) for p in self._phrases), default=1)
        self.vocabulary = frozenset(word for phrase in self._phrases for word in phrase.split())
        self._titles: dict[str, str | None] = {}

    def find(self, words: Sequence[str], *, fuzzy: bool = False) -> list[tuple[str, int, int]]:
        """Non-overlapping ``(occupation id, start, end)`` spans in ``words``: exact phrases first
        (longest wins), then, with ``fuzzy``, typos of one- or two-word phrases among the rest."""
        taken = [False] * len(words)
        found: list[tuple[str, int, int]] = []
        for tolerant in (False, True) if fuzzy else (False,):
            longest = min(2, self._longest) if tolerant else self._longest
            for size in range(min(longest, len(words)), 0, -1):
                for start in range(len(words) - size + 1):
                    if any(taken[start : start + size]):
                        continue
                    ident = self._lookup(" ".join(words[start : start + size]), tolerant)
                    if ident is not None:
                        found.append((ident, start, start + size))
                        taken[start : start + size] = [True] * size
        return sorted(found, key=lambda item: item[1])

    def _lookup(self, phrase: str, fuzzy: bool) -> str | None:
        if phrase in self._phrases:
            return self._phrases[phrase]
        if not fuzzy or len(phrase) < MIN_FUZZY_CHARS:
            return None
        best = process.extractOne(phrase, list(self._phrases), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        return self._phrases[best[0]] if best else None

    def terms(self, ids: Sequence[str]) -> tuple[str, ...]:
        """Every phrase that names one of ``ids`` (what a vacancy title is matched against)."""
        return tuple(phrase for ident in ids for phrase in self.occupations[ident].synonyms)

    def occupation_of(self, title: str) -> str | None:
        """The occupation a vacancy title names: its first phrase, longest phrases winning overlaps
        ('Staf QC Produksi' -> quality_control, 'Operator Jahit' -> penjahit). Memoised."""
        if title not in self._titles:
            spans = self.find(normalise(title).split())
            self._titles[title] = spans[0][0] if spans else None
        return self._titles[title]


def parse_jobs(data: Any, out: Collector, root: Path) -> JobCatalog | None:
    """Parser for knowledge/data/jobs.yaml (registered as ``jobs``)."""
    if not isinstance(data, YDict):
        out.at(data, None, "jobs.yaml must be a mapping with 'occupations'")
        return None
    before = len(out.problems)
    unknown_fields(data, {"reviewed", "suggest", "occupations"}, "jobs.yaml", out)
    items: list[Any] = listing(data, "occupations", "jobs.yaml", out) or []
    parsed = [(node, _occupation(node, items, i, out)) for i, node in enumerate(items)]
    found = [(node, occupation) for node, occupation in parsed if occupation is not None]
    _cross_check(found, out)
    suggest = texts(data, "suggest", "jobs.yaml", out) if "suggest" in data else ()
    for ident in suggest or ():
        if ident not in {o.id for _, o in found}:
            out.at(data, "suggest", f"suggested occupation {ident!r} does not exist")
    return JobCatalog([o for _, o in found], suggest or ()) if len(out.problems) == before else None


def _occupation(node: Any, items: Any, index: int, out: Collector) -> Occupation | None:
    if not isinstance(node, YDict):
        out.at(items, index, "each occupation needs id, name, synonyms and related")
        return None
    where = f"occupation {node.get('id')!r}"
    unknown_fields(node, _FIELDS, where, out)
    missing_fields(node, _FIELDS, where, out)
    ident, name = text(node, "id", where, out), bilingual(node, "name", where, out)
    synonyms, related = texts(node, "synonyms", where, out), texts(node, "related", where, out)
    if ident is None or name is None or synonyms is None or related is None:
        return None
    return Occupation(ident, name, tuple(dict.fromkeys(normalise(s) for s in synonyms)), related)


def _cross_check(found: Sequence[tuple[YDict, Occupation]], out: Collector) -> None:
    ids: set[str] = set()
    owner: dict[str, str] = {}
    for node, occupation in found:
        if occupation.id in ids:
            out.at(node, "id", f"occupation id {occupation.id!r} is used twice")
        ids.add(occupation.id)
    for node, occupation in found:
        for phrase in occupation.synonyms:
            other = owner.setdefault(phrase, occupation.id)
            if other != occupation.id:
                out.at(node, "synonyms", f"synonym {phrase!r} is under both {other!r} and {occupation.id!r}")
        for rel in occupation.related:
            if rel not in ids:
                out.at(node, "related", f"occupation {occupation.id!r}: related id {rel!r} does not exist")
