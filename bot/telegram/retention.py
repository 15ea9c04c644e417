"""The retention job in the running bot: ten minutes after start, then daily, purge what is older than
``RETENTION_MONTHS`` (see :mod:`bot.storage.retention`). The clock and the interval are attributes, so
tests move time instead of waiting."""

from __future__ import annotations

import logging

from ..storage.models import utcnow
from ..storage.retention import Purged, purge
from .handlers import Runtime
from .repeating import Repeating

log = logging.getLogger("pandu.retention")
DAY_SECONDS = 24 * 3600.0
FIRST_DELAY_SECONDS = 600.0  # not in the first minutes after a start (restarts, deploys)


class RetentionJob:
    """Runs :func:`purge` every ``every`` seconds with the time ``clock`` says."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self.clock = utcnow
        self.every = DAY_SECONDS
        self.first_delay = FIRST_DELAY_SECONDS
        self.job = Repeating(
            "retention purge", self.run_once, lambda: self.every, first=lambda: self.first_delay, log=log
        )

    async def run_once(self) -> Purged:
        done = await purge(self.rt.db, self.rt.settings.retention_months, now=self.clock())
        if done.transcript_lines or done.cases or done.users:
            log.info(
                "retention: removed %d transcript lines and %d inactive users, anonymised %d cases older than %s",
                done.transcript_lines,
                done.users,
                done.cases,
                done.before.date().isoformat(),
            )
        return done

    async def start(self) -> None:
        self.job.start()

    async def stop(self) -> None:
        await self.job.stop()


def extend(application: object, rt: Runtime) -> None:
    """Plug the retention job into the bot (listed in ``bot.telegram.app.EXTENSIONS``)."""
    job = rt.features.add(RetentionJob(rt))
    rt.on_start.append(job.start)
    rt.on_stop.append(job.stop)
