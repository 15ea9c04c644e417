"""``knowledge/menus.yaml``: the menus, the intent → guided-service offers, the intents that start a
handoff, the Telegram command menu and the language buttons — content, so admins edit it, not code."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from typing import Any

from .model import Menus, MenuSection
from .parse import Collector
from .yamlio import YDict, YList

MENUS_FILE = "menus.yaml"
HANDOFF_REASONS = frozenset({"asked", "crisis"})
LANGUAGES = ("id", "en")
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")  # Telegram's rule for bot commands
_FIELDS = {"main", "sections", "flow_for_intent", "handoff_intents", "commands", "languages"}


def parse_menus(data: Any, out: Collector, intents: Collection[str] | None, ui: Collection[str]) -> Menus:
    """Parser for menus.yaml; ``intents`` are the declared ids (None when unknown: not checked)."""
    if not isinstance(data, YDict):
        out.at(
            data,
            None,
            "menus.yaml must be a mapping with main, sections, flow_for_intent, "
            "handoff_intents, commands and languages",
        )
        return Menus()
    for key in data.keys() - _FIELDS:
        out.at(data, key, f"unknown field {key!r} (menus.yaml has {', '.join(sorted(_FIELDS))})")

    def intent(value: Any, node: Any, key: Any) -> str | None:
        if not isinstance(value, str) or not value:
            out.at(node, key, f"{value!r} must be an intent id")
            return None
        if intents is not None and value not in intents:
            out.at(node, key, f"intent {value!r} does not exist")
            return None
        return value

    def label_in_ui(section: str, label: str) -> str | None:
        return None if label in ui else f"label {label!r} is not a text in ui.yaml"

    def telegram_command(command: str, description: str) -> str | None:
        if _COMMAND.fullmatch(command) and len(description) <= 256:
            return None
        return f"command {command!r}: 1-32 lowercase letters, digits or _ and a description of at most 256 characters"

    main = _rows(data, "main", ("section", "label"), out, label_in_ui)
    sections = _sections(data.get("sections"), data, out, intent)
    flow_for_intent = _pairs(data, "flow_for_intent", out, intent)
    handoff = _pairs(data, "handoff_intents", out, intent)
    for key, reason in handoff.items():
        if reason not in HANDOFF_REASONS:
            out.at(
                data["handoff_intents"],
                key,
                f"handoff reason {reason!r} must be one of {', '.join(sorted(HANDOFF_REASONS))}",
            )
    commands = _rows(data, "commands", ("command", "description"), out, telegram_command)
    languages = _rows(data, "languages", ("code", "label"), out)
    if languages and sorted(code for code, _ in languages) != sorted(LANGUAGES):
        out.at(data, "languages", f"languages must list exactly {', '.join(LANGUAGES)}")
    return Menus(main, sections, flow_for_intent, handoff, commands, languages)


def _rows(
    data: YDict,
    key: str,
    fields: tuple[str, str],
    out: Collector,
    check: Callable[[str, str], str | None] = lambda first, second: None,
) -> tuple[tuple[str, str], ...]:
    """A list of two-field rows; a malformed row, or one ``check`` objects to, is reported at its own line."""
    items = data.get(key)
    if not isinstance(items, YList):
        out.at(data, key, f"{key!r} must be a list of {{{fields[0]}: ..., {fields[1]}: ...}}")
        return ()
    rows = []
    for i, item in enumerate(items):
        values = [item.get(f) for f in fields] if isinstance(item, YDict) and set(item) == set(fields) else []
        texts = [v.strip() for v in values if isinstance(v, str) and v.strip()]
        if len(texts) != 2:
            out.at(
                items,
                i,
                f"{key} item {i + 1} must be {{{fields[0]}: ..., {fields[1]}: ...}} with text values",
            )
            continue
        problem = check(texts[0], texts[1])
        if problem:
            out.at(items, i, problem)
            continue
        rows.append((texts[0], texts[1]))
    return tuple(rows)


def _pairs(data: YDict, key: str, out: Collector, intent: Any) -> dict[str, str]:
    items = data.get(key)
    if not isinstance(items, YDict):
        out.at(data, key, f"{key!r} must map intent ids to names")
        return {}
    found = {}
    for name, value in items.items():
        if intent(name, items, name) and isinstance(value, str) and value:
            found[name] = value
        elif isinstance(name, str) and not (isinstance(value, str) and value):
            out.at(items, name, f"{name}: must name one value")
    return found


def _sections(items: Any, data: YDict, out: Collector, intent: Any) -> dict[str, MenuSection]:
    if not isinstance(items, YDict):
        out.at(data, "sections", "'sections' must map each topic menu to its flows and intents")
        return {}
    found = {}
    for name, body in items.items():
        if (
            not isinstance(body, YDict)
            or not isinstance(body.get("intents"), YList)
            or not isinstance(body.get("flows", YList()), YList)
            or body.keys() - {"flows", "intents"}
        ):
            out.at(
                items, name, f"section {name!r} must have 'intents' (a list) and may have 'flows' (a list)"
            )
            continue
        ids = tuple(i for n, value in enumerate(body["intents"]) if (i := intent(value, body["intents"], n)))
        flows = tuple(str(f) for f in body.get("flows", ()))
        found[str(name)] = MenuSection(flows, ids)
    return found
