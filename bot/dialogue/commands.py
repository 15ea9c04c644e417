"""The one slash-command parser: ``/name@bot args`` -> ``("name", "args")``, for every channel."""

from __future__ import annotations

import re

__all__ = ["parse_command"]

_COMMAND = re.compile(r"/([A-Za-z0-9_]+)(?:@[A-Za-z0-9_]+)?(.*)", re.DOTALL)  # Telegram's command syntax


def parse_command(text: str) -> tuple[str, str] | None:
    """The command's name (lower case, without ``@botname``) and its arguments (stripped; newlines kept
    inside); None when ``text`` is not a command. The name ends where Telegram's does: ``/siaga,`` is
    ``siaga`` (Telegram's ``bot_command`` entity, which PTB's ``CommandHandler`` matches, covers the same)."""
    found = _COMMAND.fullmatch(text)
    return (found[1].lower(), found[2].strip()) if found else None
