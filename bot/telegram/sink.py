"""The proactive-message contract (:class:`bot.services.proactive.ProactiveSink`) bound to the outbox.

One proactive message a user and local day: the first row carries the unique key ``p:<user>:<day>``, so
a second one that day (of any kind, from any instance) is refused by the database. Users who blocked the
bot or deleted their data (/hapus: no user row) are refused. The rows are bulk (replies go first) and
spaced ``gap`` apart from ``not_before``, so one chat never gets more than one a second.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta

from ..dialogue import Reply
from ..storage.envelope import BULK
from ..storage.outbox import OutboxStore
from .render import envelopes

__all__ = ["OutboxSink", "dedupe_key"]


def dedupe_key(user_id: int, day: date) -> str:
    return f"p:{user_id}:{day.isoformat()}"


class OutboxSink:
    """A :class:`~bot.services.proactive.ProactiveSink` that queues in the outbox."""

    def __init__(self, outbox: OutboxStore, *, gap: timedelta = timedelta(seconds=1)) -> None:
        self.outbox = outbox
        self.gap = gap

    async def __call__(
        self,
        *,
        user_id: int,
        chat_id: int,
        replies: Sequence[Reply],
        day: date,
        kind: str,
        not_before: datetime,
    ) -> bool:
        """Queue ``replies`` for ``user_id`` on ``day``; False when refused (see the module docstring)."""
        rows = envelopes(chat_id, replies, user_id=user_id, priority=BULK, not_before=not_before)
        if not rows:
            return False
        spaced = [replace(row, not_before=not_before + n * self.gap) for n, row in enumerate(rows)]
        spaced[0] = replace(spaced[0], dedupe=dedupe_key(user_id, day))
        return await self.outbox.enqueue_once(user_id, spaced)
