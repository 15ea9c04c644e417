"""The outbox in the database: queueing Bot API calls, and the worker's claims on them.

A row is claimed with one ``UPDATE … WHERE id IN (SELECT …) RETURNING``: the ``SELECT`` picks, per
chat, only the *head* (its oldest pending due row) and only when no worker holds it, so a chat's
rows go out one after another, in ``id`` order, whatever the number of workers. On PostgreSQL the
``SELECT`` takes ``FOR UPDATE SKIP LOCKED`` (two workers never wait for or take the same row); on
SQLite writes are serialised anyway and the outer conditions make the claim conditional. A claim is a
lease (``claimed_until``): the rows of a worker that died come back when it ends. Every write after the
claim names the worker's ``claim_token``, so a worker whose lease ran out cannot overwrite another's.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.privacy import mask
from bot.storage.base import Clock
from bot.storage.db import INSERTS, Database, rowcount
from bot.storage.envelope import BULK, REPLY, Envelope
from bot.storage.models import OutboxRow, User, utcnow

__all__ = ["BULK", "REPLY", "Claimed", "Envelope", "OutboxStats", "OutboxStore", "new_token"]

STATES = ("pending", "sent", "failed", "dead")
AGE_BUCKETS = (timedelta(minutes=1), timedelta(hours=1), timedelta(days=1))


def new_token() -> str:
    """A worker's identity in its claims."""
    return secrets.token_hex(8)


@dataclass(frozen=True)
class Claimed:
    """A row a worker holds: what to call, and what the retry policy needs."""

    id: int
    chat_id: int
    user_id: int | None
    method: str
    params: dict[str, Any]
    priority: int
    attempts: int  # including this one
    created_at: datetime


@dataclass(frozen=True)
class OutboxStats:
    """What ``python -m bot outbox`` and /healthz show."""

    counts: dict[str, int]  # by state
    pending_by_age: dict[str, int]  # "<1m", "<1h", "<1d", ">=1d"
    lag_seconds: float  # age of the oldest due pending row (0 when none)
    errors: list[tuple[int, datetime, str, int, str]]  # (id, created_at, state, attempts, masked error)


def _values(envelope: Envelope, now: datetime) -> dict[str, Any]:
    when = envelope.not_before or now
    return {"chat_id": envelope.chat_id, "user_id": envelope.user_id, "method": envelope.method,
            "payload": envelope.params, "priority": envelope.priority, "state": "pending", "not_before": when,
            "next_try_at": when, "attempts": 0, "created_at": now, "dedupe": envelope.dedupe}


