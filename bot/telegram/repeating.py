"""One small scheduler for the bot's background jobs (handoff timers, journey reminders, job alerts,
retention): run a coroutine every few seconds, log and carry on when it fails, stop on shutdown.

Chosen over PTB's JobQueue (the ``job-queue`` extra, APScheduler): the jobs are four async loops with
per-job delays that tests change at run time, and each instance runs its own; a dependency with its own
thread pool and time zone handling buys nothing here. The delays are read before each wait, so a test
(or a knowledge reload that changes ``tick_seconds``) takes effect at the next pass.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

__all__ = ["Repeating"]


class Repeating:
    """``job`` every ``every()`` seconds, the first run after ``first()`` seconds (default: ``every()``)."""

    def __init__(
        self,
        name: str,
        job: Callable[[], Awaitable[object]],
        every: Callable[[], float],
        *,
        first: Callable[[], float] | None = None,
        log: logging.Logger | None = None,
    ) -> None:
        self.name = name
        self.job = job
        self.every = every
        self.first = first or every
        self.log = log or logging.getLogger("pandu")
        self.task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self.task is None:
            self.task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
            self.task = None

    async def _run(self) -> None:
        await asyncio.sleep(self.first())
        while True:
            try:
                await self.job()
            except Exception:
                self.log.exception("%s failed; trying again at the next run", self.name)
            await asyncio.sleep(self.every())
