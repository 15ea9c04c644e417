"""Small helpers shared by the service data parsers: bilingual texts, dates, required fields.

Each helper records a problem on the :class:`Collector` (file, line, message) and returns None when
the value is unusable, so a parser can report every problem in a file in one go.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from types import MappingProxyType
from typing import Any

from bot.knowledge import parse
from bot.knowledge.parse import Collector
from bot.knowledge.yamlio import YDict, YList

Bilingual = Mapping[str, str]


def freeze(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    """A read-only view of a plain dict (our parsed values are frozen)."""
    return MappingProxyType(dict(mapping))


def mapping(node: Any, key: str, where: str, out: Collector) -> YDict | None:
    """``node[key]`` when it is a mapping, else a problem."""
    value = node.get(key) if isinstance(node, YDict) else None
    if not isinstance(value, YDict):
        out.at(node, key, f"{where}: '{key}' must be a mapping")
        return None
    return value


def listing(node: Any, key: str, where: str, out: Collector) -> YList | None:
    """``node[key]`` when it is a list, else a problem."""
    value = node.get(key) if isinstance(node, YDict) else None
    if not isinstance(value, YList):
        out.at(node, key, f"{where}: '{key}' must be a list")
        return None
    return value


def text(node: YDict, key: str, where: str, out: Collector, *, optional: bool = False) -> str | None:
    """A non-empty string field."""
    value = node.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value.strip():
        out.at(node, key, f"{where}: '{key}' must be non-empty text")
        return None
    return value.strip()


def texts(node: YDict, key: str, where: str, out: Collector) -> tuple[str, ...] | None:
    """A list of non-empty strings (numbers are accepted and turned into text)."""
    value = node.get(key)
    if not isinstance(value, YList):
        out.at(node, key, f"{where}: '{key}' must be a list")
        return None
    items = []
    for i, item in enumerate(value):
        if isinstance(item, str | int) and str(item).strip():
            items.append(str(item).strip())
        else:
            out.at(value, i, f"{where}: '{key}' item {i + 1} must be non-empty text")
    return tuple(items)


def bilingual(
    node: YDict, key: str, where: str, out: Collector, *, optional: bool = False
) -> Bilingual | None:
    """``{id: ..., en: ...}``; both languages present and non-empty (the knowledge loader's rule), frozen."""
    found = parse.bilingual(node, key, where, out, optional=optional)
    return freeze(found) if found is not None else None


def a_date(node: YDict, key: str, where: str, out: Collector) -> date | None:
    """A date written as 2026-11-22."""
    value = node.get(key)
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            pass
    if not isinstance(value, date):
        out.at(node, key, f"{where}: '{key}' must be a date like 2026-11-22")
        return None
    return value


def integer(node: YDict, key: str, where: str, out: Collector, *, minimum: int = 0) -> int | None:
    """A whole number of at least ``minimum``."""
    value = node.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        out.at(node, key, f"{where}: '{key}' must be a whole number of at least {minimum}")
        return None
    return value


def unknown_fields(node: YDict, allowed: Iterable[str], where: str, out: Collector) -> None:
    """Report fields a parser does not know (catches typos such as 'reviewd')."""
    for key in sorted(node.keys() - set(allowed)):
        out.at(node, key, f"{where}: unknown field {key!r}")


def missing_fields(node: YDict, required: Iterable[str], where: str, out: Collector) -> None:
    """Report required fields that are absent."""
    for key in sorted(set(required) - node.keys()):
        out.at(node, None, f"{where}: field {key!r} is missing")
