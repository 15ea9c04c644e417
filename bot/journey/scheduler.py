"""One pass of the reminders: read the candidates, select (pure), hand each to a ProactiveSink, mark sent.

The sink is a parameter: the outbox binds the durable one (claimed once across instances, surviving
restarts); tests pass :class:`bot.services.proactive.MemorySink`. A reminder the sink refuses (the
user already has a proactive message that day, or cannot be reached) stays unsent and is selected again
at a later pass.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from bot.knowledge import KnowledgeBase
from bot.services.jkp.reminders import KIND, Reminder, candidate_ranges, reminder_reply, select_reminders
from bot.services.jkp.rules import JkpRules
from bot.services.proactive import ZONES, ProactiveSink

from .store import JourneyStore

__all__ = ["due", "queue_reminders"]


async def due(store: JourneyStore, rules: JkpRules, now: datetime) -> list[Reminder]:
    """The reminders due at ``now``, without sending anything (``python -m bot reminders --at``)."""
    first = now.astimezone(ZONES["WIB"]).date()  # WIB is the westernmost zone: the earliest local day
    candidates = await store.candidates(candidate_ranges(rules, first, first + timedelta(days=1)))
    return select_reminders(candidates, now, rules)


async def queue_reminders(
    store: JourneyStore, kb: KnowledgeBase, sink: ProactiveSink, clock: Callable[[], datetime]
) -> list[Reminder]:
    """Queue every due reminder through ``sink``; returns those it accepted (marked sent)."""
    accepted = []
    for reminder in await due(store, kb.extras["jkp_rules"], clock()):
        if await sink(
            user_id=reminder.user_id,
            chat_id=reminder.user_id,
            replies=[reminder_reply(kb, reminder)],
            day=reminder.day,
            kind=KIND,
            not_before=reminder.not_before,
        ):
            accepted.append(reminder)
    await store.mark_sent((r.user_id, r.covers) for r in accepted)
    return accepted
