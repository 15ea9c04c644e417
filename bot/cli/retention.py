"""``python -m bot purge [--dry-run]``: apply the retention period now (the running bot does it daily)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from datetime import datetime
from typing import TextIO

from bot.settings import Settings, StartupError
from bot.storage.db import Database
from bot.storage.models import utcnow
from bot.storage.retention import Purged, purge


async def purge_url(url: str, months: int, *, now: datetime, dry_run: bool) -> Purged:
    db = Database(url)
    try:
        await db.upgrade()
        return await purge(db, months, now=now, dry_run=dry_run)
    finally:
        await db.dispose()


def run_purge(
    settings: Settings, *, dry_run: bool, clock: Callable[[], datetime] = utcnow, stdout: TextIO = sys.stdout
) -> int:
    """Purge (or count, with ``dry_run``) and print one line with the figures."""
    settings.check_database()
    try:
        done = asyncio.run(
            purge_url(settings.database_url, settings.retention_months, now=clock(), dry_run=dry_run)
        )
    except Exception as exc:
        raise StartupError(
            "DATABASE_URL", "points at a database that cannot be opened or migrated", exc
        ) from None
    head = f"retention {settings.retention_months} months, before {done.before.date().isoformat()}:"
    if done.dry_run:
        body = (
            f"would delete {done.transcript_lines} transcript lines and {done.users} inactive users' data,"
            f" and anonymise {done.cases} ended cases (dry run)"
        )
    else:
        body = (
            f"deleted {done.transcript_lines} transcript lines and {done.users} inactive users' data,"
            f" anonymised {done.cases} ended cases"
        )
    stdout.write(f"{head} {body}\n")
    return 0
