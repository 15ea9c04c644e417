"""Unanswered questions: group similar ones, and propose knowledge changes for an admin to review.

Pure: texts and a knowledge base in, groups and a YAML-ready proposal mapping out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from rapidfuzz import fuzz, process

from bot.knowledge import KnowledgeBase
from bot.knowledge.loader import regression_gate
from intents import normalise
from intents.language import COURTESY_WORDS, FILLER_WORDS
from intents.normalise import Lexicon

SIMILAR = 80.0  # token_set_ratio at which two questions count as the same
MAX_EXAMPLES = 3
_SLUG = re.compile(r"[^a-z0-9]+")
QUESTION_WORDS = frozenset(
    "bagaimana gimana cara caranya kenapa mengapa kapan dimana mana berapa siapa bisakah".split()
)
IGNORED = FILLER_WORDS | COURTESY_WORDS | QUESTION_WORDS


@dataclass(frozen=True)
class Group:
    """Similar questions: how often they were asked and the distinct wordings, most frequent first."""

    key: str
    count: int
    examples: tuple[str, ...]


def askable(text: str) -> bool:
    """A typed question (not a command, a button press, media, or masked personal data only)."""
    return bool(text.strip()) and not text.startswith(("/", "[")) and bool(normalise(text))


def group(
    texts: Iterable[str], *, similar: float = SIMILAR, lexicon: Mapping[str, str] | None = None
) -> list[Group]:
    """Greedy clustering with token_set_ratio on each question's content words; biggest groups first.

    Content words: normalised, slang expanded by ``lexicon`` ("gmn" -> "bagaimana", "bikin" -> "buat"),
    filler, courtesy and question words left out, so "cara bikin SIM", "gimana cara buat sim?" and
    "bikin sim gmn ya kak" are one group. A group's ``key`` stays its first question, normalised."""
    keys: list[str] = []
    contents: list[str] = []
    members: list[list[str]] = []
    lex = Lexicon(lexicon or {})
    for text in (t.strip() for t in texts if askable(t)):
        norm = normalise(text)
        content = content_key(norm, lex)
        best = process.extractOne(content, contents, scorer=fuzz.token_set_ratio, score_cutoff=similar)
        if best is None:
            keys.append(norm)
            contents.append(content)
            members.append([text])
        else:
            members[best[2]].append(text)
    groups = [
        Group(key, len(m), tuple(t for t, _ in Counter(m).most_common()))
        for key, m in zip(keys, members, strict=True)
    ]
    return sorted(groups, key=lambda g: -g.count)


def content_key(norm: str, lexicon: Lexicon) -> str:
    """The words of a normalised question that say what it is about (all of them when none would be left)."""
    words = lexicon.expand(norm.split())
    content = [w for w in words if w not in IGNORED]
    return " ".join(content or words)


def suggest(
    groups: Iterable[Group], kb: KnowledgeBase, today: date, *, since: date | None = None
) -> dict[str, Any]:
    """Proposals: new examples for the nearest intent, or a new intent skeleton when none is near.

    Examples that already exist anywhere, hold masked data, or would break a ``tests:`` phrase are left
    out, so merging every ``add_examples`` proposal keeps ``python -m bot check`` passing."""
    taken = {normalise(e) for i in kb.intents.values() for e in i.examples}
    examples = {i.id: list(i.examples) for i in kb.intents.values()}
    add: dict[str, dict[str, Any]] = {}
    new: list[dict[str, Any]] = []
    for g in groups:
        fresh = _fresh(g.examples, taken)
        if not fresh:
            continue
        nearest = kb.matcher.rank(g.key, limit=1)
        if nearest and nearest[0].score >= kb.matcher.thresholds.clarify:
            kept = _safe_additions(examples, nearest[0].intent, fresh, kb)
            if kept:
                entry = add.setdefault(
                    nearest[0].intent,
                    {
                        "intent": nearest[0].intent,
                        "score": round(nearest[0].score),
                        "count": 0,
                        "examples": [],
                    },
                )
                entry["count"] += g.count
                entry["examples"] += kept
        else:
            new.append(
                {"count": g.count, "intent": skeleton(g, fresh, today, {n["intent"]["id"] for n in new})}
            )
    return {
        "generated": today.isoformat(),
        "since": since.isoformat() if since else None,
        "add_examples": list(add.values()),
        "new_intents": new,
    }


def _fresh(texts: Iterable[str], taken: set[str]) -> list[str]:
    out = []
    for text in texts:
        key = normalise(text)
        if key and key not in taken and "[" not in text:
            taken.add(key)
            out.append(text)
    return out


def _safe_additions(
    examples: dict[str, list[str]], intent: str, fresh: list[str], kb: KnowledgeBase
) -> list[str]:
    """The phrases that can join ``intent`` without any ``tests:`` phrase finding another intent."""
    kept = []
    for phrase in fresh:
        trial = {**examples, intent: [*examples[intent], phrase]}
        matcher = kb.matcher.rebuild(trial)
        if not regression_gate(kb.intents.values(), matcher):
            examples[intent] = trial[intent]
            kept.append(phrase)
    return kept


def skeleton(g: Group, examples: list[str], today: date, used: set[str]) -> dict[str, Any]:
    """A new intent for an admin to complete (answer, summary and sources are TODO)."""
    slug = "_".join(_SLUG.sub(" ", g.key).split()[:4]) or "topic"
    ident, n = f"new.{slug}", 2
    while ident in used:
        ident, n = f"new.{slug}_{n}", n + 1
    return {
        "id": ident,
        "examples": examples,
        "answer": {"id": "TODO", "en": "TODO"},
        "summary": {"id": "TODO", "en": "TODO"},
        "sources": ["TODO"],
        "reviewed": today.isoformat(),
        "related": [],
        "handoff": False,
    }


def top(groups: list[Group], limit: int = 10) -> list[Group]:
    """The ``limit`` biggest groups, each with at most :data:`MAX_EXAMPLES` wordings."""
    return [Group(g.key, g.count, g.examples[:MAX_EXAMPLES]) for g in groups[:limit]]


def merge_examples(proposals: Mapping[str, Any]) -> dict[str, list[str]]:
    """intent id -> examples to add, from a suggestions mapping (for tools and tests)."""
    return {p["intent"]: list(p["examples"]) for p in proposals.get("add_examples") or []}
