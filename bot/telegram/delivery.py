"""The delivery worker: sends what the outbox holds, in order per chat, paced, retried, exactly-once-ish.

Every running instance (polling or webhook) runs one :class:`Delivery`. It claims due chat heads (see
:mod:`bot.storage.outbox`), calls the Bot API for each over its own HTTP client, and records the
answer. What an answer means is decided by :func:`decide`, a pure function: sent; retry later
(network trouble, 5xx, 429 after its ``retry_after``) with exponential backoff and jitter until the
retry horizon; the chat is unreachable (403, "chat not found": its queue stops, no retry storm); or
this one call is refused (400: recorded as dead, the chat's next message goes on).

Pacing is per process: at most ``rate`` calls a second (replies before bulk), and bulk messages to one
chat at least ``bulk_gap`` apart. With several instances, give each ``OUTBOX_RATE`` = 30 / instances.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx

from ..storage.envelope import REPLY
from ..storage.outbox import Claimed, OutboxStore, new_token

log = logging.getLogger("pandu.outbox")
Clock = Callable[[], datetime]
UNREACHABLE = ("chat not found", "bot was blocked", "user is deactivated", "bot was kicked",
               "bot can't initiate conversation", "not enough rights to send")
ALREADY_DONE = ("message is not modified",)  # an edit Telegram already applied: nothing left to do


@dataclass(frozen=True)
class DeliveryConfig:
    rate: float = 30.0  # calls per second from this process; 0: no pacing
    horizon: timedelta = timedelta(hours=24)  # retry network errors and 5xx this long after queueing
    lease: timedelta = timedelta(seconds=30)  # a claim lasts this long (longer than ``timeout``)
    timeout: float = 10.0  # one HTTP call to the Bot API
    backoff: float = 1.0  # first retry after about this many seconds, doubling
    backoff_cap: float = 600.0
    bulk_gap: float = 1.0  # seconds between two bulk messages to one chat
    concurrency: int = 16  # calls in flight (each to a different chat)
    poll: float = 1.0  # look for due rows at least this often when nobody wakes the worker
    stop_grace: float = 2.0  # on shutdown, calls in flight get this long before they are released
    retention: timedelta = timedelta(days=7)  # sent rows are purged after this
    purge_every: float = 3600.0


# -- what the Bot API said, and what it means ---------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """One Bot API response: HTTP ``status`` (0: none arrived: connection error or timeout)."""

    status: int
    result: Any = None
    description: str = ""
    retry_after: float | None = None


@dataclass(frozen=True)
class Decision:
    kind: str  # "sent", "retry", "dead", "unreachable"
    error: str = ""
    at: datetime | None = None  # retry: when
    message_id: int | None = None


def backoff(attempts: int, config: DeliveryConfig, rng: Callable[[], float]) -> float:
    """Seconds before the next try after ``attempts`` failed ones: doubling, capped, jittered ±50 %."""
    return float(min(config.backoff_cap, config.backoff * 2 ** max(0, attempts - 1)) * (0.5 + rng()))


def decide(answer: Answer, row: Claimed, now: datetime, config: DeliveryConfig,
           rng: Callable[[], float] = random.random) -> Decision:
    """The outbox's policy for one answer (pure)."""
    text = answer.description or ("no answer" if answer.status == 0 else f"HTTP {answer.status}")
    lowered = text.lower()
    if 200 <= answer.status < 300 or (answer.status == 400 and any(s in lowered for s in ALREADY_DONE)):
        result = answer.result
        message_id = result.get("message_id") if isinstance(result, dict) else None
        return Decision("sent", message_id=message_id if isinstance(message_id, int) else None)
    if answer.status == 403 or (answer.status == 400 and any(s in lowered for s in UNREACHABLE)):
        return Decision("unreachable", f"{answer.status} {text}")
    if answer.status == 400:
        return Decision("dead", f"400 {text}")
    error = f"{answer.status} {text}" if answer.status else text
    if now - row.created_at >= config.horizon:
        return Decision("dead", f"gave up after {config.horizon}: {error}")
    if answer.status == 429:
        return Decision("retry", error, at=now + timedelta(seconds=answer.retry_after or 1.0))
    return Decision("retry", error, at=now + timedelta(seconds=backoff(row.attempts, config, rng)))


# -- the transport ----------------------------------------------------------------------------------


class BotApi:
    """``POST {root}/bot{token}/{method}`` with a JSON body; never raises for what the server says."""

    def __init__(self, root: str, token: str, *, timeout: float = 10.0, connections: int = 32) -> None:
        self._base = f"{root}/bot{token}"
        self._client = httpx.AsyncClient(timeout=timeout, limits=httpx.Limits(max_connections=connections))

    async def call(self, method: str, params: dict[str, Any]) -> Answer:
        try:
            response = await self._client.post(f"{self._base}/{method}", json=params)
        except httpx.HTTPError as exc:  # connection refused, reset, timeout: the call may or may not have landed
            return Answer(0, description=exc.__class__.__name__)
        try:
            body = response.json()
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            body = {}
        retry_after = (body.get("parameters") or {}).get("retry_after")
        return Answer(response.status_code, body.get("result"), str(body.get("description") or ""),
                      float(retry_after) if isinstance(retry_after, int | float) else None)

    async def close(self) -> None:
        await self._client.aclose()


