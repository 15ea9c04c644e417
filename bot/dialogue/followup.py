"""Follow-up questions in context: a short message naming no topic is read with the last answer's topic.

"terus dokumennya apa?" after a JHT answer means JHT documents; "kalau yang kontrak?" after the JKP
eligibility answer means contract workers and JKP; "in English please" means the last answer again, in
English. The last answered intent and when it was answered are kept in ``State.pending`` (stored with
the state as JSON), for ``minutes`` (``knowledge/followup.yaml``) by the dialogue's injectable clock.

Pure and synchronous; the data file is parsed by :func:`parse_followups` (a knowledge section).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from intents import Candidate, Confidence, Match, Matcher
from intents.index import affix_variants

from ..knowledge import KnowledgeBase
from ..knowledge.parse import Collector
from ..knowledge.yamlio import YDict, YList
from .types import State

__all__ = [
    "PATH",
    "SECTION",
    "FollowUps",
    "Recalled",
    "Stay",
    "contextual",
    "parse_followups",
    "recall",
    "remember",
]

SECTION = "followup"
PATH = "followup.yaml"
CONTEXT = "context"  # state.pending key: {"intent": id, "at": ISO time}
CLARIFIED = (
    "clarified"  # state.pending key: {"choices": [id, ...], "at": ISO time}: the last reply was a clarify
)
KEEP_INTENTS = ("chat.", "urgent.")  # small talk and a crisis are never re-read as a follow-up
# A follow-up's scores: the last intent keeps its own, the others on its topic keep this share, the rest this one.
SAME_TOPIC = 0.8
OTHER_TOPICS = 0.65
FIELDS = {"minutes", "max_words", "topics", "names", "languages", "stay", "next", "plain"}


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Stay:
    """After an answer: the intents a short message may read as and still mean that answer again —
    ``always``, or only while the matcher is ``unsure`` (a clear "I want a real person" is honoured)."""

    always: frozenset[str] = frozenset()
    unsure: frozenset[str] = frozenset()


@dataclass(frozen=True)
class FollowUps:
    """The parsed ``followup.yaml``: topic word per intent, words that name a topic, language words."""

    minutes: float = 10.0
    max_words: int = 5
    topic_of: Mapping[str, str] = field(default_factory=dict)
    names: frozenset[str] = frozenset()
    languages: Mapping[str, frozenset[str]] = field(default_factory=dict)
    stay: Mapping[str, Stay] = field(default_factory=dict)  # intent -> what reads as it again
    next: Mapping[str, frozenset[str]] = field(default_factory=dict)  # intent -> where a follow-up may go on
    plain: frozenset[str] = frozenset()  # words that ask on about the last answer without re-aiming it
    named: tuple[tuple[str, int], ...] = ()  # every intent id in the file, with its line (for `check`)

    def is_followup(self, words: Sequence[str], filler: Callable[[str], bool]) -> bool:
        """Short, and names no topic of its own ("pesangonnya?" names one: particles are trimmed); filler
        alone counts ("terus?", "what should I do now?")."""
        content = [w for w in dict.fromkeys(words) if not filler(w)]
        return bool(words) and len(content) <= self.max_words and not any(map(self.names_topic, words))

    def names_topic(self, word: str) -> bool:
        return word in self.names or not self.names.isdisjoint(affix_variants(word))

    def language_asked(self, words: Sequence[str]) -> str | None:
        found = [lang for lang, names in self.languages.items() if not names.isdisjoint(words)]
        return found[0] if len(found) == 1 else None


@dataclass(frozen=True)
class Recalled:
    intent: str
    topic: str
    answered: bool = True  # False: the context of a clarify (its first choice), never answered


def remember(state: State, intent_id: str, now: datetime, followups: FollowUps) -> bool:
    """Keep ``intent_id`` as the context of the next messages; False for an intent with no topic."""
    if intent_id not in followups.topic_of:
        return False
    state.pending[CONTEXT] = {"intent": intent_id, "at": now.isoformat()}
    return True


def remember_choices(state: State, choices: Sequence[str], now: datetime) -> None:
    """Keep the choices of the clarify just shown ("in English please" right after it shows them again)."""
    state.pending[CLARIFIED] = {"choices": list(choices), "at": now.isoformat()}


def recall_choices(state: State, now: datetime, followups: FollowUps) -> list[str] | None:
    """The choices of the clarify that was the last reply, while it is fresh; else None (and dropped)."""
    value = state.pending.get(CLARIFIED)
    try:
        choices, at = list(value["choices"]), datetime.fromisoformat(value["at"])  # type: ignore[index]
    except (TypeError, KeyError, ValueError):
        state.pending.pop(CLARIFIED, None)
        return None
    if not choices or not all(isinstance(c, str) for c in choices):
        state.pending.pop(CLARIFIED, None)
        return None
    if not timedelta(0) <= now - at <= timedelta(minutes=followups.minutes):
        state.pending.pop(CLARIFIED, None)
        return None
    return choices


def recall_clarified(state: State, now: datetime, followups: FollowUps) -> Recalled | None:
    """After a clarify whose choices are all on one topic ("syarat JKP" or "batas waktu JKP"), that topic
    is the context, with the first choice as the last intent: "caranya gmn" then means claiming JKP."""
    choices = recall_choices(state, now, followups)
    topics = {followups.topic_of.get(c) for c in choices or ()}
    if not choices or len(topics) != 1 or None in topics:
        return None
    return Recalled(choices[0], followups.topic_of[choices[0]], answered=False)


def recall(state: State, now: datetime, followups: FollowUps) -> Recalled | None:
    """The last answered intent and its topic, while it is fresh; a stale or broken value is dropped."""
    value = state.pending.get(CONTEXT)
    try:
        intent, at = value["intent"], datetime.fromisoformat(value["at"])  # type: ignore[index]
    except (TypeError, KeyError, ValueError):
        state.pending.pop(CONTEXT, None)
        return None
    topic = followups.topic_of.get(intent)
    if topic is None or not timedelta(0) <= now - at <= timedelta(minutes=followups.minutes):
        state.pending.pop(CONTEXT, None)
        return None
    return Recalled(intent, topic)


def contextual(
    matcher: Matcher,
    text: str,
    found: Match,
    last: Recalled,
    followups: FollowUps,
    filler: Callable[[str], bool],
) -> Match:
    """``found`` re-read with the last topic when the message is a follow-up; otherwise ``found``."""
    if last.answered and (
        _stays(found, last, followups, filler) or _plain_only(found, last, followups, filler)
    ):
        # "tolong" after the crisis answer: the crisis again; "brp?" after the contribution: the contribution
        kept = Candidate(last.intent, max(found.score, matcher.thresholds.answer))
        rest = tuple(c for c in found.candidates if c.intent != last.intent)
        return replace(found, confidence=Confidence.ANSWER, candidates=(kept, *rest), out_of_scope=False)
    if found.intent and found.intent.startswith(KEEP_INTENTS) and found.confidence is Confidence.ANSWER:
        return found
    if not followups.is_followup(found.words, filler):
        return found
    prefer = {intent: SAME_TOPIC for intent, topic in followups.topic_of.items() if topic == last.topic}
    if last.answered:
        prefer[last.intent] = 1.0
        prefer.update(dict.fromkeys(followups.next.get(last.intent, ()), 1.0))
    again = matcher.match(f"{text} {last.topic}", prefer=prefer, rest=OTHER_TOPICS)
    if again.confidence is Confidence.FALLBACK or again.out_of_scope:
        return found
    if again.confidence is Confidence.CLARIFY and _clear_in_topic(
        again, last, followups, matcher.thresholds.margin
    ):
        return replace(again, confidence=Confidence.ANSWER)
    return again


def _stays(found: Match, last: Recalled, followups: FollowUps, filler: Callable[[str], bool]) -> bool:
    """A short message after an answer listed under ``stay`` that reads as one of its intents: that
    answer again ("please help me now" after the crisis lines is no general help menu)."""
    keep = followups.stay.get(last.intent)
    if keep is None or found.noise or not found.candidates or found.confidence is Confidence.FALLBACK:
        return False
    if not followups.is_followup(found.words, filler):
        return False
    top = found.candidates[0].intent
    unsure = found.confidence is Confidence.CLARIFY
    return top == last.intent or top in keep.always or (unsure and top in keep.unsure)


def _plain_only(found: Match, last: Recalled, followups: FollowUps, filler: Callable[[str], bool]) -> bool:
    """Only filler, numbers and ``plain`` words, at least one of the last two ("brp?", "setelah itu apa?",
    "bukannya 45%?"): nothing points
    elsewhere in the topic, so it asks on about the last answer (a crisis word or a clear intent of its
    own, such as a goodbye, is never overridden)."""
    if found.noise or not found.words or last.intent.startswith(KEEP_INTENTS):
        return False
    if found.intent and found.intent.startswith(KEEP_INTENTS) and found.confidence is Confidence.ANSWER:
        return False
    asks_on = [w.isdigit() or w in followups.plain for w in found.words]
    # filler alone ("how much?") is no ask-on: it is read in the topic like other follow-ups
    return any(asks_on) and all(a or filler(w) for w, a in zip(found.words, asks_on, strict=True))


def _clear_in_topic(found: Match, last: Recalled, followups: FollowUps, margin: float) -> bool:
    """The first choice is on the topic in context and either the only one on it or clearly ahead: a
    follow-up is short, so its scores stay low, but the conversation has already narrowed it down."""
    top, *others = found.candidates
    if followups.topic_of.get(top.intent) != last.topic:
        return False
    in_topic = [c for c in found.choices if followups.topic_of.get(c) == last.topic]
    return in_topic == [top.intent] or not others or top.score - others[0].score >= margin


def parse_followups(data: Any, out: Collector, root: Path) -> FollowUps:
    """Parser for knowledge/followup.yaml."""
    if not isinstance(data, YDict):
        out.at(
            data, None, "followup.yaml must be a mapping with minutes, max_words, topics, names, languages"
        )
        return FollowUps()
    for key in sorted(data.keys() - FIELDS):
        out.at(data, key, f"followup.yaml: unknown field {key!r}")
    minutes, max_words = data.get("minutes", 10), data.get("max_words", 5)
    if isinstance(minutes, bool) or not isinstance(minutes, int | float) or not 0 < minutes <= 120:
        out.at(data, "minutes", "followup.yaml: 'minutes' must be a number from 1 to 120")
        minutes = 10
    if isinstance(max_words, bool) or not isinstance(max_words, int) or not 1 <= max_words <= 20:
        out.at(data, "max_words", "followup.yaml: 'max_words' must be a whole number from 1 to 20")
        max_words = 5
    topic_of: dict[str, str] = {}
    named: list[tuple[str, int]] = []
    topics = data.get("topics")
    if not isinstance(topics, YDict):
        out.at(data, "topics", "followup.yaml: 'topics' must map a topic word to a list of intent ids")
        topics = YDict()
    for word, ids in topics.items():
        for intent_id in _words(ids, topics, word, out, f"topics.{word}"):
            if intent_id in topic_of:
                out.at(topics, word, f"followup.yaml: intent {intent_id!r} is under two topics")
            topic_of[intent_id] = str(word)
            named.append((intent_id, topics.line_of(word)))
    languages = data.get("languages", YDict())
    if not isinstance(languages, YDict):
        out.at(data, "languages", "followup.yaml: 'languages' must map id/en to lists of words")
        languages = YDict()
    stay = data.get("stay", YDict())
    if not isinstance(stay, YDict):
        out.at(data, "stay", "followup.yaml: 'stay' must map an intent id to {always: [...], unsure: [...]}")
        stay = YDict()
    stays: dict[str, Stay] = {}
    for intent_id, lists in stay.items():
        if not isinstance(lists, YDict) or not lists.keys() <= {"always", "unsure"}:
            out.at(
                stay, intent_id, f"followup.yaml: 'stay.{intent_id}' must have only always: and unsure: lists"
            )
            continue
        named += [(str(intent_id), stay.line_of(intent_id))]
        named += [(i, lists.line_of(k)) for k in ("always", "unsure") if k in lists for i in _ids(lists[k])]
        stays[str(intent_id)] = Stay(
            *(
                frozenset(_words(lists[k], lists, k, out, f"stay.{intent_id}.{k}"))
                if k in lists
                else frozenset()
                for k in ("always", "unsure")
            )
        )
    next_of: dict[str, frozenset[str]] = {}
    onward = data.get("next", YDict())
    if not isinstance(onward, YDict):
        out.at(data, "next", "followup.yaml: 'next' must map an intent id to a list of intent ids")
        onward = YDict()
    for intent_id, ids in onward.items():
        next_of[str(intent_id)] = frozenset(_words(ids, onward, intent_id, out, f"next.{intent_id}"))
        named += [(str(intent_id), onward.line_of(intent_id))] + [
            (i, onward.line_of(intent_id)) for i in next_of[str(intent_id)]
        ]
    return FollowUps(
        float(minutes),
        int(max_words),
        topic_of,
        frozenset(_words(data.get("names", YList()), data, "names", out, "names")),
        {str(k): frozenset(_words(v, languages, k, out, f"languages.{k}")) for k, v in languages.items()},
        stays,
        next_of,
        frozenset(_words(data.get("plain", YList()), data, "plain", out, "plain")),
        tuple(named),
    )


def named_intents(value: FollowUps) -> tuple[tuple[str, int], ...]:
    """The intent ids ``followup.yaml`` names, with their lines (``Section.names_intents``)."""
    return value.named


def _ids(value: Any) -> list[str]:
    return [v.strip().lower() for v in value if isinstance(v, str)] if isinstance(value, YList) else []


def _words(value: Any, parent: YDict, key: Any, out: Collector, where: str) -> list[str]:
    if not isinstance(value, YList) or not all(isinstance(v, str) and v.strip() for v in value):
        out.at(parent, key, f"followup.yaml: '{where}' must be a list of words")
        return []
    return [v.strip().lower() for v in value]


def unknown_intents(followups: FollowUps, kb: KnowledgeBase) -> list[str]:
    """Intent ids in the file that the knowledge does not have."""
    named = {*followups.topic_of, *followups.stay}
    named.update(i for s in followups.stay.values() for i in s.always | s.unsure)
    named.update(i for key, ids in followups.next.items() for i in {key, *ids})
    return sorted(i for i in named if i not in kb.intents)


def section_value(kb: KnowledgeBase) -> FollowUps:
    value = kb.extras.get(SECTION)
    return value if isinstance(value, FollowUps) else FollowUps()
