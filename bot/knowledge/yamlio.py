"""Safe YAML reading that keeps line numbers.

Admins edit these files by hand, so every problem must point at a file and a line. We compose the
YAML's events with the safe (C when available) parser and build plain Python values from them in one
pass, refusing tags, anchors, aliases, duplicate keys and oversize files on the way; each mapping knows
the line of each of its keys and each list the line of each item.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

try:  # the C loader is much faster on big files; fall back to pure Python when libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the platform build
    from yaml import SafeLoader as _Loader

MAX_FILE_BYTES = 2 * 1024 * 1024
_STR_TAG = "tag:yaml.org,2002:str"
TOO_DEEP = "lists or sections are nested far too deeply to be a knowledge file"
MAX_DEPTH = (
    100  # knowledge files nest 5 or 6 levels; deeper is damage, refused before Python's stack runs out
)


class _TooDeep(Exception):
    """A list or mapping nested deeper than MAX_DEPTH."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a knowledge file, printed as ``FILE:LINE: message``."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class Node:
    """Mixin giving a container the line it starts on and the line of each of its entries."""

    line: int
    lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        return self.lines.get(key, self.line)


class YDict(dict[str, Any], Node):
    """A mapping read from YAML, with ``line`` and ``line_of(key)``."""


class YList(list[Any], Node):
    """A sequence read from YAML, with ``line`` and ``line_of(index)``."""


class _Builder:
    """Builds plain values straight from the parser's events, in one pass (no node tree): the
    forbidden tags, anchors and aliases are seen on the way, and every container records its lines."""

    def __init__(self, file: str, events: Iterator[yaml.Event]) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.refused: list[Problem] = []  # tags, anchors and aliases: the file is not read at all
        self._events = events
        self._scalars = yaml.constructor.SafeConstructor()
        self._resolver = yaml.resolver.Resolver()
        self._depth = 0

    def problem(self, event: yaml.Event, message: str) -> None:
        self.problems.append(Problem(self.file, event.start_mark.line + 1, message))

    def document(self) -> tuple[Any, bool]:
        """The one document's value, and whether there was one (an empty file has none)."""
        next(self._events)  # StreamStartEvent
        event = next(self._events)
        if isinstance(event, yaml.StreamEndEvent):
            return None, False
        data = self.build(next(self._events))
        next(self._events)  # DocumentEndEvent
        extra = next(self._events)
        if not isinstance(extra, yaml.StreamEndEvent):
            self.problem(extra, "not valid YAML: expected a single document in the stream")
        return data, True

    def build(self, event: yaml.Event) -> Any:
        if isinstance(event, yaml.AliasEvent):
            return self._refuse(event, "YAML aliases (*name) are not allowed")
        if event.anchor:
            self._refuse(event, "YAML anchors (&name) are not allowed")
        tag = event.tag
        if tag and tag != "!":
            self._refuse(event, f"YAML tag {tag!r} is not allowed")
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise _TooDeep
            try:
                return (
                    self._mapping(event)
                    if isinstance(event, yaml.MappingStartEvent)
                    else self._sequence(event)
                )
            finally:
                self._depth -= 1
        return self._scalar(event)

    def _refuse(self, event: yaml.Event, message: str) -> None:
        self.refused.append(Problem(self.file, event.start_mark.line + 1, message))

    def _scalar(self, event: yaml.ScalarEvent) -> Any:
        if event.style or event.tag == "!":  # quoted, block or '!'-tagged: text as written
            return event.value
        tag = self._resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == _STR_TAG:
            return event.value
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark)
        try:
            return self._scalars.construct_object(node)
        except yaml.YAMLError as exc:
            self.problem(event, f"cannot read value: {exc}")
            return None

    def _mapping(self, start: yaml.Event) -> YDict:
        out = YDict()
        out.line, out.lines = start.start_mark.line + 1, {}
        for key_event in iter(self._events.__next__, None):
            if isinstance(key_event, yaml.MappingEndEvent):
                break
            key = self._key(key_event)
            value = self.build(next(self._events))
            if key is None:
                continue
            if key in out:
                self.problem(key_event, f"field {key!r} appears twice")
                continue
            out[key] = value
            out.lines[key] = key_event.start_mark.line + 1
        return out

    def _key(self, event: yaml.Event) -> str | None:
        """A key as written ("no", "2025" and "true" are words here, not a boolean or a number)."""
        if isinstance(event, yaml.ScalarEvent):
            self.build(event)  # for the tag and anchor checks
            return str(event.value)
        self.build(event)
        self.problem(event, "a key must be plain text")
        return None

    def _sequence(self, start: yaml.Event) -> YList:
        out = YList()
        out.line, out.lines = start.start_mark.line + 1, {}
        for event in iter(self._events.__next__, None):
            if isinstance(event, yaml.SequenceEndEvent):
                break
            out.lines[len(out)] = event.start_mark.line + 1
            out.append(self.build(event))
        return out


def parse_yaml(text: str, file: str) -> tuple[Any, list[Problem]]:
    """Parse YAML text; returns (data, problems). Data is None when the text cannot be read."""
    builder = _Builder(file, yaml.parse(text, Loader=_Loader))
    try:
        data, found = builder.document()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        reason = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        return None, [Problem(file, line, f"not valid YAML: {reason}")]
    except yaml.YAMLError as exc:
        return None, [Problem(file, 1, f"not valid YAML: {exc}")]
    except (_TooDeep, RecursionError):
        return None, [Problem(file, 1, TOO_DEEP)]
    if builder.refused:
        return None, builder.refused
    if not found:
        return None, [Problem(file, 1, "the file is empty")]
    return data, builder.problems


def load_yaml(
    path: Path, *, label: str | None = None, max_bytes: int = MAX_FILE_BYTES
) -> tuple[Any, list[Problem]]:
    """Read and parse one YAML file; ``label`` is how the file is named in problems."""
    name = label or str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return None, [Problem(name, 1, f"file is too big ({size} bytes; the limit is {max_bytes})")]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(name, 1, f"cannot read the file: {exc.strerror}")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(name, line, "the file is not UTF-8 text (save it as UTF-8)")]
    return parse_yaml(text, name)
