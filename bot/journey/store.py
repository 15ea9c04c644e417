"""SQL for saved timelines: save (with consent), read, reminders on/off, claimed, forget, due candidates."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import String, and_, delete, func, or_, select, type_coerce, update

from bot.services.jkp.reminders import MONTH_SPAN, JourneyRecord, Ranges
from bot.services.jkp.rules import JkpRules
from bot.services.jkp.timeline import build_timeline
from bot.storage.db import INSERTS, Database, rowcount
from bot.storage.models import User, utcnow

from .models import Journey

__all__ = ["JourneyStats", "JourneyStore"]

MARK_BATCH = 500


@dataclass(frozen=True)
class JourneyStats:
    """For /statistik and ``stats``: saved timelines, reminders on, sent, stopped, claims, windows missed."""

    timelines: int
    reminders_on: int
    reminders_sent: int
    stopped: int
    claimed: int
    passed_unclaimed: int


class JourneyStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def save(
        self,
        user_id: int,
        phk: date,
        *,
        exact: bool,
        lang: str,
        deadline: date | None = None,
        zone: str | None = None,
        last_day: date | None = None,
        now: datetime | None = None,
    ) -> bool:
        """Store the PHK date the user agreed to save (the tap is the consent); a new date resets the claim
        and what was sent, and keeps the reminder setting. False when the user is gone (after /hapus)."""
        now = now or utcnow()
        values: dict[str, Any] = {
            "user_id": user_id,
            "phk_date": phk,
            "phk_exact": exact,
            "lang": lang,
            "consent_at": now,
            "updated_at": now,
            "sent": [],
            "claimed_at": None,
            "claim_deadline": deadline,
            "zone": zone,
            "last_day": last_day,
        }
        insert = INSERTS[self.db.dialect](Journey).values(**values)
        changed = {
            k: insert.excluded[k]
            for k in (
                "phk_date",
                "phk_exact",
                "lang",
                "consent_at",
                "updated_at",
                "sent",
                "claimed_at",
                "claim_deadline",
                "zone",
                "last_day",
            )
        }
        async with self.db.session(writing=True) as session:  # reads, then writes
            if await session.get(User, user_id) is None:
                return False
            await session.execute(insert.on_conflict_do_update(index_elements=["user_id"], set_=changed))
            await session.commit()
            return True

    async def get(self, user_id: int) -> JourneyRecord | None:
        async with self.db.session() as session:
            row = await session.get(Journey, user_id)
            return _record(row) if row is not None else None

    async def set_reminders(self, user_id: int, on: bool, now: datetime | None = None) -> bool:
        """Reminders on or off; False when the user has no saved timeline."""
        now = now or utcnow()
        values: dict[str, Any] = {"reminders_on": on, "updated_at": now}
        if not on:
            values["stopped_at"] = now
        return await self._update(user_id, values)

    async def mark_claimed(self, user_id: int, day: date) -> bool:
        return await self._update(user_id, {"claimed_at": day, "updated_at": utcnow()})

    async def forget(self, user_id: int) -> int:
        async with self.db.session() as session:
            removed = rowcount(await session.execute(delete(Journey).where(Journey.user_id == user_id)))
            await session.commit()
            return removed

    async def candidates(self, ranges: Ranges) -> list[JourneyRecord]:
        """Timelines with reminders on whose dates fall in ``ranges`` (the only ones that can be due).

        Read as plain values (``type_coerce``) and converted here: SQLAlchemy's per-row date and JSON
        processing was most of the time for 100,000 users on SQLite (see benchmarks/reminders.py).
        """
        raw = [
            type_coerce(c, String)
            for c in (Journey.phk_date, Journey.last_day, Journey.claimed_at, Journey.sent)
        ]
        unclaimed = [
            and_(
                Journey.claimed_at.is_(None),
                Journey.phk_date >= low,
                or_(
                    Journey.phk_date <= high,
                    and_(Journey.phk_exact.is_(False), Journey.phk_date <= high + MONTH_SPAN),
                ),
            )
            for low, high in ranges.unclaimed
        ]
        query = select(Journey.user_id, Journey.phk_exact, Journey.zone, Journey.lang, *raw).where(
            Journey.reminders_on.is_(True),
            or_(
                *unclaimed,
                Journey.phk_date.between(*ranges.left),
                Journey.last_day.between(*ranges.left),
                Journey.claimed_at.between(*ranges.claimed),
            ),
        )
        async with self.db.session() as session:
            rows = (await session.execute(query)).all()
        return [
            JourneyRecord(
                user_id,
                _day(phk),
                bool(exact),
                _day(last),
                _day(claimed),
                True,
                zone_name,
                lang,
                frozenset(json.loads(sent) if isinstance(sent, str) else sent or ()),
            )
            for user_id, exact, zone_name, lang, phk, last, claimed, sent in rows
        ]

    async def mark_sent(self, sent: Iterable[tuple[int, Sequence[str]]]) -> None:
        """Add reminder keys to each user's ``sent`` and count one reminder sent (after the sink took it).

        Read first, then write in a transaction that starts with its writes: on SQLite a transaction
        that reads and then writes fails at once ("database is locked") when another connection (the
        outbox worker) committed in between, while one that starts by writing waits its turn."""
        items = list(sent)
        for start in range(0, len(items), MARK_BATCH):
            batch = dict(items[start : start + MARK_BATCH])
            async with self.db.session() as session:
                rows = (
                    await session.execute(
                        select(Journey.user_id, Journey.sent).where(Journey.user_id.in_(batch))
                    )
                ).all()
            async with self.db.session() as session:
                for user_id, already in rows:
                    keys = sorted(set(already or ()) | set(batch[user_id]))
                    await session.execute(
                        update(Journey)
                        .where(Journey.user_id == user_id)
                        .values(sent=keys, reminders_sent=Journey.reminders_sent + 1)
                    )

    async def all_dates(self) -> list[tuple[date, bool, date | None]]:
        """(PHK date, exact, claimed) of every saved timeline: for the missed-window statistic."""
        async with self.db.session() as session:
            return [
                tuple(r)
                for r in (
                    await session.execute(select(Journey.phk_date, Journey.phk_exact, Journey.claimed_at))
                ).all()
            ]

    async def stats(self, rules: JkpRules, today: date) -> JourneyStats:
        """The journey figures, with the windows that passed without a claim noted (from the timeline)."""
        counts = await self.counts()
        passed = sum(
            1
            for phk, exact, claimed in await self.all_dates()
            if claimed is None and build_timeline(rules, phk, exact=exact).window_passed(today)
        )
        return JourneyStats(**counts, passed_unclaimed=passed)

    async def counts(self) -> dict[str, int]:
        query = select(
            func.count(),
            func.count().filter(Journey.reminders_on.is_(True)),
            func.coalesce(func.sum(Journey.reminders_sent), 0),
            func.count().filter(Journey.stopped_at.is_not(None)),
            func.count().filter(Journey.claimed_at.is_not(None)),
        )
        async with self.db.session() as session:
            row = (await session.execute(query)).one()
        return dict(
            zip(
                ("timelines", "reminders_on", "reminders_sent", "stopped", "claimed"),
                map(int, row),
                strict=True,
            )
        )

    async def _update(self, user_id: int, values: dict[str, Any]) -> bool:
        async with self.db.session() as session:
            found = rowcount(
                await session.execute(update(Journey).where(Journey.user_id == user_id).values(**values))
            )
            await session.commit()
            return found > 0


def _day(value: Any) -> Any:
    """A date column read raw: SQLite gives 'YYYY-MM-DD', PostgreSQL a date (or None)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def _record(row: Journey) -> JourneyRecord:
    return JourneyRecord(
        row.user_id,
        row.phk_date,
        row.phk_exact,
        row.last_day,
        row.claimed_at,
        row.reminders_on,
        row.zone,
        row.lang,
        frozenset(row.sent or ()),
    )
