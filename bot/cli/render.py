"""Plain-text rendering of dialogue replies for the console and ``ask`` (buttons become numbered choices)."""

from __future__ import annotations

from collections.abc import Sequence

from ..dialogue.types import Button, Reply


def buttons_of(replies: Sequence[Reply]) -> list[Button]:
    return [b for r in replies for row in r.buttons for b in row]


def render(replies: Sequence[Reply], *, numbered: bool = True) -> str:
    """Replies as the user would read them; buttons listed as ``1. label`` across all replies."""
    parts: list[str] = []
    counter = 0
    for reply in replies:
        lines = [reply.text]
        for row in reply.buttons:
            for button in row:
                counter += 1
                lines.append(f"{counter}. {button.label}" if numbered else f"- {button.label}")
        parts.append("\n".join(lines))
    return "\n\n".join(parts)
