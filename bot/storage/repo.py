"""The SQL implementation of :class:`bot.storage.base.Store`: small async methods, one transaction each.

Inserts that may race (a redelivered update, the first message of a new user) use
``INSERT … ON CONFLICT`` on both SQLite and PostgreSQL, so the database decides who wins.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Delete, Select, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.privacy import mask
from bot.storage.base import (
    KEEP,
    UNANSWERED_BANDS,
    Clock,
    Keep,
    StaleState,
    Store,
    TranscriptLine,
    TurnRecord,
    UserRecord,
    check_line,
)
from bot.storage.db import INSERTS, Database, rowcount
from bot.storage.models import ProcessedUpdate, TranscriptRow, User, utcnow
from bot.storage.outbox import Claimed, OutboxStore

__all__ = ["Repository", "Store", "TranscriptLine", "UserRecord"]


class Repository:
    """Users, transcript and processed updates in the database behind ``db``."""

    def __init__(self, db: Database, *, clock: Clock = utcnow) -> None:
        self.db = db
        self._clock = clock
        self._insert = INSERTS[db.dialect]
        self.outbox = OutboxStore(db, clock=clock)

    async def seen_update(self, update_id: int) -> bool:
        """Whether ``update_id`` was already recorded as processed (a read; nothing is written)."""
        async with self.db.session() as session:
            found = await session.get(ProcessedUpdate, update_id)
        return found is not None

    async def claim_update(self, update_id: int) -> bool:
        """Record ``update_id``; False when it was already recorded (by anyone)."""
        stmt = self._insert(ProcessedUpdate).values(update_id=update_id, processed_at=self._clock())
        async with self.db.session() as session:
            result = await session.execute(stmt.on_conflict_do_nothing(index_elements=["update_id"]))
        return bool(rowcount(result))

    async def prune_updates(self, older_than: timedelta) -> int:
        """Forget update ids processed more than ``older_than`` ago; returns how many."""
        cutoff = self._clock() - older_than
        return await self._delete(delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < cutoff))

    async def load_user(self, user_id: int) -> UserRecord | None:
        """The stored user, or None."""
        async with self.db.session() as session:
            user = await session.get(User, user_id)
        return None if user is None else _user_record(user)

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
        async with self.db.session() as session:
            await session.execute(
                self._upsert_user(user_id, first_name, state, language, consent, self._clock())
            )

    def _upsert_user(
        self,
        user_id: int,
        first_name: str,
        state: dict[str, Any],
        language: str | None | Keep,
        consent: bool,
        now: datetime,
        *,
        expected: int | None = None,
    ) -> Any:
        """Insert or update the user, counting the write in ``version``; with ``expected``, only if the
        stored version is still that one (0: the user is new, or was only ever logged)."""
        values: dict[str, Any] = {
            "first_name": first_name[:128],
            "state": state,
            "last_seen_at": now,
            "unreachable_at": None,
        }  # they wrote: Telegram lets us answer again
        if language is not KEEP:
            values["language"] = language
        changed = {**values, "version": User.version + 1}
        if consent:
            changed["consent_at"] = func.coalesce(User.consent_at, now)  # stamped the first time only
        if expected:  # the user row exists at that version: a plain conditional UPDATE
            return update(User).where(User.id == user_id, User.version == expected).values(**changed)
        stmt = self._insert(User).values(
            id=user_id, created_at=now, version=1, **values, **({"consent_at": now} if consent else {})
        )
        where = User.version == 0 if expected == 0 else None
        return stmt.on_conflict_do_update(index_elements=["id"], set_=changed, where=where)

    async def record_turn(self, turn: TurnRecord) -> bool:
        """One transaction: claim the update, then delete the user or save state and lines, and queue the
        turn's Bot API calls in the outbox."""
        now = self._clock()
        handed: list[Claimed] = []
        done = await self._record_turn(turn, now, handed)
        self.outbox.hand(handed)  # committed: this process's worker sends them without reading them back
        return done

    async def _record_turn(self, turn: TurnRecord, now: datetime, handed: list[Claimed]) -> bool:
        async with self.db.session() as session:
            if turn.update_id is not None:
                claim = self._insert(ProcessedUpdate).values(update_id=turn.update_id, processed_at=now)
                result = await session.execute(claim.on_conflict_do_nothing(index_elements=["update_id"]))
                if not rowcount(result):
                    return False
            if turn.delete_user:
                await session.execute(delete(TranscriptRow).where(TranscriptRow.user_id == turn.user_id))
                await session.execute(delete(User).where(User.id == turn.user_id))
                await self.outbox.forget_user(session, turn.user_id)
                await self.outbox.add(session, turn.outbox, now, handed=handed)
                return True
            saved = await session.execute(
                self._upsert_user(
                    turn.user_id,
                    turn.first_name,
                    turn.state,
                    turn.language,
                    turn.consent,
                    now,
                    expected=turn.version,
                )
            )
            if not rowcount(saved):
                raise StaleState(turn.user_id)  # rolls the claim back too: the turn is computed again
            for line in turn.lines:
                check_line(line.direction, line.band)
                await session.execute(
                    self._insert(TranscriptRow).values(
                        user_id=turn.user_id,
                        direction=line.direction,
                        text=mask(line.text),
                        intent=line.intent,
                        score=line.score,
                        band=line.band,
                        lang=line.lang,
                        created_at=now,
                    )
                )
            await self.outbox.add(session, turn.outbox, now, handed=handed)
        return True

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
        now = self._clock()
        line = {"direction": direction, "text": mask(text), "intent": intent, "score": score}
        async with self.db.session() as session:
            await self._ensure_user(session, user_id, now)
            await session.execute(
                self._insert(TranscriptRow).values(
                    user_id=user_id, band=band, lang=lang, created_at=now, **line
                )
            )

    async def _ensure_user(self, session: AsyncSession, user_id: int, now: datetime) -> None:
        stmt = self._insert(User).values(
            id=user_id, first_name="", state={}, created_at=now, last_seen_at=now
        )
        await session.execute(stmt.on_conflict_do_nothing(index_elements=["id"]))

    async def transcript(self, user_id: int, limit: int = 20) -> list[TranscriptLine]:
        """The user's last ``limit`` lines, oldest first."""
        query = select(TranscriptRow).where(TranscriptRow.user_id == user_id)
        lines = await self._lines(query.order_by(TranscriptRow.id.desc()).limit(limit))
        return lines[::-1]

    async def delete_user(self, user_id: int) -> int:
        """Remove the user and their transcript; returns the number of rows removed."""
        async with self.db.session() as session:
            lines = await session.execute(delete(TranscriptRow).where(TranscriptRow.user_id == user_id))
            users = await session.execute(delete(User).where(User.id == user_id))
            await self.outbox.forget_user(session, user_id)
        return rowcount(lines) + rowcount(users)

    async def unanswered(self, since: datetime | None = None) -> list[TranscriptLine]:
        """Incoming lines that ended in fallback or clarify, oldest first."""
        query = select(TranscriptRow).where(
            TranscriptRow.direction == "in", TranscriptRow.band.in_(UNANSWERED_BANDS)
        )
        if since is not None:
            query = query.where(TranscriptRow.created_at >= since)
        return await self._lines(query.order_by(TranscriptRow.id))

    async def _lines(self, query: Select[tuple[TranscriptRow]]) -> list[TranscriptLine]:
        async with self.db.session() as session:
            rows = (await session.scalars(query)).all()
        return [_transcript_line(row) for row in rows]

    async def _delete(self, stmt: Delete) -> int:
        async with self.db.session() as session:
            result = await session.execute(stmt)
        return rowcount(result)


def _user_record(user: User) -> UserRecord:
    return UserRecord(
        user.id, user.first_name, user.language, user.consent_at, dict(user.state or {}), user.version
    )


def _transcript_line(row: TranscriptRow) -> TranscriptLine:
    return TranscriptLine(
        id=row.id,
        user_id=row.user_id,
        direction=row.direction,
        text=row.text,
        intent=row.intent,
        score=row.score,
        band=row.band,
        lang=row.lang,
        created_at=row.created_at,
    )
