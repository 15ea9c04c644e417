"""``python -m bot suggest`` and ``python -m bot stats``: admin reports on the command line.

Heavy imports (SQL, matplotlib) happen inside the commands, so other commands start fast.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Collection
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TextIO

import yaml

from bot.knowledge import KnowledgeBase, KnowledgeError
from bot.settings import Settings


def add_commands(sub: Any) -> None:
    """Add ``suggest`` and ``stats`` to the main parser's subcommands."""
    suggest = sub.add_parser("suggest", help="propose examples and intents from unanswered questions (YAML)")
    suggest.add_argument("--since", type=date.fromisoformat, help="only questions from this day (YYYY-MM-DD)")
    suggest.add_argument("--out", type=Path, help="write the proposals here (default: standard output)")
    stats = sub.add_parser("stats", help="usage statistics, optionally with a PNG chart")
    stats.add_argument("--since", type=date.fromisoformat, help="first day (YYYY-MM-DD)")
    stats.add_argument("--until", type=date.fromisoformat, help="last day, inclusive (YYYY-MM-DD)")
    stats.add_argument("--chart", type=Path, help="write the daily chart to this PNG file")
    stats.add_argument("--lang", choices=["id", "en"], default="id")


def dispatch(
    args: argparse.Namespace, settings: Settings, load_knowledge: Callable[[Path], KnowledgeBase]
) -> int | None:
    """Run an admin command; None when ``args.command`` is not one of ours."""
    if args.command not in ("suggest", "stats"):
        return None
    settings.check_database()
    try:
        kb = load_knowledge(settings.knowledge_dir)
    except KnowledgeError as exc:
        print(exc, file=sys.stderr)
        return 1
    staff = settings.counsellor_ids | settings.admin_ids
    if args.command == "suggest":
        return asyncio.run(suggest(settings.database_url, kb, args.since, args.out, staff=staff))
    return asyncio.run(stats(settings.database_url, kb, args, staff=staff))


async def suggest(
    url: str,
    kb: KnowledgeBase,
    since: date | None,
    out: Path | None,
    *,
    today: date | None = None,
    stdout: TextIO = sys.stdout,
    staff: Collection[int] = (),
) -> int:
    """Write the proposals YAML for unanswered questions since ``since``."""
    from bot.storage.db import Database
    from bot.storage.repo import Repository

    from . import drafts, queries, report, unanswered

    db = Database(url)
    try:
        await db.upgrade()
        lines = report.without_staff(await Repository(db).unanswered(report.day_start(since)), staff)
        threads = await queries.closed_threads(db, report.day_start(since))
    finally:
        await db.dispose()
    today = today or datetime.now(UTC).date()
    groups = unanswered.group((line.text for line in lines), lexicon=kb.lexicon)
    proposals = unanswered.suggest(groups, kb, today, since=since)
    proposals["answer_drafts"] = drafts.drafts(threads, kb)
    text = yaml.safe_dump(proposals, allow_unicode=True, sort_keys=False, width=110)
    if out is None:
        stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
    return 0


async def stats(
    url: str,
    kb: KnowledgeBase,
    args: argparse.Namespace,
    *,
    today: date | None = None,
    stdout: TextIO = sys.stdout,
    staff: Collection[int] = (),
) -> int:
    """Print the statistics for the period; write the chart when ``--chart`` is given."""
    from bot.storage.db import Database

    from . import report
    from .chart import daily_chart
    from .stats import render
    from .texts import admin_texts

    db = Database(url)
    try:
        await db.upgrade()
        today = today or datetime.now(UTC).date()
        figures = await report.figures(db, kb, args.since, args.until, today, staff=staff)
    finally:
        await db.dispose()
    texts = admin_texts(kb)
    stdout.write(render(figures, texts, args.lang) + "\n")
    if args.chart is not None:
        args.chart.write_bytes(daily_chart(figures.daily, texts, args.lang))
    return 0
