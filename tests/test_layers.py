"""Imports point one way (issue 13): entry points → assembly → adapters and features → core → intents/.

The graph is read from the source with ``ast`` (imports inside functions included, so a cycle cannot
hide behind a late import); a module may import its own layer or lower ones, never a higher one, and
no set of modules may import each other in a loop.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "intents")

# Highest first. A module belongs to the first layer with a prefix that matches its name.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("entry", ("bot.__main__", "bot.app", "bot.cli", "bot.telegram.runner", "bot.telegram.webhook")),
    ("assembly", ("bot.sections", "bot.telegram.app")),
    (
        "adapters",
        (
            "bot.telegram",
            "bot.handoff.telegram",
            "bot.handoff.counsellor",
            "bot.handoff.user",
            "bot.handoff.timers",
            "bot.handoff.wiring",
            "bot.handoff.desk",
            "bot.alerts.telegram",
            "bot.journey.telegram",
            "bot.admin",
            "bot.conversation",
        ),
    ),
    (
        "core",
        (
            "bot.dialogue",
            "bot.services",
            "bot.knowledge",
            "bot.storage",
            "bot.handoff",
            "bot.privacy",
            "bot.settings",
            "bot.logs",
            "bot",
        ),
    ),
    ("intents", ("intents",)),
)
RANK = {name: rank for rank, (name, _) in enumerate(LAYERS)}
PURE = (
    "bot.dialogue",
    "bot.services",
    "bot.knowledge",
    "bot.handoff.rules",
    "bot.handoff.config",
    "bot.handoff.routing",
    "bot.handoff.intake",
    "bot.handoff.outgoing",
    "intents",
)
"""Core modules that speak neither Telegram nor SQL: decisions without I/O."""
IO_LIBRARIES = ("telegram", "sqlalchemy", "aiohttp", "alembic", "asyncpg", "aiosqlite")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for package in PACKAGES for p in (ROOT / package).rglob("*.py")}


def imports(name: str) -> Iterator[str]:
    """Every name ``name`` imports (absolute), at any depth of its source."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:  # `from pkg import submodule` depends on the submodule only
                yield f"{module}.{alias.name}" if f"{module}.{alias.name}" in MODULES else module


def internal(target: str) -> str | None:
    while target and target not in MODULES:
        target = target.rpartition(".")[0]
    return target or None


GRAPH = {name: {t for t in map(internal, imports(name)) if t and t != name} for name in MODULES}


def layer(name: str) -> str:
    return next(
        layer for layer, prefixes in LAYERS if any(name == p or name.startswith(p + ".") for p in prefixes)
    )


def cycles(graph: dict[str, set[str]] = GRAPH) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles() -> None:
    assert cycles() == []


def test_imports_point_down_the_layers() -> None:
    upward = [
        f"{a} ({layer(a)}) imports {b} ({layer(b)})"
        for a, targets in sorted(GRAPH.items())
        for b in sorted(targets)
        if RANK[layer(b)] < RANK[layer(a)]
    ]
    assert upward == []


def test_the_pure_core_imports_no_telegram_or_sql() -> None:
    offenders = [
        f"{name} imports {target}"
        for name in sorted(MODULES)
        if any(name == p or name.startswith(p + ".") for p in PURE)
        for target in sorted(set(imports(name)))
        if target.split(".")[0] in IO_LIBRARIES
    ]
    assert offenders == []


def test_the_checker_sees_a_cycle_and_late_imports() -> None:
    """The guard itself works: it finds a loop, and the graph holds known edges (a late one included)."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert "bot.sections" in GRAPH["bot.app"] and "bot.knowledge.loader" in GRAPH["bot.knowledge"]
    assert "bot.telegram.runner" in GRAPH["bot.app"]  # imported inside run_telegram
    assert layer("bot.telegram.runner") == "entry" and layer("bot.dialogue.core") == "core"
