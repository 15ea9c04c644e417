"""Conversation: one update through the dialogue and the store, safe when updates of one user race."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from bot.app import load_dialogue
from bot.conversation import STALE_RETRIES, Conversation, KnowledgeHolder, Person
from bot.dialogue import Incoming, Kind
from bot.storage import Database, Repository, StaleState, UserRecord

ROOT = Path(__file__).resolve().parents[1]
NONSENSE = ("xqzv blorp", "blorp xqzv")  # two fallbacks in a row


@pytest.fixture(scope="module")
def holder() -> KnowledgeHolder:
    dialogue = load_dialogue(ROOT / "knowledge")
    assert dialogue is not None
    return KnowledgeHolder(dialogue)


class MeetingStore(Repository):
    """A repository whose first ``parties`` loads wait for each other: they all read the same state,
    as two instances do when one user's messages reach them at the same moment."""

    def __init__(self, db: Database, parties: int) -> None:
        super().__init__(db)
        self.barrier = asyncio.Barrier(parties)
        self.loads = 0

    async def load_user(self, user_id: int) -> UserRecord | None:
        record = await super().load_user(user_id)
        self.loads += 1
        if self.loads <= self.barrier.parties:
            await self.barrier.wait()
        return record


async def test_two_messages_of_one_user_at_once_both_count(db: Database, holder: KnowledgeHolder) -> None:
    """Both fallbacks are counted (the second is computed again on the first's state), not one lost."""
    store = MeetingStore(db, parties=2)
    conversation = Conversation(store, holder)
    ani = Person(5, "Ani")
    outcomes = await asyncio.gather(
        *(
            conversation.handle(ani, Incoming(Kind.TEXT, text=text), update_id=900 + n)
            for n, text in enumerate(NONSENSE)
        )
    )
    assert all(outcome is not None for outcome in outcomes)
    assert store.loads == 3  # the loser loaded again
    user = await store.load_user(5)
    assert user is not None and user.state["fallbacks"] == 2 and user.version == 2
    assert [line.direction for line in await store.transcript(5)].count("in") == 2


async def test_a_turn_that_stays_stale_gives_up_after_the_retries(
    db: Database, holder: KnowledgeHolder
) -> None:
    class AlwaysStale(Repository):
        attempts = 0

        async def record_turn(self, turn: Any) -> bool:
            self.attempts += 1
            raise StaleState(turn.user_id)

    store = AlwaysStale(db)
    with pytest.raises(StaleState):
        await Conversation(store, holder).handle(
            Person(6, "Budi"), Incoming(Kind.TEXT, text="halo"), update_id=1
        )
    assert store.attempts == STALE_RETRIES
