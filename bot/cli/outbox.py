"""``python -m bot outbox``: what the outbox holds, for operators (counts, ages, the oldest errors, masked)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.settings import Settings, StartupError
from bot.storage.db import Database
from bot.storage.outbox import OutboxStats, OutboxStore

__all__ = ["render", "run"]


def render(stats: OutboxStats, purged: int | None = None) -> str:
    """The report as plain text lines."""
    ages = list(stats.pending_by_age)
    lines = [
        "outbox: " + ", ".join(f"{state} {count}" for state, count in stats.counts.items()),
        f"lag (oldest due pending message): {stats.lag_seconds:.0f} s",
        f"{'by age':<10}" + "".join(f"{age:>8}" for age in ages),
        f"{'pending':<10}" + "".join(f"{stats.pending_by_age[age]:>8}" for age in ages),
        f"{'failed':<10}"
        + "".join(f"{stats.stopped_by_age[age]:>8}" for age in ages)
        + "   (failed or dead)",
    ]
    if stats.errors:
        lines.append("oldest errors:")
        lines += [
            f"  #{row_id} {created:%Y-%m-%d %H:%M} {state} after {attempts} attempt(s): {error}"
            for row_id, created, state, attempts, error in stats.errors
        ]
    if purged is not None:
        lines.append(f"purged {purged} row(s) older than the retention")
    return "\n".join(lines)


async def _report(settings: Settings, purge: bool) -> str:
    db = Database(settings.database_url)
    try:
        outbox = OutboxStore(db)
        purged = await outbox.purge(timedelta(days=settings.outbox.retention_days)) if purge else None
        return render(await outbox.stats(), purged)
    except Exception as exc:
        raise StartupError(
            "DATABASE_URL", "cannot be read (run python -m bot db upgrade first?)", exc
        ) from None
    finally:
        await db.dispose()


def run(settings: Settings, *, purge: bool = False) -> int:
    settings.check_database()
    print(asyncio.run(_report(settings, purge)))
    return 0
