"""Reports shared by Telegram and the command line: statistics figures and unanswered groups."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import asdict, replace
from datetime import UTC, date, datetime, time, timedelta

from bot.journey.store import JourneyStore
from bot.knowledge import KnowledgeBase
from bot.knowledge.model import stale_intents
from bot.storage.base import TranscriptLine
from bot.storage.db import Database

from . import queries, stats, unanswered
from .texts import AdminTexts

STALE_MONTHS = 6


def day_start(day: date | None) -> datetime | None:
    """Midnight UTC at the start of ``day``."""
    return None if day is None else datetime.combine(day, time(), tzinfo=UTC)


async def figures(
    db: Database,
    kb: KnowledgeBase,
    since: date | None,
    until: date | None,
    today: date,
    *,
    staff: Collection[int] = (),
) -> stats.Figures:
    """Statistics for ``since <= day <= until`` (both inclusive, either optional); ``staff`` (counsellors
    and admins) are not users: their lines are left out."""
    start, end = day_start(since), day_start(until + timedelta(days=1) if until else None)
    lines = [line for line in await queries.transcript_lines(db, start, end) if line.user_id not in staff]
    cases = await queries.cases(db, start, end, exclude=staff)
    stale = len(stale_intents(kb, STALE_MONTHS, today))
    found = stats.compute(lines, cases, stale=stale, since=since, until=until)
    journey = await JourneyStore(db).stats(kb.extras["jkp_rules"], today)
    return replace(found, journey=asdict(journey)) if journey.timelines else found


def unanswered_text(
    lines: list[TranscriptLine],
    texts: AdminTexts,
    lang: str,
    since: date,
    *,
    limit: int = 10,
    lexicon: Mapping[str, str] | None = None,
) -> str:
    """The most frequent groups of unanswered questions, with counts and example wordings."""
    every = unanswered.group((line.text for line in lines), lexicon=lexicon or {})
    if not every:
        return texts.get("unanswered.none", lang, since=since)
    groups = unanswered.top(every, limit)
    head = texts.get("unanswered.head", lang, since=since, total=sum(g.count for g in every))
    items = [
        texts.get("unanswered.item", lang, rank=n, count=g.count, examples=" | ".join(g.examples))
        for n, g in enumerate(groups, 1)
    ]
    return "\n".join([head, *items])


def without_staff(lines: list[TranscriptLine], staff: Collection[int]) -> list[TranscriptLine]:
    """Counsellors' and admins' own lines are never job seekers' questions."""
    return [line for line in lines if line.user_id not in staff]
