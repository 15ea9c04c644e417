"""Dialogue replies -> Telegram messages: HTML-escaped text, inline keyboards, 4096-character split."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from ..dialogue import Reply
from ..storage.envelope import REPLY, Envelope

MAX_MESSAGE = 4096


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(b.label, url=b.url)
                if b.url
                else InlineKeyboardButton(b.label, callback_data=b.data)
                for b in row
            ]
            for row in reply.buttons
        ]
    )


def escaped_len(text: str) -> int:
    return len(html.escape(text, quote=False))


def split(text: str, limit: int = MAX_MESSAGE, measure: Callable[[str], int] = len) -> list[str]:
    """Split at paragraph boundaries (then words, then characters) so each part measures <= ``limit``."""
    if measure(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for piece in _pieces(text, limit, measure):
        candidate = f"{current}\n\n{piece}" if current else piece
        if measure(candidate) <= limit:
            current = candidate
        else:
            parts.append(current)
            current = piece
    if current:
        parts.append(current)
    return [p for p in parts if p.strip()]


def _pieces(text: str, limit: int, measure: Callable[[str], int]) -> Iterator[str]:
    for paragraph in text.split("\n\n"):
        if measure(paragraph) <= limit:
            yield paragraph
            continue
        yield from _hard_wrap(paragraph, limit, measure)


def _hard_wrap(paragraph: str, limit: int, measure: Callable[[str], int]) -> Iterator[str]:
    line = ""
    for word in paragraph.split(" "):
        while measure(word) > limit:
            if line:
                yield line
                line = ""
            cut = limit
            while measure(word[:cut]) > limit:
                cut -= 1
            yield word[:cut]
            word = word[cut:]
        candidate = f"{line} {word}" if line else word
        if measure(candidate) > limit:
            yield line
            line = word
        else:
            line = candidate
    if line.strip():
        yield line


def messages(reply: Reply) -> list[tuple[str, InlineKeyboardMarkup | None]]:
    """(HTML text, keyboard) per Telegram message; the keyboard goes under the last part.

    Splitting happens before escaping, measuring the escaped length, so an escape is never cut.
    """
    chunks = split(reply.text, MAX_MESSAGE, escaped_len)
    out: list[tuple[str, InlineKeyboardMarkup | None]] = [(html.escape(c, quote=False), None) for c in chunks]
    out[-1] = (out[-1][0], keyboard(reply))
    return out


def envelopes(
    chat_id: int,
    replies: Sequence[Reply],
    *,
    user_id: int | None = None,
    priority: int = REPLY,
    not_before: datetime | None = None,
) -> list[Envelope]:
    """The ``sendMessage`` calls for ``replies``, ready for the outbox (``user_id`` defaults to a private
    chat's id: whose data the messages are)."""
    owner = user_id if user_id is not None else (chat_id if chat_id > 0 else None)
    out = []
    for reply in replies:
        for text, markup in messages(reply):
            params: dict[str, Any] = {"chat_id": chat_id, "text": text, "parse_mode": "HTML"}
            if markup is not None:
                params["reply_markup"] = markup.to_dict()
            out.append(
                Envelope(
                    chat_id, "sendMessage", params, user_id=owner, priority=priority, not_before=not_before
                )
            )
    return out
