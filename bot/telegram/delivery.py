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
import collections
import contextlib
import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import aiohttp

from ..storage.envelope import REPLY
from ..storage.outbox import Claimed, Mark, OutboxStore, new_token

log = logging.getLogger("pandu.outbox")
Clock = Callable[[], datetime]
UNREACHABLE = (
    "chat not found",
    "bot was blocked",
    "user is deactivated",
    "bot was kicked",
    "bot can't initiate conversation",
    "not enough rights to send",
)
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


def decide(
    answer: Answer,
    row: Claimed,
    now: datetime,
    config: DeliveryConfig,
    rng: Callable[[], float] = random.random,
) -> Decision:
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
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._connections = connections
        self._session: aiohttp.ClientSession | None = None

    async def call(self, method: str, params: dict[str, Any]) -> Answer:
        if self._session is None:
            self._session = aiohttp.ClientSession(
                timeout=self._timeout, connector=aiohttp.TCPConnector(limit=self._connections)
            )
        try:
            async with self._session.post(f"{self._base}/{method}", json=params) as response:
                status = response.status
                try:
                    body = await response.json(content_type=None)
                except ValueError:
                    body = {}
        except (
            aiohttp.ClientError,
            TimeoutError,
        ) as exc:  # refused, reset, timeout: it may or may not have landed
            return Answer(0, description=exc.__class__.__name__)
        if not isinstance(body, dict):
            body = {}
        retry_after = (body.get("parameters") or {}).get("retry_after")
        return Answer(
            status,
            body.get("result"),
            str(body.get("description") or ""),
            float(retry_after) if isinstance(retry_after, int | float) else None,
        )

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


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
    """One instance's worker: ``start()``, ``wake()`` after queueing something, ``stop()``.

    Rows this process queues are born claimed by its worker (``OutboxStore.owner``), so a reply costs no
    claiming write; when their chat had nothing else pending, the committing code hands them over in
    memory (``OutboxStore.hand`` → :meth:`take`) and they cost no read either. The others the worker
    reads (``fresh``) when woken. Rows of other instances, retries and
    rows whose owner died come through ``claim``. Results are written by one recorder task, many rows a
    transaction (a group commit), so the database is not one commit per message.
    """

    def __init__(
        self,
        outbox: OutboxStore,
        api: BotApi,
        config: DeliveryConfig | None = None,
        *,
        clock: Clock | None = None,
        rng: Callable[[], float] = random.random,
    ) -> None:
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
        self._held: set[int] = set()  # rows in hand: handed, being sent, or their result not yet written
        self._handed: dict[int, collections.deque[Claimed]] = {}  # chat -> rows handed over, in order
        self._results: asyncio.Queue[Mark] = asyncio.Queue()
        self._last_bulk: dict[int, float] = {}
        self._task: asyncio.Task[None] | None = None
        self._recorder: asyncio.Task[None] | None = None
        self._purged_at = 0.0
        self._claim_at = 0.0  # monotonic time of the next claim (0: at once)

    def wake(self) -> None:
        """Something was queued: look now instead of at the next poll."""
        self._wakeup.set()

    def take(self, rows: Sequence[Claimed]) -> None:
        """Committed rows this worker owns, each queued when its chat had nothing else pending."""
        for row in rows:
            if row.id not in self._held:  # not already read back by ``fresh``
                self._held.add(row.id)
                self._handed.setdefault(row.chat_id, collections.deque()).append(row)
        self._send_from_hand()

    def _send_from_hand(self) -> None:
        """Start the handed rows that may go now, without waiting for the loop (which may be reading)."""
        if not self._stopping and self._handed:
            free = self.config.concurrency - len(self._inflight)
            self._dispatch(self._from_hand(free, {r.chat_id for r in self._inflight.values()}))

    def _dispatch(self, rows: Sequence[Claimed]) -> None:
        for row in rows:
            self._held.add(row.id)
            task = asyncio.create_task(self._deliver(row))
            self._inflight[task] = row
            task.add_done_callback(self._done)

    def start(self) -> None:
        self.outbox.owner = (self.token, self.config.lease)
        self.outbox.on_commit = self.take
        self._task = asyncio.create_task(self.run(), name="outbox-delivery")
        self._recorder = asyncio.create_task(self._record_results(), name="outbox-recorder")

    async def run(self) -> None:
        """Pick up and send until stopped."""
        while not self._stopping:
            self._wakeup.clear()
            try:
                await self._maybe_purge()
                rows = await self._pick_up()
            except Exception:
                log.exception("reading the outbox failed; trying again")
                rows = []
            self._dispatch(rows)
            if not rows:
                with contextlib.suppress(TimeoutError):
                    wait = min(
                        self.config.poll, max(0.0, self._claim_at - time.monotonic()) or self.config.poll
                    )
                    await asyncio.wait_for(self._wakeup.wait(), wait)

    async def _pick_up(self) -> list[Claimed]:
        """This process's own fresh rows (a read); a claim (a write) only when one may find something: at
        the poll interval, while claims keep finding rows, and after a claimed row was finished."""
        free = self.config.concurrency - len(self._inflight)
        busy = {r.chat_id for r in self._inflight.values()}
        rows = self._from_hand(free, busy)
        if rows:
            return rows  # sent at once; what else is due is read on the next round
        rows = [
            row
            for row in await self.outbox.fresh(self.token, limit=free, skip=self._held)
            if row.chat_id not in busy and row.id not in self._held  # handed over meanwhile
        ]
        for row in rows:
            self._held.add(row.id)
        free -= len(rows)
        if free > 0 and time.monotonic() >= self._claim_at:
            claimed = await self.outbox.claim(
                self.token, limit=free, lease=self.config.lease, skip=self._held
            )
            self._claim_at = 0.0 if claimed else time.monotonic() + self.config.poll
            rows += claimed
        return rows

    def _from_hand(self, free: int, busy: set[int]) -> list[Claimed]:
        """Handed rows to send now: one per chat whose previous row is finished and recorded."""
        rows: list[Claimed] = []
        for chat, queue in self._handed.items():
            if len(rows) >= free:
                break
            if chat not in busy:
                rows.append(queue.popleft())
        for row in rows:
            if not self._handed[row.chat_id]:
                del self._handed[row.chat_id]
        return rows

    def _drop_hand(self, chat_id: int) -> None:
        """A chat's row did not go out: its later handed rows must wait behind it, so they go back to the
        database's order (``fresh`` reads them once they are the chat's head)."""
        for row in self._handed.pop(chat_id, ()):
            self._held.discard(row.id)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._inflight.pop(task, None)
        self._send_from_hand()  # the chat's next handed row, or another chat's
        self._wakeup.set()  # a slot is free

    async def _deliver(self, row: Claimed) -> None:
        try:
            await self._bulk_gap(row)
            await self.pace.acquire(row.priority)
            answer = await self.api.call(row.method, row.params)
            if row.priority != REPLY:  # the gap counts from the answer: Telegram saw the call before it
                self._last_bulk[row.chat_id] = time.monotonic()
            decision = decide(answer, row, self.clock(), self.config, self.rng)
        except asyncio.CancelledError:
            self._held.discard(row.id)
            raise
        except Exception:
            log.exception("delivering outbox row %s failed; it comes back when its lease ends", row.id)
            self._held.discard(row.id)
            self._drop_hand(row.chat_id)
            return
        if decision.kind != "sent":
            self._drop_hand(row.chat_id)
        self._log(row, decision)
        if decision.kind == "sent":
            self.sent += 1
        self._results.put_nowait(
            Mark(
                row.id,
                row.chat_id,
                decision.kind,
                decision.error,
                decision.at,
                decision.message_id,
                row.fresh,
            )
        )

    @staticmethod
    def _log(row: Claimed, decision: Decision) -> None:
        if decision.kind == "retry":
            assert decision.at is not None
            log.info("outbox row %s: %s; trying again at %s", row.id, decision.error, decision.at.isoformat())
        elif decision.kind == "unreachable":
            log.warning("outbox: chat unreachable (%s); its queue stops", decision.error)
        elif decision.kind == "dead":
            log.warning("outbox row %s dead: %s", row.id, decision.error)

    async def _record_results(self) -> None:
        """Write results as they come, everything waiting in one transaction."""
        while True:
            marks = [await self._results.get()]
            while not self._results.empty():
                marks.append(self._results.get_nowait())
            await self._write(marks)
            for mark in marks:
                self._held.discard(mark.row_id)
                self._results.task_done()
            if any(not mark.fresh for mark in marks):
                self._claim_at = 0.0  # a claimed chat's next row may be due
            self._wakeup.set()  # the chats' next rows are due now

    async def _write(self, marks: list[Mark]) -> None:
        for attempt in range(5):
            try:
                written = await self.outbox.record(self.token, marks)
            except Exception:
                log.exception("writing %d outbox result(s) failed (attempt %d)", len(marks), attempt + 1)
                await asyncio.sleep(0.2 * (attempt + 1))
                continue
            lost = [m.row_id for m, ok in zip(marks, written, strict=True) if not ok]
            if lost:
                log.warning(
                    "outbox rows %s were finished after their lease ended (another worker may send them)",
                    lost,
                )
            return
        log.error(
            "gave up writing %d outbox result(s); those rows come back when their lease ends", len(marks)
        )

    async def _bulk_gap(self, row: Claimed) -> None:
        if row.priority == REPLY:
            return
        wait = self._last_bulk.get(row.chat_id, -1e9) + self.config.bulk_gap - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        if len(self._last_bulk) > 10_000:
            self._last_bulk = {
                c: t for c, t in self._last_bulk.items() if t > time.monotonic() - self.config.bulk_gap
            }

    async def _maybe_purge(self) -> None:
        if time.monotonic() - self._purged_at < self.config.purge_every:
            return
        self._purged_at = time.monotonic()
        removed = await self.outbox.purge(self.config.retention)
        if removed:
            log.info("purged %d old outbox rows", removed)

    async def stop(self) -> None:
        """Stop taking rows; give calls in flight ``stop_grace`` to finish, write their results, hand
        every row still held back to the queue, close."""
        self._stopping = True
        self.outbox.owner = None
        self.outbox.on_commit = None
        self._wakeup.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._inflight:
            await asyncio.wait(list(self._inflight), timeout=self.config.stop_grace)
        for task in list(self._inflight):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._recorder is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._results.join(), self.config.stop_grace)
            self._recorder.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._recorder
        with contextlib.suppress(Exception):
            released = await self.outbox.release(self.token)
            if released:
                log.info("released %d outbox row(s) for the next instance", released)
        await self.api.close()
