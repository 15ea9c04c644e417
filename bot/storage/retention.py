"""Retention (UU PDP): transcripts and ended counsellor cases are kept ``RETENTION_MONTHS`` and no longer.

After the period, transcript lines are deleted and closed or cancelled cases are anonymised (user id 0,
no name, no description, notes deleted), so the statistics keep their counts but nothing points at a
person any more; people not seen for the whole period (and with no open case) lose their stored
profile and conversation state too. ``purge(db, months, now=...)`` does it (or, with ``dry_run``, only counts); the
Telegram app runs it daily and ``python -m bot purge [--dry-run]`` runs it by hand. The same
statements work on SQLite and PostgreSQL.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, and_, delete, func, or_, select, update

from bot.handoff.models import Case, CaseNote

from .db import Database, rowcount
from .models import TranscriptRow, User

__all__ = ["DEFAULT_MONTHS", "Purged", "cutoff", "purge"]

DEFAULT_MONTHS = 12
ENDED = ("closed", "cancelled")


@dataclass(frozen=True)
class Purged:
    """What a purge removed (or, in a dry run, would remove): everything older than ``before``."""

    before: datetime
    transcript_lines: int
    cases: int
    users: int = 0
    dry_run: bool = False


def cutoff(now: datetime, months: int) -> datetime:
    """``now`` minus ``months`` calendar months (31 March - 1 month = 28/29 February)."""
    total = now.year * 12 + now.month - 1 - months
    year, month = divmod(total, 12)
    day = min(now.day, calendar.monthrange(year, month + 1)[1])
    return now.replace(year=year, month=month + 1, day=day)


def _old_cases(before: datetime) -> Any:
    """Ended cases whose end (or, lacking one, their opening) is older than ``before``, not yet anonymised."""
    ended = func.coalesce(Case.closed_at, Case.cancelled_at, Case.created_at)
    identifying = or_(Case.user_id != 0, Case.first_name != "", Case.description != "")
    return and_(Case.status.in_(ENDED), ended < before, identifying)


def _inactive_users(before: datetime) -> Any:
    """People not seen since ``before`` and with no open case: their stored profile goes too."""
    open_cases = select(Case.user_id).where(Case.status.in_(("waiting", "assigned")))
    recent = select(TranscriptRow.id).where(
        TranscriptRow.user_id == User.id, TranscriptRow.created_at >= before
    )
    return and_(User.last_seen_at < before, User.id.not_in(open_cases), ~recent.exists())


async def purge(db: Database, months: int, *, now: datetime, dry_run: bool = False) -> Purged:
    """Delete transcript lines and anonymise ended cases older than ``months`` before ``now``; delete
    the stored state of people not seen since then."""
    before = cutoff(now, months)
    old_lines = TranscriptRow.created_at < before
    async with db.session() as session:
        if dry_run:
            lines = await session.scalar(select(func.count()).select_from(TranscriptRow).where(old_lines))
            cases = await session.scalar(select(func.count()).select_from(Case).where(_old_cases(before)))
            users = await session.scalar(
                select(func.count()).select_from(User).where(_inactive_users(before))
            )
            return Purged(before, int(lines or 0), int(cases or 0), int(users or 0), dry_run=True)
        removed = await session.execute(delete(TranscriptRow).where(old_lines))
        gone = await session.execute(delete(User).where(_inactive_users(before)))
        ids = select(Case.id).where(_old_cases(before)).scalar_subquery()
        await session.execute(cast(Table, CaseNote.__table__).delete().where(CaseNote.case_id.in_(ids)))
        anonymised = await session.execute(
            update(Case)
            .where(_old_cases(before))
            .values(user_id=0, first_name="", description="", answered="")
            .execution_options(synchronize_session=False)
        )
    return Purged(before, rowcount(removed), rowcount(anonymised), rowcount(gone))
