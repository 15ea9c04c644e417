"""Plain-language hints for the problems a non-programmer meets most (tabs, indentation, quotes, ...).

The loader's ``FILE:LINE: message`` lines stay exact; these only choose which admin texts
(``hint.*`` in knowledge/admin.yaml, Indonesian and English) to add under them, and put the files
that could not be read at all first, since problems elsewhere usually follow from them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from bot.knowledge import Problem
from bot.knowledge.yamlio import TOO_DEEP

UNREADABLE = "could not be read (damaged, or nested too deeply)"

HINTS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), key)
    for pattern, key in (
        (r"tab character|'\\t'", "hint.tab"),
        (r"quoted scalar|unexpected end of stream", "hint.quote"),
        (
            r"did not find expected|mapping values are not allowed|expected <block end>|could not find expected ':'",
            "hint.indent",
        ),
        (r"not UTF-8|unacceptable character|control characters", "hint.not_text"),
        (r"too big", "hint.too_big"),
        (r"the file is empty", "hint.empty"),
        (
            r"needs a list under 'intents:'|must be a list|must be a mapping|must be non-empty text|must be a date"
            r"|must be a number|must be true or false|must have an 'id' and an 'en'",
            "hint.type",
        ),
        (r"test phrase", "hint.regression"),
        (f"{re.escape(UNREADABLE)}|{re.escape(TOO_DEEP)}", "hint.unreadable"),
    )
)

_READING = (
    "hint.tab",
    "hint.quote",
    "hint.indent",
    "hint.not_text",
    "hint.too_big",
    "hint.empty",
    "hint.unreadable",
)


def keys(problems: Iterable[Problem]) -> list[str]:
    """The hint keys that apply to ``problems``, each once, in the order of :data:`HINTS`."""
    found = {key for p in problems for pattern, key in HINTS if pattern.search(p.message)}
    return [key for _, key in HINTS if key in found]


def unreadable(problem: Problem) -> bool:
    """The file as a whole could not be read (so its intents are missing, and others point at them)."""
    return any(key in _READING for key in keys([problem]))


def ordered(problems: Sequence[Problem], first: Iterable[str] = ()) -> list[Problem]:
    """Problems in the files named in ``first`` (labels), then in unreadable files, then the rest."""
    wanted = set(first)
    broken = {p.file for p in problems if unreadable(p)}
    return sorted(problems, key=lambda p: (p.file not in wanted, p.file not in broken))
