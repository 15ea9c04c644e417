"""The job profiles table in the database: the only alerts code that writes SQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, exists, select, update
from sqlalchemy.exc import IntegrityError

from bot.services.jobs.alerts import Subscriber
from bot.services.jobs.profile import Profile
from bot.storage.base import Clock
from bot.storage.db import INSERTS, Database, rowcount
from bot.storage.models import utcnow

from .models import JobProfile, SeenVacancy

__all__ = ["AlertStore"]


class AlertStore:
    """Saved profiles and alert subscriptions in ``db``."""

    def __init__(self, db: Database, *, clock: Clock = utcnow) -> None:
        self.db = db
        self.clock = clock
        self._insert = INSERTS[db.dialect]

    async def save(self, user_id: int, chat_id: int, lang: str, profile: Profile, zone: str = "WIB") -> bool:
        """Create or replace the user's profile row (pending matches and the digest day are kept).
        False when the user is not stored (deleted with /hapus meanwhile): nothing is written."""
        values: dict[str, Any] = {
            "chat_id": chat_id,
            "lang": lang,
            "zone": zone,
            "profile": profile.to_json(),
            "alerts": profile.alerts,
            "updated_at": self.clock(),
        }
        # One write, no read first: on SQLite a transaction that reads and then writes is refused at once
        # when another connection (the outbox worker) commits in between. The foreign key refuses a
        # user who is not stored.
        stmt = self._insert(JobProfile).values(user_id=user_id, pending=[], **values)
        try:
            async with self.db.session() as session:
                await session.execute(stmt.on_conflict_do_update(index_elements=["user_id"], set_=values))
        except IntegrityError:
            return False
        return True

    async def forget(self, user_id: int) -> int:
        """Delete the user's profile row; returns how many rows went (0 or 1)."""
        async with self.db.session() as session:
            return rowcount(await session.execute(delete(JobProfile).where(JobProfile.user_id == user_id)))

    async def load(self, user_id: int) -> Subscriber | None:
        async with self.db.session() as session:
            row = await session.get(JobProfile, user_id)
        return None if row is None else _subscriber(row)

    async def subscribers(self) -> list[Subscriber]:
        """Everyone with alerts on."""
        async with self.db.session() as session:
            rows = (
                await session.scalars(
                    select(JobProfile).where(JobProfile.alerts.is_(True)).order_by(JobProfile.user_id)
                )
            ).all()
        return [_subscriber(row) for row in rows]

    async def any_seen(self) -> bool:
        """Whether any vacancy was ever recorded as seen (False on a fresh database)."""
        async with self.db.session() as session:
            return bool(await session.scalar(select(exists().where(SeenVacancy.id.is_not(None)))))

    async def claim_new(self, ids: Sequence[str]) -> set[str]:
        """Record ``ids`` as seen; returns those nobody recorded before (this instance matches them)."""
        if not ids:
            return set()
        claimed: set[str] = set()
        now = self.clock()
        async with self.db.session() as session:
            for start in range(0, len(ids), 500):
                rows = [{"id": i, "seen_at": now} for i in ids[start : start + 500]]
                stmt = self._insert(SeenVacancy).values(rows).on_conflict_do_nothing(index_elements=["id"])
                claimed |= set((await session.scalars(stmt.returning(SeenVacancy.id))).all())
        return claimed

    async def keep(self, subscribers: Sequence[Subscriber]) -> None:
        """Store each subscriber's pending matches and last digest day (rows deleted meanwhile stay gone)."""
        async with self.db.session() as session:
            for sub in subscribers:
                await session.execute(
                    update(JobProfile)
                    .where(JobProfile.user_id == sub.user_id)
                    .values(pending=list(sub.pending), last_digest_day=sub.last_digest_day)
                )


def _subscriber(row: JobProfile) -> Subscriber:
    return Subscriber(
        row.user_id,
        row.chat_id,
        row.lang,
        Profile.from_json(row.profile),
        row.zone,
        row.last_digest_day,
        tuple(str(p) for p in row.pending or ()),
    )
