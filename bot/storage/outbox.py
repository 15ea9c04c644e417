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
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import aliased

from bot.privacy import mask
from bot.storage.base import Clock
from bot.storage.db import INSERTS, Database, rowcount
from bot.storage.envelope import BULK, REPLY, Envelope
from bot.storage.models import OutboxRow, User, utcnow

__all__ = ["BULK", "REPLY", "Claimed", "Envelope", "Mark", "OutboxStats", "OutboxStore", "new_token"]

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
    fresh: bool = (
        False  # pre-claimed when queued (see ``OutboxStore.owner``): its attempt is counted when marked
    )


@dataclass(frozen=True)
class Mark:
    """What became of a held row: ``kind`` is sent, retry (at ``at``), dead or unreachable."""

    row_id: int
    chat_id: int
    kind: str
    error: str = ""
    at: datetime | None = None
    message_id: int | None = None
    fresh: bool = False


@dataclass(frozen=True)
class OutboxStats:
    """What ``python -m bot outbox`` and /healthz show."""

    counts: dict[str, int]  # by state
    pending_by_age: dict[str, int]  # "<1m", "<1h", "<1d", ">=1d"
    stopped_by_age: dict[str, int]  # failed or dead rows, by the same ages
    lag_seconds: float  # age of the oldest due pending row (0 when none)
    errors: list[tuple[int, datetime, str, int, str]]  # (id, created_at, state, attempts, masked error)


def _values(envelope: Envelope, now: datetime, owner: tuple[str, timedelta] | None) -> dict[str, Any]:
    when = envelope.not_before or now
    values = {
        "chat_id": envelope.chat_id,
        "user_id": envelope.user_id,
        "method": envelope.method,
        "payload": envelope.params,
        "priority": envelope.priority,
        "state": "pending",
        "not_before": when,
        "next_try_at": when,
        "attempts": 0,
        "created_at": now,
        "dedupe": envelope.dedupe,
    }
    if owner is not None and envelope.not_before is None:
        values.update(claim_token=owner[0], claimed_until=now + owner[1])
    return values


