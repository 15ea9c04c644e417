"""One user action through the dialogue, with everything kept in the store (no state in memory).

Channel adapters (Telegram, tests) call :meth:`Conversation.handle`; it loads the user's state, runs
the pure dialogue core (or, while a counsellor holds the user's case, the relay: see
``bot.handoff.routing``), and stores the claim of the update, the transcript (masked) and the new state
together, so the next message continues on any instance or after a restart.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .dialogue import Dialogue, Incoming, Kind, Outcome, State
from .handoff.routing import Destination, relay, route
from .knowledge import KnowledgeBase, KnowledgeError, Problem
from .storage.base import Envelope, Line, StaleState, Store, TurnRecord

STALE_RETRIES = 5  # another update of the same user stored first: compute the turn again, this often
Deliver = Callable[[Outcome], Sequence[Envelope]]  # the channel renders a turn's replies for the outbox


class KnowledgeHolder:
    """The dialogue over the current knowledge; replaced whole on reload (one attribute assignment).

    ``load`` is how a knowledge directory is read (the assembly's ``bot.sections.load_knowledge``): a
    reload reads exactly the files the bot started with."""

    def __init__(self, dialogue: Dialogue, load: Callable[[Path], KnowledgeBase] | None = None) -> None:
        self.dialogue = dialogue
        self.load = load or _cannot_reload


def _cannot_reload(root: Path) -> KnowledgeBase:
    raise KnowledgeError([Problem(str(root), 1, "this bot was started without a knowledge loader")])


@dataclass(frozen=True)
class Person:
    id: int
    first_name: str = ""
    language_code: str = ""


def incoming_text(incoming: Incoming) -> str:
    """What the transcript records for the user's action."""
    if incoming.kind is Kind.BUTTON:
        return f"[button] {incoming.data}" + (f" | {incoming.label}" if incoming.label else "")
    if incoming.kind is Kind.COMMAND:
        return f"/{incoming.text}"
    if incoming.kind is Kind.MEDIA:
        return f"[{incoming.text or 'media'}]"
    return incoming.text


class Conversation:
    def __init__(self, store: Store, holder: KnowledgeHolder) -> None:
        self.store = store
        self.holder = holder

    async def handle(
        self,
        person: Person,
        incoming: Incoming,
        *,
        update_id: int | None = None,
        deliver: Deliver | None = None,
    ) -> Outcome | None:
        """Process one action; None when this delivery was already processed.

        The claim of the update, the transcript and the new state are written in one transaction after
        the (pure) dialogue step, so a crash half-way leaves nothing behind and Telegram's re-delivery
        is processed normally, while a duplicate delivery writes and sends nothing. When another update
        of the same user was stored in between (:class:`StaleState`), the step is computed again on the
        state that update left, so neither is lost. ``deliver`` renders the replies as outbox rows, queued
        in that same transaction: a stored turn always has its answer on the way.
        """
        for attempt in range(STALE_RETRIES):
            try:
                return await self._turn(person, incoming, update_id, deliver)
            except StaleState:
                if attempt == STALE_RETRIES - 1:
                    raise
        raise AssertionError("unreachable")

    async def _turn(
        self, person: Person, incoming: Incoming, update_id: int | None, deliver: Deliver | None
    ) -> Outcome | None:
        record = await self.store.load_user(person.id)
        state = State.from_json(record.state if record else None)
        dialogue = self.holder.dialogue
        if route(state, incoming) is Destination.COUNSELLOR:
            outcome = relay(state, incoming, dialogue.kb)  # for the counsellor: the bot stays quiet
        else:
            outcome = dialogue.handle(state, incoming)
        turn = outcome.turn
        said = Line(
            "in",
            incoming_text(incoming)[:4000],
            intent=turn.intent,
            score=turn.score if turn.band else None,
            band=turn.band,
            lang=turn.lang,
        )
        replies = tuple(Line("out", reply.text[:4000]) for reply in outcome.replies)
        effects = {effect.name for effect in outcome.effects}
        stored = await self.store.record_turn(
            TurnRecord(
                person.id,
                person.first_name,
                outcome.state.to_json(),
                outcome.state.lang,
                (said, *replies),
                update_id=update_id,
                consent="consent" in effects,
                delete_user="delete_user" in effects,
                version=record.version if record else 0,
                outbox=tuple(deliver(outcome)) if deliver else (),
            )
        )
        return outcome if stored else None