# -- pacing -----------------------------------------------------------------------------------------


class Pace:
    """At most ``rate`` calls a second: each call reserves the next free slot. Replies reserve at once;
    bulk calls only take a slot when no backlog is building, so they never queue in front of replies."""

    def __init__(self, rate: float, *, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self._monotonic = monotonic
        self._next = 0.0

    async def acquire(self, priority: int) -> None:
        if not self.interval:
            return
        while priority != REPLY and self._next > self._monotonic() + self.interval:
            await asyncio.sleep(self.interval)
        now = self._monotonic()
        slot = max(now, self._next)
        self._next = slot + self.interval
        if slot > now:
            await asyncio.sleep(slot - now)


# -- the worker -------------------------------------------------------------------------------------


class Delivery:
    """One instance's worker: ``run()`` until ``stop()``; ``wake()`` after queueing something."""

    def __init__(self, outbox: OutboxStore, api: BotApi, config: DeliveryConfig | None = None, *,
                 clock: Clock | None = None, rng: Callable[[], float] = random.random) -> None:
        self.outbox = outbox
        self.api = api
        self.config = config or DeliveryConfig()
        self.clock = clock or outbox.clock
        self.rng = rng
        self.token = new_token()
        self.pace = Pace(self.config.rate)
        self.sent = 0  # calls Telegram accepted (for benchmarks and health)
        self._wakeup = asyncio.Event()
        self._stopping = False
        self._inflight: dict[asyncio.Task[None], Claimed] = {}
        self._last_bulk: dict[int, float] = {}
        self._task: asyncio.Task[None] | None = None
        self._purged_at = 0.0

    def wake(self) -> None:
        """Something was queued: look now instead of at the next poll."""
        self._wakeup.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name="outbox-delivery")

    async def run(self) -> None:
        """Claim and send until stopped."""
        while not self._stopping:
            self._wakeup.clear()
            try:
                await self._maybe_purge()
                claimed = await self.outbox.claim(self.token, limit=self.config.concurrency - len(self._inflight),
                                                  lease=self.config.lease)
            except Exception:
                log.exception("claiming from the outbox failed; trying again")
                claimed = []
            for row in claimed:
                task = asyncio.create_task(self._deliver(row))
                self._inflight[task] = row
                task.add_done_callback(self._done)
            if not claimed:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wakeup.wait(), self.config.poll)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._inflight.pop(task, None)
        self._wakeup.set()  # the chat's next row may be due now; a slot is free

    async def _deliver(self, row: Claimed) -> None:
        try:
            await self._bulk_gap(row)
            await self.pace.acquire(row.priority)
            answer = await self.api.call(row.method, row.params)
            if row.priority != REPLY:  # the gap counts from the answer: Telegram saw the call before it
                self._last_bulk[row.chat_id] = time.monotonic()
            await self._record(row, decide(answer, row, self.clock(), self.config, self.rng))
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("delivering outbox row %s failed; it comes back when its lease ends", row.id)

    async def _bulk_gap(self, row: Claimed) -> None:
        if row.priority == REPLY:
            return
        wait = self._last_bulk.get(row.chat_id, -1e9) + self.config.bulk_gap - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        if len(self._last_bulk) > 10_000:
            self._last_bulk = {c: t for c, t in self._last_bulk.items() if t > time.monotonic() - self.config.bulk_gap}

    async def _record(self, row: Claimed, decision: Decision) -> None:
        if decision.kind == "sent":
            self.sent += 1
            if not await self.outbox.sent(row.id, self.token, decision.message_id):
                log.warning("outbox row %s was sent after its lease ended (another worker may send it too)", row.id)
        elif decision.kind == "retry":
            assert decision.at is not None
            log.info("outbox row %s: %s; trying again at %s", row.id, decision.error, decision.at.isoformat())
            await self.outbox.retry(row.id, self.token, decision.at, decision.error)
        elif decision.kind == "unreachable":
            stopped = await self.outbox.unreachable(row.id, self.token, row.chat_id, decision.error)
            log.warning("outbox: chat unreachable (%s); %d message(s) stopped", decision.error, stopped)
        else:
            log.warning("outbox row %s dead: %s", row.id, decision.error)
            await self.outbox.dead(row.id, self.token, decision.error)

    async def _maybe_purge(self) -> None:
        if time.monotonic() - self._purged_at < self.config.purge_every:
            return
        self._purged_at = time.monotonic()
        removed = await self.outbox.purge(self.config.retention)
        if removed:
            log.info("purged %d old outbox rows", removed)

    async def stop(self) -> None:
        """Stop claiming; give calls in flight ``stop_grace`` to finish, release the rest, close."""
        self._stopping = True
        self._wakeup.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._inflight:
            await asyncio.wait(list(self._inflight), timeout=self.config.stop_grace)
        unfinished = dict(self._inflight)
        for task in unfinished:
            task.cancel()
        for task, row in unfinished.items():
            with contextlib.suppress(asyncio.CancelledError):
                await task
            with contextlib.suppress(Exception):
                await self.outbox.release(row.id, self.token)
        await self.api.close()
