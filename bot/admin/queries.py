"""The admin tools' SQL reads: transcript rows and handoff cases for a period, closed cases' threads.

A case's reason is "crisis" for urgent cases (opened by urgent.crisis) and "asked" otherwise.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from bot.handoff.models import Case as HandoffCase
from bot.storage.db import Database
from bot.storage.models import TranscriptRow

from .drafts import Thread
from .stats import Case, Line


async def transcript_lines(db: Database, since: datetime | None, until: datetime | None) -> list[Line]:
    """Transcript rows with ``since <= created_at < until`` (either bound optional), oldest first."""
    t = TranscriptRow
    query = select(t.user_id, t.direction, t.intent, t.band, t.created_at).order_by(t.id)
    rows = await _in_period(db, query, t.created_at, since, until)
    return [Line(r.user_id, r.direction, r.intent, r.band, r.created_at) for r in rows]


async def cases(
    db: Database, since: datetime | None, until: datetime | None, *, exclude: Collection[int] = ()
) -> list[Case]:
    """Handoff cases created in the period (``since <= created_at < until``), oldest first; none of
    the people in ``exclude`` (staff trying the handoff)."""
    c = HandoffCase
    query = select(c.created_at, c.assigned_at, c.closed_at, c.rating, c.urgent).order_by(c.id)
    if exclude:
        query = query.where(c.user_id.not_in(list(exclude)))
    rows = await _in_period(db, query, c.created_at, since, until)
    return [
        Case(
            _aware(r.created_at),
            _utc(r.assigned_at),
            _utc(r.closed_at),
            r.rating,
            "crisis" if r.urgent else "asked",
        )
        for r in rows
    ]


async def _in_period(
    db: Database, query: Any, column: Any, since: datetime | None, until: datetime | None
) -> list[Any]:
    """Rows of ``query`` with ``since <= column < until`` (either bound optional)."""
    if since is not None:
        query = query.where(column >= since)
    if until is not None:
        query = query.where(column < until)
    async with db.session() as session:
        return list((await session.execute(query)).all())


def _utc(value: Any) -> datetime | None:
    """An optional column's datetime in UTC (see :func:`_aware`)."""
    return None if value is None else _aware(value)


def _aware(value: Any) -> datetime:
    """Reflected datetimes may come back naive (SQLite, stored as UTC) or as ISO text."""
    moment: datetime = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


async def closed_threads(db: Database, since: datetime | None) -> list[Thread]:
    """Closed cases (closed since ``since``) of people still known, each with its transcript window."""
    c, t = HandoffCase, TranscriptRow
    query = (
        select(c.id, c.user_id, c.topic, c.lang, c.description, c.created_at, c.closed_at)
        .where(c.status == "closed", c.closed_at.is_not(None), c.user_id != 0)
        .order_by(c.id)
    )
    cases = await _in_period(db, query, c.closed_at, since, None)
    threads = []
    for case in cases:
        lines = (
            select(t.direction, t.text)
            .where(t.user_id == case.user_id, t.created_at >= case.created_at, t.created_at <= case.closed_at)
            .order_by(t.id)
        )
        rows = await _in_period(db, lines, t.created_at, None, None)
        threads.append(
            Thread(
                case.id,
                case.topic,
                case.lang,
                _utc(case.closed_at) or datetime.now(UTC),
                case.description or "",
                tuple((r.direction, r.text) for r in rows),
            )
        )
    return threads