class OutboxStore:
    """The ``outbox`` table behind ``db``; ``clock`` gives every timestamp (tests move it)."""

    def __init__(self, db: Database, *, clock: Clock = utcnow) -> None:
        self.db = db
        self.clock = clock
        self._insert = INSERTS[db.dialect]

    # -- queueing -----------------------------------------------------------------------------------

    async def add(self, session: AsyncSession, envelopes: Iterable[Envelope], now: datetime) -> int:
        """Queue ``envelopes`` inside the caller's transaction; returns how many were new (a ``dedupe``
        key already present queues nothing)."""
        added = 0
        for envelope in envelopes:
            stmt = self._insert(OutboxRow).values(**_values(envelope, now))
            if envelope.dedupe is not None:
                stmt = stmt.on_conflict_do_nothing(index_elements=["dedupe"])
            added += rowcount(await session.execute(stmt))
        return added

    async def enqueue(self, envelopes: Sequence[Envelope]) -> int:
        """Queue ``envelopes`` in a transaction of their own (all or none)."""
        async with self.db.session() as session:
            return await self.add(session, envelopes, self.clock())

    async def forget_user(self, session: AsyncSession, user_id: int) -> int:
        """/hapus: drop every row that is the user's (their messages, sent or not)."""
        stmt = delete(OutboxRow).where(or_(OutboxRow.user_id == user_id, OutboxRow.chat_id == user_id))
        return rowcount(await session.execute(stmt))

    async def reachable(self, user_id: int) -> bool:
        """A stored user who has not blocked the bot (False for unknown users: /hapus or never met)."""
        async with self.db.session() as session:
            user = await session.get(User, user_id)
        return user is not None and user.unreachable_at is None

    # -- the worker's side ---------------------------------------------------------------------------

    async def claim(self, token: str, *, limit: int, lease: timedelta) -> list[Claimed]:
        """Hold up to ``limit`` due chat heads for ``lease``; replies first, then oldest."""
        if limit <= 0:
            return []
        now = self.clock()
        row, earlier = aliased(OutboxRow), aliased(OutboxRow)
        free = or_(row.claimed_until.is_(None), row.claimed_until < now)
        ahead = (select(earlier.id).where(earlier.chat_id == row.chat_id, earlier.state == "pending",
                                          earlier.not_before <= now, earlier.id < row.id).exists())
        heads = (select(row.id).where(row.state == "pending", row.not_before <= now, row.next_try_at <= now, free,
                                      ~ahead).order_by(row.priority, row.id).limit(limit))
        if self.db.dialect == "postgresql":
            heads = heads.with_for_update(skip_locked=True, of=row)
        stmt = (update(OutboxRow)
                .where(OutboxRow.id.in_(heads.scalar_subquery()), OutboxRow.state == "pending",
                       or_(OutboxRow.claimed_until.is_(None), OutboxRow.claimed_until < now))
                .values(claimed_until=now + lease, claim_token=token, attempts=OutboxRow.attempts + 1)
                .returning(OutboxRow.id, OutboxRow.chat_id, OutboxRow.user_id, OutboxRow.method, OutboxRow.payload,
                           OutboxRow.priority, OutboxRow.attempts, OutboxRow.created_at)
                .execution_options(synchronize_session=False))
        async with self.db.session() as session:
            rows = (await session.execute(stmt)).all()
        return sorted((Claimed(*r) for r in rows), key=lambda c: (c.priority, c.id))

    def _mine(self, row_id: int, token: str) -> Any:
        return and_(OutboxRow.id == row_id, OutboxRow.claim_token == token, OutboxRow.state == "pending")

    async def _finish(self, row_id: int, token: str, **values: Any) -> bool:
        stmt = (update(OutboxRow).where(self._mine(row_id, token))
                .values(claimed_until=None, **values).execution_options(synchronize_session=False))
        async with self.db.session() as session:
            return bool(rowcount(await session.execute(stmt)))

    async def sent(self, row_id: int, token: str, message_id: int | None) -> bool:
        """Telegram accepted the call; False when the lease had been lost (another worker may send it)."""
        return await self._finish(row_id, token, state="sent", sent_at=self.clock(), message_id=message_id,
                                  last_error=None)

    async def retry(self, row_id: int, token: str, at: datetime, error: str) -> bool:
        """Try again at ``at`` (the chat's later rows wait behind it)."""
        return await self._finish(row_id, token, next_try_at=at, last_error=mask(error)[:200])

    async def dead(self, row_id: int, token: str, error: str) -> bool:
        """Give up on this row (refused as malformed, or retried too long); the chat goes on."""
        return await self._finish(row_id, token, state="dead", last_error=mask(error)[:200])

    async def release(self, row_id: int, token: str) -> bool:
        """Hand a held row back untried (shutting down): due again at once, the attempt not counted."""
        return await self._finish(row_id, token, attempts=OutboxRow.attempts - 1)

    async def unreachable(self, row_id: int, token: str, chat_id: int, error: str) -> int:
        """The chat cannot be reached (403 blocked, chat not found): stop its queue, mark the user.

        Returns how many rows were stopped (this one and the chat's other pending rows)."""
        now, error = self.clock(), mask(error)[:200]
        async with self.db.session() as session:
            mine = await session.execute(update(OutboxRow).where(self._mine(row_id, token)).values(
                state="failed", claimed_until=None, last_error=error).execution_options(synchronize_session=False))
            if not rowcount(mine):
                return 0
            rest = await session.execute(update(OutboxRow).where(
                OutboxRow.chat_id == chat_id, OutboxRow.state == "pending").values(
                state="failed", last_error=error).execution_options(synchronize_session=False))
            await session.execute(update(User).where(User.id == chat_id, User.unreachable_at.is_(None))
                                  .values(unreachable_at=now).execution_options(synchronize_session=False))
        return 1 + rowcount(rest)

    # -- operators ----------------------------------------------------------------------------------

    async def stats(self, *, errors: int = 5) -> OutboxStats:
        """Counts by state, pending rows by age, the lag, and the most recent errors (masked)."""
        now = self.clock()
        async with self.db.session() as session:
            grouped = (await session.execute(select(OutboxRow.state, func.count()).group_by(OutboxRow.state))).all()
            counts: dict[str, int] = {state: int(n) for state, n in grouped}
            pending = (await session.execute(select(OutboxRow.created_at, OutboxRow.not_before)
                                             .where(OutboxRow.state == "pending"))).all()
            failing = (await session.execute(
                select(OutboxRow.id, OutboxRow.created_at, OutboxRow.state, OutboxRow.attempts, OutboxRow.last_error)
                .where(OutboxRow.last_error.is_not(None)).order_by(OutboxRow.created_at).limit(errors))).all()
        ages = [now - created for created, _ in pending]
        due = [now - max(created, not_before) for created, not_before in pending if not_before <= now]
        return OutboxStats({state: int(counts.get(state, 0)) for state in STATES}, _by_age(ages),
                           max((d.total_seconds() for d in due), default=0.0),
                           [(i, c, s, a, mask(e or "")) for i, c, s, a, e in failing])

    async def purge(self, older_than: timedelta) -> int:
        """Delete sent rows sent more than ``older_than`` ago, and failed/dead rows created that long ago."""
        cutoff = self.clock() - older_than
        stmt = delete(OutboxRow).where(or_(and_(OutboxRow.state == "sent", OutboxRow.sent_at < cutoff),
                                           and_(OutboxRow.state.in_(("failed", "dead")), OutboxRow.created_at < cutoff)))
        async with self.db.session() as session:
            return rowcount(await session.execute(stmt))


def _by_age(ages: Sequence[timedelta]) -> dict[str, int]:
    labels = ("<1m", "<1h", "<1d", ">=1d")
    counts = dict.fromkeys(labels, 0)
    for age in ages:
        index = next((i for i, limit in enumerate(AGE_BUCKETS) if age < limit), len(AGE_BUCKETS))
        counts[labels[index]] += 1
    return counts
