"""Plain-text rendering of dialogue replies for the console and ``ask`` (buttons become numbered choices).

Each message's buttons are a list of their own under its text, indented and set off by a blank line,
one keyboard row to a line (``[1] Ya   [2] Tidak``), so an answer's follow-ups and a flow's options
read as separate lists. Numbers run on across the messages of one turn: the console maps a typed
number to the button with that number.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..dialogue.types import Button, Reply

INDENT = "  "
BETWEEN = "   "


def buttons_of(replies: Sequence[Reply]) -> list[Button]:
    return [b for r in replies for row in r.buttons for b in row]


def render(replies: Sequence[Reply], *, numbered: bool = True) -> str:
    """Replies as the user would read them; each message's buttons as its own list."""
    parts: list[str] = []
    counter = 0
    for reply in replies:
        lines = [reply.text, ""] if reply.buttons else [reply.text]
        for row in reply.buttons:
            cells = []
            for button in row:
                counter += 1
                label = f"{button.label} ({button.url})" if button.url else button.label
                cells.append(f"[{counter}] {label}" if numbered else f"- {label}")
            lines.append(INDENT + BETWEEN.join(cells))
        parts.append("\n".join(lines))
    return "\n\n".join(parts)
