"""The journey in Telegram: ``extend(application, rt)`` plugs /jadwal, /pengingat, the ``j:`` buttons and
the reminder job into the bot.

* ``j:save:<date>:<e|m>`` (under a timeline answer) stores the date: the tap is the consent.
* ``j:on`` / ``j:no`` / ``j:stop`` turn reminders on or off, ``j:claimed`` notes the claim, ``j:forget``
  deletes the timeline (/hapus deletes it too, with the user row).
* The reminder job runs :func:`.scheduler.queue_reminders` every ``every`` seconds through the
  ProactiveSink in ``rt.proactive_sink`` (bound to the outbox by the assembly: bulk priority,
  one a user and local day across instances, never before ``not_before``).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.conversation import Person
from bot.dialogue import Button, Effect, Reply, State
from bot.knowledge import KnowledgeBase
from bot.services.jkp.journey import Words, timeline_reply
from bot.services.jkp.reminders import JourneyRecord
from bot.services.jkp.timeline import build_timeline
from bot.services.proactive import ZONES, ProactiveSink, local_day, zone
from bot.storage.models import utcnow
from bot.telegram.groups import FEATURES
from bot.telegram.handlers import PandoContext, Runtime, command_in, guarded, handled, send
from bot.telegram.repeating import Repeating

from .scheduler import queue_reminders
from .store import JourneyStore

log = logging.getLogger("pandu.journey")
EVERY_SECONDS = 900.0  # the reminder job runs every 15 minutes
COMMANDS = {"jadwal": "show", "timeline": "show", "pengingat": "remind", "reminders": "remind"}


class Journey:
    """What the journey handlers share: the runtime, the table, the clock, the reminder task."""

    def __init__(
        self, rt: Runtime, *, clock: Callable[[], datetime] = utcnow, every: float = EVERY_SECONDS
    ) -> None:
        self.rt = rt
        self.store = JourneyStore(rt.db)
        self.clock = clock
        self.every = every
        self.sink: ProactiveSink | None = None  # None: rt.proactive_sink (the outbox's)
        self.job = Repeating("journey reminders", self._pass, lambda: self.every, log=log)

    @property
    def kb(self) -> KnowledgeBase:
        return self.rt.holder.dialogue.kb

    def words(self, lang: str) -> Words:
        return Words.of(self.kb, lang)

    def today(self, record: JourneyRecord | None = None) -> date:
        return local_day(self.clock(), zone(record.zone if record else None))

    def current_sink(self) -> ProactiveSink:
        if self.sink is None:
            assert self.rt.proactive_sink is not None, "build_application binds the outbox's sink"
            self.sink = self.rt.proactive_sink
        return self.sink

    async def tick(self) -> int:
        """One pass of the reminder job; the number of reminders queued."""
        return len(await queue_reminders(self.store, self.kb, self.current_sink(), self.clock))

    async def lang(self, user_id: int, language_code: str = "") -> str:
        record = await self.rt.store.load_user(user_id)
        if record is not None:
            return State.from_json(record.state).reply_lang()
        return "en" if language_code.startswith("en") else "id"

    async def say(self, chat_id: int, replies: Sequence[Reply]) -> None:
        await send(self.rt, chat_id, replies)

    # -- what the user sees -------------------------------------------------------------------------

    async def show(self, user_id: int, lang: str) -> list[Reply]:
        """/jadwal: the saved timeline with its buttons, or how to save one."""
        words, record = self.words(lang), await self.store.get(user_id)
        if record is None:
            return [Reply(words("j.none"))]
        line = build_timeline(
            words.rules, record.phk, exact=record.exact, last_day=record.last_day, claimed=record.claimed
        )
        text = timeline_reply(self.kb, lang, line, self.today(record), buttons=False).text
        status = words("j.status_on" if record.reminders_on else "j.status_off")
        toggle = (
            Button(words("j.btn.stop"), "j:stop")
            if record.reminders_on
            else Button(words("j.btn.remind_on"), "j:on")
        )
        rows: list[tuple[Button, ...]] = [(toggle,)]
        if record.claimed is None:
            rows.insert(0, (Button(words("j.btn.claimed"), "j:claimed"),))
        rows.append(
            (Button(words("tl.btn.change"), "f:timeline:start"), Button(words("j.btn.forget"), "j:forget"))
        )
        return [Reply(f"{text}\n\n{status}", tuple(rows))]

    async def remind(self, user_id: int, lang: str) -> list[Reply]:
        """/pengingat: turn reminders on (opt-in) and say how to stop them."""
        words, record = self.words(lang), await self.store.get(user_id)
        if record is None:
            return [Reply(words("j.none"))]
        stop = ((Button(words("j.btn.stop"), "j:stop"),),)
        if record.reminders_on:
            return [Reply(words("j.status_on"), stop)]
        await self.store.set_reminders(user_id, True, self.clock())
        return [Reply(words("j.reminders_on"), stop)]

    async def button(self, user_id: int, value: str, lang: str) -> list[Reply]:
        words = self.words(lang)
        head, _, rest = value.partition(":")
        if head == "save":
            return await self._save(user_id, rest, lang)
        if head == "on":
            return await self.remind(user_id, lang)
        if head in ("no", "stop"):
            found = await self.store.set_reminders(user_id, False, self.clock())
            return [Reply(words("j.reminders_off" if found else "j.none"))]
        if head == "claimed":
            day = self.today(await self.store.get(user_id))
            found = await self.store.mark_claimed(user_id, day)
            return [Reply(words("j.claimed", date=words.date(day)) if found else words("j.none"))]
        if head == "forget":
            await self.store.forget(user_id)
            return [Reply(words("j.forgotten"))]
        return [Reply(self.kb.text("button_expired", lang))]

    async def _save(self, user_id: int, rest: str, lang: str) -> list[Reply]:
        day, exact, zone_name, last = (rest.split(":") + ["", "", ""])[:4]
        try:
            phk, last_day = date.fromisoformat(day), date.fromisoformat(last) if last else None
        except ValueError:
            return [Reply(self.kb.text("button_expired", lang))]
        line = build_timeline(self.words(lang).rules, phk, exact=exact != "m", last_day=last_day)
        if not await self.store.save(
            user_id,
            phk,
            exact=line.exact,
            lang=lang,
            deadline=line.claim_deadline,
            zone=zone_name if zone_name in ZONES else None,
            last_day=last_day,
            now=self.clock(),
        ):
            return [Reply(self.kb.text("button_expired", lang))]
        words = self.words(lang)
        return [
            Reply(
                words("j.saved"),
                ((Button(words("j.btn.remind_on"), "j:on"), Button(words("j.btn.remind_no"), "j:no")),),
            )
        ]

    # -- lifecycle ------------------------------------------------------------------------------------

    async def start(self) -> None:
        self.job.start()

    async def stop(self) -> None:
        await self.job.stop()

    async def _pass(self) -> None:
        queued = await self.tick()
        if queued:
            log.info("journey reminders queued: %d", queued)


def journey_of(rt: Runtime) -> Journey:
    return rt.features.get(Journey)


async def on_button(update: Update, context: PandoContext) -> None:
    """A ``j:`` button in a private chat."""
    query, chat, user = update.callback_query, update.effective_chat, update.effective_user
    if query is None or chat is None or user is None or chat.type != ChatType.PRIVATE:
        return  # not the journey's: the dialogue ignores it too
    j = journey_of(context.rt)
    with contextlib.suppress(TelegramError):
        await query.answer()
    await j.say(chat.id, await j.button(user.id, (query.data or "")[2:], await j.lang(user.id)))
    await handled(update, context)


async def on_command(update: Update, context: PandoContext) -> None:
    """/jadwal (/timeline) and /pengingat (/reminders) in a private chat."""
    found = command_in(update)
    if found is None:
        return
    message, user, command = found
    j = journey_of(context.rt)
    lang = await j.lang(user.id, user.language_code or "")
    show = COMMANDS[command[0]] == "show"
    await j.say(message.chat.id, await (j.show if show else j.remind)(user.id, lang))
    await handled(update, context)


async def on_remembered(effect: Effect, person: Person, chat_id: int, rt: Runtime) -> None:
    """The timeline flow asked for a date: a user who saved one also gets their own timeline."""
    j = journey_of(rt)
    lang = str(effect.args.get("lang", "id"))
    if await j.store.get(person.id) is None:
        return
    [reply] = await j.show(person.id, lang)
    await j.say(chat_id, [Reply(f"{j.words(lang)('j.remembered')}\n{reply.text}", reply.buttons)])


def _also_forget(previous: Callable[..., Awaitable[None]] | None) -> Callable[..., Awaitable[None]]:
    async def on_delete(effect: Effect, person: Person, chat_id: int, rt: Runtime) -> None:
        """/hapus: the timeline goes with the user row (foreign key); deleted here too, explicitly."""
        await journey_of(rt).store.forget(person.id)
        if previous is not None:
            await previous(effect, person, chat_id, rt)

    return on_delete


def extend(application: Application, rt: Runtime) -> None:  # type: ignore[type-arg]
    """Plug the journey into the bot (listed in ``bot.telegram.app.EXTENSIONS``)."""
    journey = rt.features.add(Journey(rt))
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    application.add_handlers(
        [
            CommandHandler(list(COMMANDS), guarded(on_command), filters=private),
            CallbackQueryHandler(guarded(on_button), pattern=r"^j:"),
        ],
        group=FEATURES,
    )
    rt.effects["journey_remembered"] = on_remembered
    rt.effects["delete_user"] = _also_forget(rt.effects.get("delete_user"))
    rt.on_start.append(journey.start)
    rt.on_stop.append(journey.stop)
