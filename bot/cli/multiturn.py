"""Multi-turn evaluation: conversations of two or three turns, each turn labelled with the intent the
bot should answer (``null`` = out of scope), read through the dialogue with its follow-up context.

A turn counts as correct when the intent the dialogue acted on (``Outcome.turn.intent``: the answer, or
the first choice of a clarify; None for a fallback) equals its label. Every conversation starts from an
empty state; turns are one minute apart on the dialogue's clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ..dialogue import Dialogue, Incoming, Kind, State
from ..knowledge import KnowledgeBase, KnowledgeError, load_yaml
from ..knowledge.yamlio import Problem, YDict, YList

START = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class TurnResult:
    conversation: int
    position: int  # 0 = the opening question, 1.. = follow-ups
    text: str
    label: str | None
    got: str | None
    band: str | None

    @property
    def correct(self) -> bool:
        return self.got == self.label


@dataclass
class MultiTurnReport:
    turns: list[TurnResult] = field(default_factory=list)

    def accuracy(self, *, follow_ups_only: bool = False) -> float:
        chosen = [t for t in self.turns if t.position > 0 or not follow_ups_only]
        return sum(t.correct for t in chosen) / len(chosen) if chosen else 0.0

    def conversations_right(self) -> float:
        by: dict[int, bool] = {}
        for t in self.turns:
            by[t.conversation] = by.get(t.conversation, True) and t.correct
        return sum(by.values()) / len(by) if by else 0.0


def read_conversations(path: Path) -> list[list[tuple[str, str | None]]]:
    data, problems = load_yaml(path, max_bytes=20 * 1024 * 1024)
    items = data.get("conversations") if isinstance(data, YDict) else None
    if problems or not isinstance(items, YList):
        raise KnowledgeError(
            problems or [Problem(str(path), 1, "expected conversations: [{turns: [...]}, ...]")]
        )
    out = []
    for index, item in enumerate(items):
        turns = item.get("turns") if isinstance(item, dict) else None
        if not isinstance(turns, list) or not all(
            isinstance(t, dict) and isinstance(t.get("text"), str) for t in turns
        ):
            raise KnowledgeError(
                [Problem(str(path), items.line_of(index), "each conversation needs turns of {text, intent}")]
            )
        out.append([(t["text"], t.get("intent")) for t in turns])
    return out


class _Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def evaluate_conversations(
    kb: KnowledgeBase, conversations: list[list[tuple[str, str | None]]], *, services: object = None
) -> MultiTurnReport:
    clock = _Clock()
    dialogue = Dialogue(kb, now=clock, **({"services": services} if services is not None else {}))  # type: ignore[arg-type]
    report = MultiTurnReport()
    for number, turns in enumerate(conversations):
        state = State()
        for position, (text, label) in enumerate(turns):
            clock.now += timedelta(minutes=1)
            flow = state.flow
            outcome = dialogue.handle(state, Incoming(Kind.TEXT, text=text))
            state = outcome.state
            got = outcome.turn.intent if outcome.turn.band != "fallback" else None
            served = flow or state.flow  # taken by a guided flow, or one it started: the intent it serves
            if outcome.turn.band is None and served:
                got = next((i for i, f in dialogue.kb.menus.flow_for_intent.items() if f == served), None)
            report.turns.append(TurnResult(number, position, text, label, got, outcome.turn.band))
    return report
