"""Watch the knowledge folder and reload when a YAML or CSV data file changes (each instance watches its own)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

from watchfiles import Change, awatch

from .files import BACKUPS, SUFFIXES
from .reload import Result
from .service import Knowledge

log = logging.getLogger("pandu.admin")

Notify = Callable[[Result], Awaitable[None]]
WATCHED = (*SUFFIXES, ".csv")  # the knowledge YAML and data/vacancies.csv (uploads take YAML only)


def relevant(change: Change, path: str) -> bool:
    """A knowledge file (YAML or CSV data), not a backup and not a hidden temporary file."""
    parts = Path(path).parts
    return path.endswith(WATCHED) and BACKUPS not in parts and not Path(path).name.startswith(".")


async def watch(knowledge: Knowledge, notify: Notify, stop: asyncio.Event, *, debounce_ms: int = 300) -> None:
    """Reload after each batch of relevant changes, until ``stop`` is set; ``notify`` gets the result."""
    async for changes in awatch(
        knowledge.root,
        watch_filter=relevant,
        stop_event=stop,
        debounce=debounce_ms,
        recursive=True,
        ignore_permission_denied=True,
    ):
        try:
            result = await knowledge.reload_if_changed(
                Path(path) for _, path in changes
            )  # None: an upload already applied it
            if result is not None:
                await notify(result)
        except Exception:  # the watcher must outlive any one bad reload
            log.exception("knowledge reload after a file change failed")
