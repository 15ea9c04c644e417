"""``python -m bot reminders --at YYYY-MM-DD``: what the reminder job would queue that day, without sending."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, TextIO

from bot.knowledge import KnowledgeBase, KnowledgeError
from bot.privacy import hash_user
from bot.services.jkp.reminders import reminder_reply
from bot.services.proactive import ZONES
from bot.settings import Settings
from bot.storage.db import Database

from .scheduler import due
from .store import JourneyStore

PREVIEW_TIME = time(9, 0)  # the day's reminders as the 09:00 WIB pass would select them


def add_commands(sub: Any) -> None:
    """Add ``reminders`` to the main parser's subcommands."""
    reminders = sub.add_parser("reminders", help="list the journey reminders due on a day (nothing is sent)")
    reminders.add_argument("--at", type=date.fromisoformat, help="the day (YYYY-MM-DD; default: today)")


def dispatch(
    args: argparse.Namespace, settings: Settings, load_knowledge: Callable[[Path], KnowledgeBase]
) -> int | None:
    """Run ``reminders``; None when ``args.command`` is something else."""
    if args.command != "reminders":
        return None
    settings.check_database()
    try:
        kb = load_knowledge(settings.knowledge_dir)
    except KnowledgeError as exc:
        print(exc, file=sys.stderr)
        return 1
    day = args.at or datetime.now(ZONES["WIB"]).date()
    return asyncio.run(preview(settings.database_url, kb, day, salt=settings.log_salt))


async def preview(url: str, kb: KnowledgeBase, day: date, *, salt: str, stdout: TextIO = sys.stdout) -> int:
    """Print one line per reminder: masked user, key, local day, earliest send time (UTC), first line."""
    db = Database(url)
    try:
        await db.upgrade()
        found = await due(
            JourneyStore(db), kb.extras["jkp_rules"], datetime.combine(day, PREVIEW_TIME, ZONES["WIB"])
        )
    finally:
        await db.dispose()
    stdout.write(f"reminders due on {day}: {len(found)} (nothing sent)\n")
    for reminder in found:
        first = reminder_reply(kb, reminder).text.splitlines()[0]
        stdout.write(
            f"{hash_user(reminder.user_id, salt)}  {reminder.key:<4} {reminder.day}  "
            f"{reminder.not_before:%Y-%m-%d %H:%M}Z  {first}\n"
        )
    return 0
