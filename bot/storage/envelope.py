"""What the outbox holds before it is a row: one Bot API call, rendered, for one chat (no SQL here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = ["BULK", "REPLY", "Envelope"]

REPLY, BULK = 0, 1  # priorities: a reply to someone who just wrote goes before proactive (bulk) messages


@dataclass(frozen=True)
class Envelope:
    """``method`` (``sendMessage``, ``copyMessage``, ``answerCallbackQuery``…) with its ``params``.

    ``user_id`` is whose data the message is (deleted with them by /hapus); ``not_before`` holds it back
    (proactive messages wait for the morning); ``dedupe`` is unique across the outbox (None: no key).
    """

    chat_id: int
    method: str
    params: dict[str, Any] = field(default_factory=dict)
    user_id: int | None = None
    priority: int = REPLY
    not_before: datetime | None = None
    dedupe: str | None = None
