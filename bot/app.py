"""The commands of ``python -m bot`` built from settings: check, eval, console, Telegram. Only __main__ uses it."""

from __future__ import annotations

import asyncio
import sys
from datetime import date
from pathlib import Path
from typing import TextIO

from .dialogue import Dialogue
from .knowledge import KnowledgeError
from .knowledge.model import stale_intents
from .sections import load_knowledge
from .services import guided
from .settings import Settings, StartupError


def load_dialogue(root: Path, *, err: TextIO = sys.stderr) -> Dialogue | None:
    """The dialogue over ``root``, or None after printing every knowledge problem."""
    try:
        kb = load_knowledge(root)
    except KnowledgeError as exc:
        exc.report(err, f"knowledge in {root} has {{count}} problem(s); fix them (python -m bot check)")
        return None
    return Dialogue(kb, services=guided())


def run_eval(dialogue: Dialogue, file: Path, *, show_misses: bool = False) -> int:
    from .cli.evaluate import evaluate, misses, print_report, read_labelled

    try:
        items = read_labelled(file)
    except KnowledgeError as exc:
        print(exc, file=sys.stderr)
        return 1
    report = evaluate(dialogue.kb.matcher, items)
    print_report(report, sys.stdout)
    if show_misses:
        misses(report, sys.stdout)
    return 0


def stale_report(root: Path, months: int, out: TextIO = sys.stdout) -> int:
    """``check --stale``: entries whose ``reviewed`` date is older than ``months``; 1 when any."""
    try:
        kb = load_knowledge(root)
    except KnowledgeError as exc:
        out.write(f"{exc}\n")
        return 1
    stale = stale_intents(kb, months, date.today())
    for intent in stale:
        out.write(
            f"{intent.file}:{intent.line}: {intent.id} reviewed {intent.reviewed} — sources: "
            f"{'; '.join(intent.sources)}\n"
        )
    out.write(f"{len(stale)} of {len(kb.intents)} entries not reviewed in the last {months} months\n")
    return 1 if stale else 0


def db_upgrade(settings: Settings) -> int:
    from .storage.db import upgrade_url

    settings.check_database()
    try:
        asyncio.run(upgrade_url(settings.database_url))
    except Exception as exc:
        raise StartupError(
            "DATABASE_URL", "points at a database that cannot be opened or migrated", exc
        ) from None
    print("database is up to date")
    return 0


def run_console(dialogue: Dialogue, settings: Settings) -> int:
    from .cli.console import Console

    Console(dialogue).run(sys.stdin, sys.stdout)
    return 0


def run_telegram(settings: Settings, *, webhook: bool) -> int:
    from .telegram.runner import run

    return run(settings, webhook=webhook)
