"""Informative clarify: choices that carry their key fact, and fact questions answered outright.

When the matcher is unsure (a clarify), the reply lists every choice with its one-line ``summary`` so
the fact is on the screen whichever was meant; the buttons still open the full answers. When the
message asks for a number of one kind — an age, a percentage, a deadline, an amount of money — and
exactly one of the choices states a fact of that kind in its summary, that one is answered and the
others are offered below it ("Atau maksud Anda …"); so is a first choice far ahead of the second
(``CLEAR_SCORE``/``CLEAR_GAP``, chosen on the dev sets with ``benchmarks/clarify.py``).

Pure and synchronous: ``decide(kb, match)`` returns the match to act on (the same one, or an answer) and
the other choices to offer under that answer.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import replace

from intents import Candidate, Confidence, Match

from ..knowledge import KnowledgeBase
from . import menus
from .types import Reply

__all__ = ["FACT_KINDS", "asked_kinds", "choices_reply", "decide", "others_reply"]

MIN_FACT_SCORE = 40.0  # a fact question is answered outright only from this score of its intent on
CLEAR_SCORE = 45.0  # any clarify whose first choice has this score and ...
CLEAR_GAP = 15.0  # ... leads the second by this much is answered, with the second offered below it


class FactKind:
    """A kind of number a question asks for: words that ask for it, and how a summary states it."""

    def __init__(self, words: Sequence[str], phrases: Sequence[str], stated: str) -> None:
        self.words = frozenset(words)
        self.phrases = tuple(tuple(p.split()) for p in phrases)
        self.stated = re.compile(stated, re.IGNORECASE)

    def asked(self, words: Sequence[str]) -> bool:
        words = [_plain(w) for w in words]
        if self.words.intersection(words):
            return True
        return any(_contains(words, phrase) for phrase in self.phrases)


# Words are the matcher's normalised words (the lexicon has run: "brp" -> "berapa", "deadline" -> "batas waktu").
FACT_KINDS = {
    "age": FactKind(
        ("umur", "usia", "age", "aged", "tua"),
        ("how old", "batas umur", "maksimal umur"),
        r"\busia\b|\bumur\b|\bunder \d+|\bage\b|\b\d+\+",
    ),
    "percent": FactKind(("persen", "percent", "percentage", "%"), (), r"\d+(?:[.,]\d+)?\s?%"),
    "deadline": FactKind(
        ("lambat", "terlambat", "telat", "tenggat", "kedaluwarsa", "hangus", "late", "keburu"),
        ("batas waktu", "paling lambat", "sampai kapan", "how long after", "time limit"),
        r"paling lambat|\bwithin \d+|batas waktu",
    ),
    "amount": FactKind(
        ("much",),
        (
            "berapa uang",
            "berapa rupiah",
            "dapat berapa",
            "sampai berapa",
            "maksimal berapa",
            "berapa juta",
            "berapa besar",
            "uang berapa",
        ),
        r"\bRp\s?\d",
    ),
    "duration": FactKind(
        (),
        ("berapa bulan", "how many months", "for how long"),
        r"\d+\s?(?:bulan|hari|tahun|months?|days?|years?)\b",
    ),
}


def _plain(word: str) -> str:
    """The word without a trailing particle ("uangnya" -> "uang", "umurnya" -> "umur")."""
    return word[:-3] if word.endswith("nya") and len(word) >= 6 else word


def _contains(words: Sequence[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tuple(words[i : i + n]) == phrase for i in range(len(words) - n + 1))


def asked_kinds(words: Sequence[str]) -> list[str]:
    """The kinds of number ``words`` ask for ("batas umur peserta jkp" -> ["age"])."""
    return [name for name, kind in FACT_KINDS.items() if kind.asked(words)]


def states(kb: KnowledgeBase, intent_id: str, kind: str) -> bool:
    """Whether the intent's summary (in either language) states a fact of ``kind``."""
    intent = kb.intents.get(intent_id)
    if intent is None:
        return False
    return any(FACT_KINDS[kind].stated.search(text) for text in intent.summary.values())


def decide(kb: KnowledgeBase, found: Match, *, keep: Collection[str] = ()) -> tuple[Match, tuple[str, ...]]:
    """The match to act on, and the other choices to offer under it. A clarify whose fact question one
    choice clearly answers becomes that answer (its candidates reordered so it comes first); anything
    else comes back unchanged with no others. Choices in ``keep`` (a crisis) always leave the clarify."""
    if found.confidence is not Confidence.CLARIFY or found.out_of_scope:
        return found, ()
    choices = found.choices
    if keep and not set(keep).isdisjoint(choices):
        return found, ()
    chosen = _fact_answer(kb, found) or _clearly_ahead(found)
    if chosen is None:
        return found, ()
    rest = tuple(c for c in found.candidates if c.intent != chosen.intent)
    return (
        replace(found, confidence=Confidence.ANSWER, candidates=(chosen, *rest)),
        tuple(c for c in choices if c != chosen.intent),
    )


def _fact_answer(kb: KnowledgeBase, found: Match) -> Candidate | None:
    """The one choice whose summary states the kind of number the message asks for."""
    kinds = asked_kinds(found.words)
    stating = [c for c in found.choices if any(states(kb, c, kind) for kind in kinds)] if kinds else []
    if len(stating) != 1:
        return None
    chosen = next(c for c in found.candidates if c.intent == stating[0])
    return chosen if chosen.score >= MIN_FACT_SCORE else None


def _clearly_ahead(found: Match) -> Candidate | None:
    """The first candidate when it is far ahead of the second, though under the answer limit."""
    top, *others = found.candidates
    ahead = not others or top.score - others[0].score >= CLEAR_GAP
    return top if top.score >= CLEAR_SCORE and ahead else None


def _lines(kb: KnowledgeBase, choices: Sequence[str], lang: str) -> list[str]:
    lines = []
    for intent_id in choices:
        intent = kb.intents.get(intent_id)
        brief = intent.brief(lang) if intent is not None else ""
        title = menus.title(kb, intent_id, lang)
        lines.append(kb.text("clarify_item", lang, title=title, summary=brief) if brief else f"• {title}")
    return lines


def choices_reply(kb: KnowledgeBase, choices: Sequence[str], lang: str) -> Reply:
    """ "Which one do you mean?" with each choice's key fact; a button per choice opens its answer."""
    text = "\n".join([kb.text("clarify", lang), "", *_lines(kb, choices, lang)])
    return Reply(text, menus.rows([menus.intent_button(kb, c, lang) for c in choices], 1))


def others_reply(kb: KnowledgeBase, others: Sequence[str], lang: str) -> Reply:
    """ "Or did you mean …" under a fact answer: the other choices with their key facts and buttons."""
    text = "\n".join([kb.text("clarify_or", lang), *_lines(kb, others, lang)])
    return Reply(text, menus.rows([menus.intent_button(kb, c, lang) for c in others], 1))
