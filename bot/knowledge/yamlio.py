"""Safe YAML reading that keeps line numbers.

Admins edit these files by hand, so every problem must point at a file and a line. We compose the
YAML into nodes with the safe (C when available) loader, refuse tags, anchors, aliases, duplicate
keys and oversize files, and hand back plain Python values wrapped so each mapping knows the line of
each of its keys and each list the line of each item.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

try:  # the C loader is much faster on big files; fall back to pure Python when libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the platform build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 2 * 1024 * 1024
_STANDARD_TAG = "tag:yaml.org,2002:"
TOO_DEEP = "lists or sections are nested far too deeply to be a knowledge file"


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
    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self._scalars = yaml.constructor.SafeConstructor()

    def problem(self, node: yaml.Node, message: str) -> None:
        self.problems.append(Problem(self.file, node.start_mark.line + 1, message))

    def build(self, node: yaml.Node) -> Any:
        if node.tag and not node.tag.startswith(_STANDARD_TAG):
            self.problem(node, f"YAML tag {node.tag!r} is not allowed")
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node)
        if isinstance(node, yaml.SequenceNode):
            return self._sequence(node)
        return self._scalar(node)

    def _scalar(self, node: yaml.Node) -> Any:
        try:
            return self._scalars.construct_object(node)
        except yaml.YAMLError as exc:
            self.problem(node, f"cannot read value: {exc}")
            return None

    def _mapping(self, node: yaml.MappingNode) -> YDict:
        out = YDict()
        out.line, out.lines = node.start_mark.line + 1, {}
        for key_node, value_node in node.value:
            key = self.build(key_node)
            if not isinstance(key, str | int):
                self.problem(key_node, "a key must be plain text")
                continue
            key = str(key)
            if key in out:
                self.problem(key_node, f"field {key!r} appears twice")
                continue
            out[key] = self.build(value_node)
            out.lines[key] = key_node.start_mark.line + 1
        return out

    def _sequence(self, node: yaml.SequenceNode) -> YList:
        out = YList()
        out.line, out.lines = node.start_mark.line + 1, {}
        for item in node.value:
            out.lines[len(out)] = item.start_mark.line + 1
            out.append(self.build(item))
        return out


def _forbidden_events(text: str, file: str) -> list[Problem]:
    problems = []
    for event in yaml.parse(text, Loader=_Loader):
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            problems.append(Problem(file, line, "YAML aliases (*name) are not allowed"))
        elif getattr(event, "anchor", None):
            problems.append(Problem(file, line, "YAML anchors (&name) are not allowed"))
        elif getattr(event, "tag", None):
            problems.append(Problem(file, line, f"YAML tag {event.tag!r} is not allowed"))
    return problems


def parse_yaml(text: str, file: str) -> tuple[Any, list[Problem]]:
    """Parse YAML text; returns (data, problems). Data is None when the text cannot be read."""
    try:
        forbidden = _forbidden_events(text, file)
        if forbidden:
            return None, forbidden
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        reason = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        return None, [Problem(file, line, f"not valid YAML: {reason}")]
    except yaml.YAMLError as exc:
        return None, [Problem(file, 1, f"not valid YAML: {exc}")]
    except RecursionError:
        return None, [Problem(file, 1, TOO_DEEP)]
    if node is None:
        return None, [Problem(file, 1, "the file is empty")]
    builder = _Builder(file)
    try:
        data = builder.build(node)
    except RecursionError:
        return None, [Problem(file, 1, TOO_DEEP)]
    return data, builder.problems


def load_yaml(path: Path, *, label: str | None = None, max_bytes: int = MAX_FILE_BYTES) -> tuple[Any, list[Problem]]:
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
