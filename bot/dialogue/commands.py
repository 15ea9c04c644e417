"""The one slash-command parser: ``/name@bot args`` -> ``("name", "args")``, for every channel."""

from __future__ import annotations

import re

__all__ = ["parse_command"]

_COMMAND = re.compile(r"/(\S+)(?:\s+(.*))?", re.DOTALL)


def parse_command(text: str) -> tuple[str, str] | None:
    """The command's name (lower case, without ``@botname``) and its arguments (stripped; newlines kept
    inside); None when ``text`` is not a command."""
    found = _COMMAND.fullmatch(text.rstrip())
    if found is None:
        return None
    name = found[1].split("@")[0].lower()
    return (name, (found[2] or "").strip()) if name else None
