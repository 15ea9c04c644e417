"""The storage contract: the records it returns and the :class:`Store` protocol.

:class:`bot.storage.repo.Repository` (SQL) and :class:`bot.storage.memory.MemoryStore` (in memory) both
implement it and pass the same contract tests. Every method is one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import EllipsisType
from typing import Any, Protocol, runtime_checkable

from bot.storage.envelope import Envelope

__all__ = [
    "BANDS",
    "DIRECTIONS",
    "KEEP",
    "UNANSWERED_BANDS",
    "Clock",
    "Envelope",
    "Keep",
    "Line",
    "StaleState",
    "TurnRecord",
    "Store",
    "TranscriptLine",
    "UserRecord",
    "check_line",
]

DIRECTIONS = frozenset({"in", "out"})
BANDS = frozenset({"answer", "clarify", "fallback"})
UNANSWERED_BANDS = ("clarify", "fallback")

Keep = EllipsisType
KEEP: Keep = ...  # save_user(language=KEEP) leaves the stored language as it is

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Line:
    """A transcript line to write (the store masks ``text``)."""

    direction: str
    text: str
    intent: str | None = None
    score: float | None = None
    band: str | None = None
    lang: str | None = None


class StaleState(Exception):
    """The user's state changed after it was loaded (another update of the same user, maybe on another
    instance, was stored first); nothing was written, and the turn should be computed again."""


@dataclass(frozen=True)
class TurnRecord:
    """Everything one processed update writes, stored in one transaction by ``Store.record_turn``.

    ``version`` is the :attr:`UserRecord.version` the new state was computed from (0 for a user not
    stored yet); ``None`` writes without that check. ``outbox``: the Bot API calls the turn owes the
    user, queued in the same transaction (after /hapus removed the user's older ones).
    """

    user_id: int
    first_name: str
    state: dict[str, Any]
    language: str | None
    lines: tuple[Line, ...] = ()
    update_id: int | None = None
    consent: bool = False
    delete_user: bool = False
    version: int | None = None
    outbox: tuple[Envelope, ...] = ()


@dataclass(frozen=True)
class UserRecord:
    """A stored user: ``language`` is the one fixed with /bahasa (None: follow each message);
    ``version`` counts the writes of ``state`` (optimistic concurrency for :meth:`Store.record_turn`)."""

    id: int
    first_name: str
    language: str | None
    consent_at: datetime | None
    state: dict[str, Any] = field(default_factory=dict)
    version: int = 0


@dataclass(frozen=True)
class TranscriptLine:
    """One stored message; ``text`` is already masked."""

    id: int
    user_id: int
    direction: str
    text: str
    intent: str | None
    score: float | None
    band: str | None
    lang: str | None
    created_at: datetime


def check_line(direction: str, band: str | None) -> None:
    """Reject a direction or band the transcript cannot hold."""
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be 'in' or 'out', got {direction!r}")
    if band is not None and band not in BANDS:
        raise ValueError(f"band must be one of {sorted(BANDS)} or None, got {band!r}")


@runtime_checkable
class Store(Protocol):
    """Users, their dialogue state, the masked transcript and processed update ids."""

    async def seen_update(self, update_id: int) -> bool:
        """Whether ``update_id`` was already recorded as processed (a read; nothing is written)."""
        ...

    async def claim_update(self, update_id: int) -> bool:
        """Record ``update_id``; False when it was already recorded (by anyone)."""
        ...

    async def record_turn(self, turn: TurnRecord) -> bool:
        """Claim the update, write the lines and the new state (or delete the user) all at once.

        False, with nothing written, when the update had already been processed (a re-delivery).
        """
        ...

    async def prune_updates(self, older_than: timedelta) -> int:
        """Forget update ids processed more than ``older_than`` ago; returns how many."""
        ...

    async def load_user(self, user_id: int) -> UserRecord | None:
        """The stored user, or None."""
        ...

    async def save_user(
        self,
        user_id: int,
        *,
        first_name: str,
        state: dict[str, Any],
        language: str | None | Keep = KEEP,
        consent: bool = False,
    ) -> None:
        """Create or update the user; ``consent=True`` sets ``consent_at`` once; touches last seen."""
        ...

    async def log(
        self,
        user_id: int,
        direction: str,
        text: str,
        *,
        intent: str | None = None,
        score: float | None = None,
        band: str | None = None,
        lang: str | None = None,
    ) -> None:
        """Append one masked line to the user's transcript (creating the user if needed)."""
        ...

    async def transcript(self, user_id: int, limit: int = 20) -> list[TranscriptLine]:
        """The user's last ``limit`` lines, oldest first."""
        ...

    async def delete_user(self, user_id: int) -> int:
        """Remove the user and their transcript; returns the number of rows removed."""
        ...

    async def unanswered(self, since: datetime | None = None) -> list[TranscriptLine]:
        """Incoming lines that ended in fallback or clarify, oldest first."""
        ...
