"""The in-memory twin of :class:`bot.storage.repo.Repository`, for the console chat and unit tests.

It keeps the same promises, including the ones the database gives for free: state goes through JSON
(so what comes back is a copy with JSON types), text is masked, and a claim is atomic (no ``await``
between the check and the write).
"""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from bot.privacy import mask
from bot.storage.base import (
    KEEP,
    UNANSWERED_BANDS,
    Clock,
    Keep,
    StaleState,
    TranscriptLine,
    TurnRecord,
    UserRecord,
    check_line,
)
from bot.storage.envelope import Envelope
from bot.storage.models import utcnow

__all__ = ["MemoryStore"]


def _json_copy(state: dict[str, Any]) -> dict[str, Any]:
    copied: dict[str, Any] = json.loads(json.dumps(state))
    return copied


class MemoryStore:
    """Users, transcript and processed updates in dictionaries; lost when the process ends."""

    def __init__(self, *, clock: Clock = utcnow) -> None:
        self._clock = clock
        self._updates: dict[int, datetime] = {}
        self._users: dict[int, UserRecord] = {}
        self._lines: list[TranscriptLine] = []
        self._line_ids = itertools.count(1)
        self.outbox: list[Envelope] = []  # what the turns queued (nothing sends them: console and tests)

    async def seen_update(self, update_id: int) -> bool:
        """Whether ``update_id`` was already recorded."""
        return update_id in self._updates

    async def claim_update(self, update_id: int) -> bool:
        """Record ``update_id``; False when it was already recorded."""
        if update_id in self._updates:
            return False
        self._updates[update_id] = self._clock()
        return True

    async def prune_updates(self, older_than: timedelta) -> int:
        """Forget update ids processed more than ``older_than`` ago; returns how many."""
        cutoff = self._clock() - older_than
        old = [update_id for update_id, at in self._updates.items() if at < cutoff]
        for update_id in old:
            del self._updates[update_id]
        return len(old)

    async def load_user(self, user_id: int) -> UserRecord | None:
        """The stored user, or None."""
        user = self._users.get(user_id)
        return None if user is None else replace(user, state=_json_copy(user.state))

    async def save_user(
        self,
        user_id: int,
        *,
        first_name: str,
        state: dict[str, Any],
        language: str | None | Keep = KEEP,
        consent: bool = False,
    ) -> None:
        """Create or update the user; ``consent=True`` sets ``consent_at`` once."""
        old = self._users.get(user_id) or UserRecord(user_id, "", None, None, {})
        self._users[user_id] = UserRecord(
            id=user_id,
            first_name=first_name[:128],
            language=old.language if language is KEEP else language,
            consent_at=old.consent_at or (self._clock() if consent else None),
            state=_json_copy(state),
            version=old.version + 1,
        )

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
        check_line(direction, band)
        self._users.setdefault(user_id, UserRecord(user_id, "", None, None, {}))
        self._lines.append(
            TranscriptLine(
                next(self._line_ids), user_id, direction, mask(text), intent, score, band, lang, self._clock()
            )
        )

    async def transcript(self, user_id: int, limit: int = 20) -> list[TranscriptLine]:
        """The user's last ``limit`` lines, oldest first."""
        lines = [line for line in self._lines if line.user_id == user_id]
        return lines[-limit:] if limit > 0 else []

    async def record_turn(self, turn: TurnRecord) -> bool:
        """Claim the update, then delete the user or save state and lines (atomic: one event loop step)."""
        for line in turn.lines:
            check_line(line.direction, line.band)
        if turn.update_id is not None and turn.update_id in self._updates:
            return False
        current = self._users.get(turn.user_id)
        if (
            not turn.delete_user
            and turn.version is not None
            and turn.version != (current.version if current else 0)
        ):
            raise StaleState(turn.user_id)
        if turn.update_id is not None:
            await self.claim_update(turn.update_id)
        if turn.delete_user:
            await self.delete_user(turn.user_id)
            self.outbox.extend(turn.outbox)
            return True
        await self.save_user(
            turn.user_id,
            first_name=turn.first_name,
            state=turn.state,
            language=turn.language,
            consent=turn.consent,
        )
        for line in turn.lines:
            await self.log(
                turn.user_id,
                line.direction,
                line.text,
                intent=line.intent,
                score=line.score,
                band=line.band,
                lang=line.lang,
            )
        self.outbox.extend(turn.outbox)
        return True

    async def delete_user(self, user_id: int) -> int:
        """Remove the user and their transcript; returns the number of rows removed."""
        kept = [line for line in self._lines if line.user_id != user_id]
        removed = len(self._lines) - len(kept) + (self._users.pop(user_id, None) is not None)
        self._lines = kept
        self.outbox = [e for e in self.outbox if user_id not in (e.user_id, e.chat_id)]
        return removed

    async def unanswered(self, since: datetime | None = None) -> list[TranscriptLine]:
        """Incoming lines that ended in fallback or clarify, oldest first."""
        return [
            line
            for line in self._lines
            if line.direction == "in"
            and line.band in UNANSWERED_BANDS
            and (since is None or line.created_at >= since)
        ]
