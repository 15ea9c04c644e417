"""Job alerts in Telegram: ``extend(application, rt)`` plugs them into the bot.

* The ``job_profile`` effect (the profile flow saved, changed or deleted a profile, or turned alerts on
  or off) writes the user's row in ``job_profiles``.
* A watcher notices when the vacancy list changes (an ``import-vacancies`` picked up by the hot
  reload), matches the new vacancies to the subscribers and queues the digests through the proactive
  sink in ``rt.proactive_sink`` (bound by the outbox; without one nothing is sent and the
  matches stay pending). It also retries pending digests every hour (a day already used by another
  proactive message, a night). When the list changes it also builds the search index for it, so the
  first search after a large import is as fast as the others.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from bot.conversation import Person
from bot.dialogue import Effect
from bot.services.jobs.alerts import zone_for
from bot.services.jobs.matching import index_of
from bot.services.jobs.profile import Profile
from bot.services.jobs.vacancies import Vacancy
from bot.services.proactive import ProactiveSink, local_day, zone
from bot.storage.base import Clock
from bot.storage.models import utcnow
from bot.telegram.handlers import Runtime
from bot.telegram.repeating import Repeating

from .digests import send_digests
from .store import AlertStore

log = logging.getLogger("pandu.alerts")
TICK_SECONDS = 30.0
FLUSH_SECONDS = 3600.0


class Alerts:
    """The alerts' store, the vacancy list last seen, and the watcher task."""

    def __init__(self, rt: Runtime, *, clock: Clock = utcnow) -> None:
        self.rt = rt
        self.clock = clock
        self.store = AlertStore(rt.db, clock=clock)
        self.seen: Sequence[Vacancy] = ()  # the first tick reads the database to know what is new
        self.flushed = clock()
        self.job = Repeating("job-alert digests", self.tick, lambda: TICK_SECONDS, log=log)

    def vacancies(self) -> Sequence[Vacancy]:
        found: Sequence[Vacancy] = self.rt.holder.dialogue.kb.extras["vacancies"]
        return found

    @property
    def sink(self) -> ProactiveSink | None:
        return self.rt.proactive_sink

    async def tick(self) -> int:
        """Digests for the vacancies that appeared since the last tick (and, hourly, pending ones).

        Which vacancies are new is kept in the database (``alert_seen_vacancies``), not in memory: an
        import picked up while the bot was down is still news at the next start, and of two instances
        only the one that records a vacancy first matches it (see :meth:`baseline` for the first start)."""
        current = self.vacancies()
        now = self.clock()
        changed = current is not self.seen
        if changed:
            kb = self.rt.holder.dialogue.kb  # build the search index now, not on someone's first search
            await asyncio.to_thread(index_of, current, kb.extras["jobs"], local_day(now, zone(None)))
        hourly = (now - self.flushed).total_seconds() >= FLUSH_SECONDS
        if not changed and not hourly:
            return 0
        sink = self.sink
        if sink is None:
            log.warning("no proactive sink bound: vacancies not matched to subscribers yet")
            return 0  # ``seen`` stays: the same vacancies are fresh again once a sink is bound
        fresh: list[Vacancy] = []
        if changed:
            known = {v.id for v in self.seen}
            candidates = [v for v in current if v.id not in known]
            claimed = await self.store.claim_new([v.id for v in candidates])
            fresh = [v for v in candidates if v.id in claimed]
        queued = await send_digests(self.store, self.rt.holder.dialogue.kb, fresh, sink, now)
        self.seen, self.flushed = current, now
        if queued:
            log.info("queued %d job-alert digests (%d new vacancies)", queued, len(fresh))
        return queued

    async def baseline(self) -> None:
        """On a database that has never recorded a vacancy, the list the bot starts with is not news."""
        if not await self.store.any_seen():
            await self.store.claim_new([v.id for v in self.vacancies()])

    async def start(self) -> None:
        try:
            await self.baseline()
        except Exception:
            log.exception("job alerts: could not record the starting vacancy list (it may be matched as new)")
        self.job.start()

    async def stop(self) -> None:
        await self.job.stop()


async def on_profile(effect: Effect, person: Person, chat_id: int, rt: Runtime) -> None:
    """The profile flow saved (or deleted) a profile: keep the user's row in step."""
    alerts = alerts_of(rt)
    profile = effect.args.get("profile")
    if profile is None:
        await alerts.store.forget(person.id)
        return
    saved = Profile.from_json(profile)
    regions = rt.holder.dialogue.kb.extras["regions"]
    await alerts.store.save(
        person.id, chat_id, str(effect.args.get("lang", "id")), saved, zone_for(saved, regions)
    )


def extend(application: object, rt: Runtime) -> None:
    """Plug job alerts into the bot (listed in ``bot.telegram.app.EXTENSIONS``)."""
    alerts = rt.features.add(Alerts(rt))
    rt.effects["job_profile"] = on_profile
    rt.on_start.append(alerts.start)
    rt.on_stop.append(alerts.stop)


def alerts_of(rt: Runtime) -> Alerts:
    return rt.features.get(Alerts)
