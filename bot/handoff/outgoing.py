"""What a handoff action decided to send: messages as values (pure), sent in one place by the adapter
(:meth:`bot.handoff.telegram.Handoff.deliver`, through the outbox) — as errbot's commands return data
that a template renders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..dialogue.types import Button, Reply

__all__ = ["Copy", "Outgoing", "message"]


@dataclass(frozen=True)
class Copy:
    """A message to copy (media the other side sent), without the "forwarded from" header."""

    from_chat: int
    message_id: int


@dataclass(frozen=True)
class Outgoing:
    """Replies for one chat, then (optionally) a copy of a message into it."""

    chat_id: int
    replies: tuple[Reply, ...] = ()
    copy: Copy | None = None


def message(chat_id: int, text: str, buttons: Sequence[Sequence[Button]] = ()) -> Outgoing:
    """One text message (with inline buttons) to ``chat_id``."""
    return Outgoing(chat_id, (Reply(text, tuple(tuple(row) for row in buttons)),))