class OutboxStore:
    """The ``outbox`` table behind ``db``; ``clock`` gives every timestamp (tests move it)."""

    def __init__(self, db: Database, *, clock: Clock = utcnow) -> None:
        self.db = db
        self.clock = clock
        self._insert = INSERTS[db.dialect]
        # (token, lease) of this process's running worker: rows queued to go out now are born claimed by
        # it, so the worker sends them without a claiming write; if this process dies the lease runs out
        self.owner: tuple[str, timedelta] | None = None
        # the running worker's intake of committed rows it owns (``hand``); None: it reads them back
        self.on_commit: Callable[[Sequence[Claimed]], None] | None = None

    # -- queueing -----------------------------------------------------------------------------------

    async def add(
        self,
        session: AsyncSession | AsyncConnection,
        envelopes: Iterable[Envelope],
        now: datetime,
        *,
        handed: list[Claimed] | None = None,
    ) -> int:
        """Queue ``envelopes`` inside the caller's transaction; returns how many were new (a ``dedupe``
        key already present queues nothing).

        ``handed`` collects the rows born claimed by this process's worker whose chat had nothing else
        pending when they were queued: once the transaction has committed, the caller gives them to
        :meth:`hand`, and the worker sends them without reading them back. Any other row (the chat had
        an earlier row pending, or no worker runs here) waits for the worker's read (``fresh``/``claim``),
        which keeps every chat's order."""
        added = 0
        clear: dict[int, bool] = {}  # chat -> nothing of it was pending before this call
        for envelope in envelopes:
            values = _values(envelope, now, self.owner)
            stmt = self._insert(OutboxRow).values(**values)
            if envelope.dedupe is not None:
                stmt = stmt.on_conflict_do_nothing(index_elements=["dedupe"])
            if handed is None or "claim_token" not in values:
                added += rowcount(await session.execute(stmt))
                continue
            row_id = await session.scalar(stmt.returning(OutboxRow.id))  # writes first (SQLite's lock)
            if row_id is None:  # the dedupe key was there already
                continue
            added += 1
            chat = envelope.chat_id
            if chat not in clear:
                clear[chat] = not await session.scalar(select(self._pending_before(chat, int(row_id), now)))
            if clear[chat]:
                handed.append(_born(int(row_id), envelope, now))
        return added

    @staticmethod
    def _pending_before(chat_id: int, row_id: int, now: datetime) -> Any:
        """The chat has a row to be sent before ``row_id`` (what ``_ahead`` asks of a row)."""
        return (
            select(OutboxRow.id)
            .where(
                OutboxRow.chat_id == chat_id,
                OutboxRow.state == "pending",
                OutboxRow.not_before <= now,
                OutboxRow.id < row_id,
            )
            .exists()
        )

    def hand(self, rows: Sequence[Claimed]) -> None:
        """Give committed rows from :meth:`add`'s ``handed`` to this process's worker (see :attr:`on_commit`)."""
        if rows and self.on_commit is not None:
            self.on_commit(rows)

    async def enqueue(self, envelopes: Sequence[Envelope]) -> int:
        """Queue ``envelopes`` in a transaction of their own (all or none)."""
        handed: list[Claimed] = []
        async with self.db.engine.begin() as session:
            added = await self.add(session, envelopes, self.clock(), handed=handed)
        self.hand(handed)
        return added

    async def enqueue_once(self, user_id: int, envelopes: Sequence[Envelope]) -> bool:
        """Queue a proactive message (its first envelope carries the ``dedupe`` key) only to a stored,
        reachable user and only if the key is new; all or nothing, in one transaction."""
        if not envelopes or envelopes[0].dedupe is None:
            raise ValueError("the first envelope must carry a dedupe key")
        now = self.clock()
        async with self.db.session(writing=True) as session:  # reads the user, then writes
            user = await session.get(User, user_id)
            if user is None or user.unreachable_at is not None:
                return False
            if not await self.add(session, envelopes[:1], now):
                return False
            await self.add(session, envelopes[1:], now)
        return True

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

    @staticmethod
    def _ahead(row: Any, now: datetime) -> Any:
        """An earlier row of the same chat is still to be sent (so ``row`` must wait)."""
        earlier = aliased(OutboxRow)
        return (
            select(earlier.id)
            .where(
                earlier.chat_id == row.chat_id,
                earlier.state == "pending",
                earlier.not_before <= now,
                earlier.id < row.id,
            )
            .exists()
        )

    async def claim(
        self, token: str, *, limit: int, lease: timedelta, skip: Collection[int] = ()
    ) -> list[Claimed]:
        """Hold up to ``limit`` due chat heads for ``lease``; replies first, then oldest. ``skip``: rows the
        caller still has in hand (sent, result not yet written), which its own expired lease must not
        hand it again."""
        if limit <= 0:
            return []
        now = self.clock()
        row = aliased(OutboxRow)
        free = or_(row.claimed_until.is_(None), row.claimed_until < now)
        heads = (
            select(row.id)
            .where(
                row.state == "pending",
                row.not_before <= now,
                row.next_try_at <= now,
                free,
                ~self._ahead(row, now),
            )
            .order_by(row.priority, row.id)
            .limit(limit)
        )
        if skip:
            heads = heads.where(row.id.not_in(list(skip)))
        if self.db.dialect == "postgresql":
            heads = heads.with_for_update(skip_locked=True, of=row)
        stmt = (
            update(OutboxRow)
            .where(
                OutboxRow.id.in_(heads.scalar_subquery()),
                OutboxRow.state == "pending",
                or_(OutboxRow.claimed_until.is_(None), OutboxRow.claimed_until < now),
            )
            .values(claimed_until=now + lease, claim_token=token, attempts=OutboxRow.attempts + 1)
            .returning(
                OutboxRow.id,
                OutboxRow.chat_id,
                OutboxRow.user_id,
                OutboxRow.method,
                OutboxRow.payload,
                OutboxRow.priority,
                OutboxRow.attempts,
                OutboxRow.created_at,
            )
        )
        async with self.db.engine.begin() as session:
            rows = (await session.execute(stmt)).all()
        return sorted((_claimed(r) for r in rows), key=lambda c: (c.priority, c.id))

    async def fresh(self, token: str, *, limit: int, skip: Collection[int] = ()) -> list[Claimed]:
        """Rows this process queued already claimed for its worker (see :attr:`owner`), never tried yet, that
        are their chat's head: a reply goes out without a claiming write. ``skip``: rows in hand."""
        if limit <= 0:
            return []
        now = self.clock()
        row = aliased(OutboxRow)
        query = (
            select(
                row.id,
                row.chat_id,
                row.user_id,
                row.method,
                row.payload,
                row.priority,
                row.attempts + 1,
                row.created_at,
            )
            .where(
                row.claim_token == token,
                row.attempts == 0,
                row.state == "pending",
                row.claimed_until > now,
                row.not_before <= now,
                ~self._ahead(row, now),
            )  # due by the same ``now`` as ``ahead``
            .order_by(row.priority, row.id)
            .limit(limit)
        )
        if skip:
            query = query.where(row.id.not_in(list(skip)))
        async with self.db.engine.connect() as session:
            rows = (await session.execute(query)).all()
        return [_claimed(r, fresh=True) for r in rows]

    async def record(self, token: str, marks: Sequence[Mark]) -> list[bool]:
        """Write what became of held rows, all in one transaction (a group commit); per mark, False when
        the lease had been lost (another worker may have the row now)."""
        now = self.clock()
        async with self.db.engine.begin() as session:
            return [await self._apply(session, token, mark, now) for mark in marks]

    async def _apply(
        self, session: AsyncSession | AsyncConnection, token: str, mark: Mark, now: datetime
    ) -> bool:
        values: dict[str, Any] = {"attempts": OutboxRow.attempts + 1} if mark.fresh else {}
        error = mask(mark.error)[:200] if mark.error else None
        if mark.kind == "sent":
            values.update(
                state="sent", sent_at=now, message_id=mark.message_id, last_error=None, claimed_until=None
            )
        elif mark.kind == "retry":
            values.update(next_try_at=mark.at or now, last_error=error, claimed_until=None)
        elif mark.kind in ("dead", "unreachable"):
            values.update(
                state="dead" if mark.kind == "dead" else "failed", last_error=error, claimed_until=None
            )
        else:
            raise ValueError(f"unknown mark {mark.kind!r}")
        mine = and_(OutboxRow.id == mark.row_id, OutboxRow.claim_token == token, OutboxRow.state == "pending")
        done = bool(rowcount(await session.execute(update(OutboxRow).where(mine).values(**values))))
        if done and mark.kind == "unreachable":
            await session.execute(
                update(OutboxRow)
                .where(OutboxRow.chat_id == mark.chat_id, OutboxRow.state == "pending")
                .values(state="failed", last_error=error)
            )
            await session.execute(
                update(User)
                .where(User.id == mark.chat_id, User.unreachable_at.is_(None))
                .values(unreachable_at=now)
            )
        return done

    async def _one(self, token: str, mark: Mark) -> bool:
        return (await self.record(token, [mark]))[0]

    async def sent(self, row_id: int, token: str, message_id: int | None) -> bool:
        """Telegram accepted the call; False when the lease had been lost (another worker may send it)."""
        return await self._one(token, Mark(row_id, 0, "sent", message_id=message_id))

    async def retry(self, row_id: int, token: str, at: datetime, error: str) -> bool:
        """Try again at ``at`` (the chat's later rows wait behind it)."""
        return await self._one(token, Mark(row_id, 0, "retry", error, at))

    async def dead(self, row_id: int, token: str, error: str) -> bool:
        """Give up on this row (refused as malformed, or retried too long); the chat goes on."""
        return await self._one(token, Mark(row_id, 0, "dead", error))

    async def unreachable(self, row_id: int, token: str, chat_id: int, error: str) -> bool:
        """The chat cannot be reached (403 blocked, chat not found): stop its queue, mark the user."""
        return await self._one(token, Mark(row_id, chat_id, "unreachable", error))

    async def release(self, token: str) -> int:
        """Hand back every row ``token`` holds (shutting down): due again at once for any worker."""
        stmt = (
            update(OutboxRow)
            .where(
                OutboxRow.claim_token == token,
                OutboxRow.state == "pending",
                OutboxRow.claimed_until.is_not(None),
            )
            .values(claimed_until=None)
        )
        async with self.db.session() as session:
            return rowcount(await session.execute(stmt))

    # -- operators ----------------------------------------------------------------------------------

    async def stats(self, *, errors: int = 5) -> OutboxStats:
        """Counts by state, pending rows by age, the lag, and the most recent errors (masked)."""
        now = self.clock()
        async with self.db.session() as session:
            grouped = (
                await session.execute(select(OutboxRow.state, func.count()).group_by(OutboxRow.state))
            ).all()
            counts: dict[str, int] = {state: int(n) for state, n in grouped}
            pending = (
                await session.execute(
                    select(OutboxRow.created_at, OutboxRow.not_before).where(OutboxRow.state == "pending")
                )
            ).all()
            stopped = (
                await session.execute(
                    select(OutboxRow.created_at).where(OutboxRow.state.in_(("failed", "dead")))
                )
            ).all()
            failing = (
                await session.execute(
                    select(
                        OutboxRow.id,
                        OutboxRow.created_at,
                        OutboxRow.state,
                        OutboxRow.attempts,
                        OutboxRow.last_error,
                    )
                    .where(OutboxRow.last_error.is_not(None))
                    .order_by(OutboxRow.created_at)
                    .limit(errors)
                )
            ).all()
        ages = [now - created for created, _ in pending]
        due = [now - max(created, not_before) for created, not_before in pending if not_before <= now]
        return OutboxStats(
            {state: int(counts.get(state, 0)) for state in STATES},
            _by_age(ages),
            _by_age([now - created for (created,) in stopped]),
            max((d.total_seconds() for d in due), default=0.0),
            [(i, c, s, a, mask(e or "")) for i, c, s, a, e in failing],
        )

    async def purge(self, older_than: timedelta) -> int:
        """Delete sent rows sent more than ``older_than`` ago, and failed/dead rows created that long ago."""
        cutoff = self.clock() - older_than
        stmt = delete(OutboxRow).where(
            or_(
                and_(OutboxRow.state == "sent", OutboxRow.sent_at < cutoff),
                and_(OutboxRow.state.in_(("failed", "dead")), OutboxRow.created_at < cutoff),
            )
        )
        async with self.db.session() as session:
            return rowcount(await session.execute(stmt))


def _claimed(r: Any, fresh: bool = False) -> Claimed:
    return Claimed(int(r[0]), int(r[1]), r[2], str(r[3]), dict(r[4]), int(r[5]), int(r[6]), r[7], fresh)


def _born(row_id: int, envelope: Envelope, now: datetime) -> Claimed:
    """The row just inserted, as the worker's ``fresh`` read would have returned it."""
    return Claimed(
        row_id,
        envelope.chat_id,
        envelope.user_id,
        envelope.method,
        dict(envelope.params),
        envelope.priority,
        1,
        now,
        fresh=True,
    )


def _by_age(ages: Sequence[timedelta]) -> dict[str, int]:
    labels = ("<1m", "<1h", "<1d", ">=1d")
    counts = dict.fromkeys(labels, 0)
    for age in ages:
        index = next((i for i, limit in enumerate(AGE_BUCKETS) if age < limit), len(AGE_BUCKETS))
        counts[labels[index]] += 1
    return counts
