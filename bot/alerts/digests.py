"""One digest run: match the fresh vacancies to the subscribers and hand the due digests to the sink."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.knowledge import KnowledgeBase
from bot.services.jobs.alerts import KIND, after_sending, collect, render, select
from bot.services.jobs.vacancies import Vacancy
from bot.services.proactive import ProactiveSink, local_day, zone

from .store import AlertStore

__all__ = ["send_digests"]


async def send_digests(
    store: AlertStore, kb: KnowledgeBase, fresh: Sequence[Vacancy], sink: ProactiveSink, now: datetime
) -> int:
    """Add the fresh vacancies that fit to each subscriber's pending list, queue the digests that are
    due (at most one a day each: the sink refuses a second), store what is left; returns how many were queued."""
    jobs, regions = kb.extras["jobs"], kb.extras["regions"]
    subscribers = collect(
        await store.subscribers(), fresh, local_day(now, zone(None)), jobs=jobs, regions=regions
    )
    current = {v.id: v for v in kb.extras["vacancies"]}
    due = {d.subscriber.user_id: d for d in select(subscribers, current, now, jobs=jobs, regions=regions)}
    kept, queued = [], 0
    for sub in subscribers:
        digest = due.get(sub.user_id)
        if digest is not None and await sink(
            user_id=sub.user_id,
            chat_id=sub.chat_id,
            replies=render(kb, digest),
            day=digest.day,
            kind=KIND,
            not_before=digest.not_before,
        ):
            kept.append(after_sending(digest))
            queued += 1
        else:
            kept.append(sub)
    await store.keep(kept)
    return queued
