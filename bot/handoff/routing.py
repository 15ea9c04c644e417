"""Where a user's message goes, decided from their dialogue state alone (pure, no reads).

"With a counsellor" is part of the user's :class:`~bot.dialogue.State`: ``state.handoff`` holds the open
case (``{"case": id, "status": "waiting" | "assigned", "lang": …}``), written by the handoff service in
the same transaction as every change of the case (opened, taken, handed back, closed by anyone or by
the idle timer). While the case is assigned, the user's messages go to its counsellor; while the
intake flow runs (topic, then one line), they are its answers; otherwise the bot answers them.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from intents import Confidence

from ..dialogue.types import Effect, Incoming, Kind, Outcome, Reply, State, Turn
from ..knowledge import KnowledgeBase

__all__ = [
    "ASSIGNED",
    "CRISIS_INTENT",
    "INTAKE_FLOW",
    "STATE_KEY",
    "WAITING",
    "Destination",
    "is_crisis",
    "relay",
    "route",
    "with_case",
]

STATE_KEY = "handoff"  # the State field (and JSON key) the service writes
INTAKE_FLOW = "handoff"  # the intake flow's name (bot.handoff.intake)
WAITING, ASSIGNED = "waiting", "assigned"
CRISIS_INTENT = "urgent.crisis"
MAX_MATCH_CHARS = 500


class Destination(Enum):
    BOT = "bot"  # the dialogue answers
    COUNSELLOR = "counsellor"  # relayed to the counsellor holding the case
    INTAKE = "intake"  # an answer to the intake flow (the dialogue runs the flow)


def route(state: State, incoming: Incoming) -> Destination:
    """A typed message or media while a counsellor holds the case goes to them; commands, buttons and
    edits stay with the bot (``/selesai`` ends the conversation, ``/menu`` still works)."""
    if incoming.kind in (Kind.TEXT, Kind.MEDIA) and state.handoff.get("status") == ASSIGNED:
        return Destination.COUNSELLOR
    if state.flow == INTAKE_FLOW:
        return Destination.INTAKE
    return Destination.BOT


def relay(state: State, incoming: Incoming, kb: KnowledgeBase) -> Outcome:
    """The turn of a message for the counsellor: the relay as an effect; a crisis message also gets the
    crisis contacts at once (and the effect marks the case urgent)."""
    lang = str(state.handoff.get("lang") or state.reply_lang())
    text = incoming.text if incoming.kind is Kind.TEXT else ""
    crisis = bool(text) and is_crisis(kb, text)
    replies = [Reply(kb.answer(CRISIS_INTENT, lang))] if crisis else []
    args: dict[str, Any] = {
        "case": int(state.handoff.get("case") or 0),
        "text": text,
        "media": incoming.text if incoming.kind is Kind.MEDIA else incoming.media,
        "message_id": incoming.message_id,
        "crisis": crisis,
        "lang": lang,
    }
    return Outcome(state, replies, [Effect("handoff_relay", args)], Turn(lang=lang))


def is_crisis(kb: KnowledgeBase, text: str) -> bool:
    """The answering engine reads ``text`` as a crisis (the same rule the dialogue uses)."""
    found = kb.matcher.match(text[:MAX_MATCH_CHARS])
    return found.intent == CRISIS_INTENT and found.confidence is Confidence.ANSWER


def with_case(stored: dict[str, Any], value: dict[str, Any] | None) -> dict[str, Any]:
    """A stored state (JSON) with its open case set (no intake runs then), or cleared with None."""
    state = dict(stored)
    if value:
        state[STATE_KEY] = value
        if state.get("flow") == INTAKE_FLOW:
            state["flow"], state["flow_data"] = None, {}
    else:
        state.pop(STATE_KEY, None)
    return state
