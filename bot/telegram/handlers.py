"""Thin PTB callbacks: translate an Update into the dialogue's terms, and render what comes back.

The routing is PTB's own: each feature adds its handlers to a group of :mod:`.groups`; the early group
drops redeliveries (:func:`skip_processed`), a staff handler that answered stops the later groups
(:func:`handled`), and the job seeker's dialogue (:func:`on_update`) comes last.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn, TypeVar

from telegram import Bot, Message, Update, User
from telegram.constants import ChatAction, ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, CallbackContext, ContextTypes, ExtBot

from ..conversation import Conversation, KnowledgeHolder, Person
from ..dialogue import Effect, Incoming, Kind, Outcome, Reply, State, parse_command
from ..privacy import hash_user
from ..services.proactive import ProactiveSink
from ..settings import Settings
from ..storage.base import Store
from ..storage.db import Database
from ..storage.envelope import Envelope
from ..storage.outbox import OutboxStore
from .delivery import Delivery
from .render import envelopes

log = logging.getLogger("pandu.update")
RUNTIME = "runtime"  # the Runtime's key in bot_data

MEDIA_FIELDS = (
    "sticker",
    "photo",
    "voice",
    "audio",
    "video",
    "video_note",
    "animation",
    "document",
    "location",
    "contact",
    "venue",
    "poll",
    "dice",
)

EffectHandler = Callable[[Effect, Person, int, "Runtime"], Awaitable[None]]
Hook = Callable[[], Awaitable[None]]
"""A start or stop hook: run after the application started (``post_init``) or when it shuts down."""
T = TypeVar("T")


class Features:
    """The features' shared objects (the handoff, the journey, the alerts...), one per class."""

    def __init__(self) -> None:
        self._by_class: dict[type, object] = {}

    def add(self, feature: T) -> T:
        self._by_class[type(feature)] = feature
        return feature

    def get(self, kind: type[T]) -> T:
        """The feature of class ``kind`` (KeyError when it was not plugged in)."""
        found = self._by_class[kind]
        assert isinstance(found, kind)
        return found


@dataclass
class Runtime:
    """What the handlers need, built once by ``build_application`` and kept in ``bot_data``."""

    settings: Settings
    db: Database
    store: Store
    holder: KnowledgeHolder
    conversation: Conversation
    bot: Bot | None = None
    effects: dict[str, EffectHandler] = field(default_factory=dict)  # the dialogue's effects, by name
    features: Features = field(default_factory=Features)
    proactive_sink: ProactiveSink | None = None  # reminders and job alerts queue through this
    on_start: list[Hook] = field(default_factory=list)
    on_stop: list[Hook] = field(default_factory=list)
    outbox: OutboxStore | None = None
    delivery: Delivery | None = None  # this instance's worker, once the application started

    def text(self, key: str, lang: str, **values: object) -> str:
        return self.holder.dialogue.kb.text(key, lang, **values)

    def wake(self) -> None:
        """Something was queued: this instance's worker sends it now rather than at its next poll."""
        if self.delivery is not None:
            self.delivery.wake()


class PandoContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """The callbacks' context: PTB's, with the bot's :class:`Runtime` as ``rt``."""

    @property
    def rt(self) -> Runtime:
        return runtime_of(self.bot_data)


CONTEXT_TYPES = ContextTypes(context=PandoContext)
Callback = Callable[[Update, PandoContext], Coroutine[Any, Any, None]]


def runtime_of(bot_data: dict[Any, Any]) -> Runtime:
    """The Runtime ``build_application`` put in ``bot_data``."""
    found = bot_data[RUNTIME]
    assert isinstance(found, Runtime)
    return found


async def skip_processed(update: Update, context: PandoContext) -> None:
    """The early group: an update already processed (Telegram's redelivery) goes no further.

    Only a read: the processed-update record is written with the work (the dialogue's turn transaction,
    or :func:`handled` after a staff action), so a crash half-way lets the redelivery through."""
    try:
        seen = await context.rt.store.seen_update(update.update_id)
    except Exception as exc:  # the handlers' own writes still refuse a processed turn
        log.warning("update=%s could not be checked: %s", update.update_id, exc.__class__.__name__)
        return
    if seen:
        log.info("update=%s duplicate delivery ignored", update.update_id)
        raise ApplicationHandlerStop


async def handled(update: Update, context: PandoContext) -> NoReturn:
    """A staff handler answered: record the update as processed (after the work) and stop the groups."""
    await context.rt.store.claim_update(update.update_id)
    raise ApplicationHandlerStop


def guarded(callback: Callback) -> Callback:
    """``callback``, with a polite error message (in the user's language) instead of silence when it
    fails; a failed staff action ends the update there, as a staff action that answered does."""

    @functools.wraps(callback)
    async def run(update: Update, context: PandoContext) -> None:
        try:
            await callback(update, context)
        except ApplicationHandlerStop:
            raise
        except Exception:
            user = update.effective_user
            rt = context.rt
            log.exception(
                "update=%s user=%s failed",
                update.update_id,
                hash_user(user.id, rt.settings.log_salt) if user else "-",
            )
            await _apologise(rt, update)
            raise ApplicationHandlerStop from None

    return run


def command_in(update: Update) -> tuple[Message, User, tuple[str, str]] | None:
    """The message, its sender and its ``(command, args)``; None when the update carries no command."""
    message, user = update.message, update.effective_user
    command = parse_command(message.text or "") if message is not None else None
    if message is None or user is None or command is None:
        return None
    return message, user, command


def translate(update: Update) -> tuple[Person, Incoming, int] | None:
    """(who, what they did, chat to answer) for private-chat updates; None for anything else."""
    chat = update.effective_chat
    user = update.effective_user
    if chat is None or user is None or chat.type != ChatType.PRIVATE:
        return None
    person = Person(user.id, user.first_name or "", user.language_code or "")
    if update.callback_query is not None:
        data = update.callback_query.data or ""
        return (
            person,
            Incoming(
                Kind.BUTTON,
                data=data,
                first_name=person.first_name,
                label=_label(update.callback_query.message, data),
            ),
            chat.id,
        )
    if update.edited_message is not None:
        return person, Incoming(Kind.EDITED, first_name=person.first_name), chat.id
    message = update.message
    if message is None:
        return None
    return person, _from_message(message, person), chat.id


def _label(message: object, data: str) -> str:
    """The label of the pressed button, from the keyboard of the message it was on (when Telegram sent it)."""
    markup = getattr(message, "reply_markup", None)
    rows = markup.inline_keyboard if markup is not None else ()
    return next((b.text for row in rows for b in row if b.callback_data == data), "")


def _from_message(message: Message, person: Person) -> Incoming:
    text = message.text or ""
    command = parse_command(text)
    if command is not None:
        name, args = command
        return Incoming(
            Kind.COMMAND,
            text=name,
            command_args=args,
            first_name=person.first_name,
            language_code=person.language_code,
        )
    kind = ""
    if message.text is None:
        text = (
            message.caption or ""
        )  # a photo of a letter captioned "kenapa ditolak?": the caption is the question
        kind = next((f for f in MEDIA_FIELDS if getattr(message, f, None)), "media")
        if kind != "media" and not text.strip():
            return Incoming(
                Kind.MEDIA, text=kind, first_name=person.first_name, message_id=message.message_id
            )
    return Incoming(
        Kind.TEXT,
        text=text,
        first_name=person.first_name,
        language_code=person.language_code,
        message_id=message.message_id,
        media=kind,
    )


async def send(rt: Runtime, chat_id: int, replies: Sequence[Reply], *, user_id: int | None = None) -> int:
    """Queue replies as HTML messages (long ones split, keyboards under the last part) in the outbox,
    in a transaction of their own; the delivery worker sends them. Returns how many were queued."""
    return await queue(rt, envelopes(chat_id, replies, user_id=user_id))


async def queue(rt: Runtime, items: Sequence[Envelope]) -> int:
    """Queue Bot API calls (``copyMessage``…) in the outbox and wake the worker."""
    assert rt.outbox is not None, "build_application gives the runtime its outbox"
    added = await rt.outbox.enqueue(items)
    rt.wake()
    return added


def turn_calls(chat_id: int, callback_query_id: str | None) -> Callable[[Outcome], list[Envelope]]:
    """What a turn owes the user, queued with it: the button press's answer (stops the spinner), then
    the replies."""

    def render(outcome: Outcome) -> list[Envelope]:
        ack = (
            [
                Envelope(
                    chat_id, "answerCallbackQuery", {"callback_query_id": callback_query_id}, user_id=chat_id
                )
            ]
            if callback_query_id
            else []
        )
        return ack + envelopes(chat_id, outcome.replies)

    return render


async def on_update(update: Update, context: PandoContext) -> None:
    """The job seeker's dialogue (the last group: staff and features' handlers did not take it)."""
    rt = context.rt
    started = time.perf_counter()
    translated = translate(update)
    if translated is None:
        return
    person, incoming, chat_id = translated
    await _quietly(context.bot.send_chat_action(chat_id, ChatAction.TYPING))
    query_id = update.callback_query.id if update.callback_query is not None else None
    outcome = await rt.conversation.handle(
        person, incoming, update_id=update.update_id, deliver=turn_calls(chat_id, query_id)
    )
    if outcome is None:
        log.info("update=%s duplicate delivery ignored", update.update_id)
        return
    rt.wake()
    _log_line(rt, update, person, incoming, outcome, started)
    for effect in outcome.effects:
        handler = rt.effects.get(effect.name)
        if handler is not None:
            await handler(effect, person, chat_id, rt)
        elif effect.name in ("handoff", "handoff_button"):
            lang = str(effect.args.get("lang", "id"))
            await send(rt, chat_id, [Reply(rt.text("handoff_unavailable", lang))])


async def _apologise(rt: Runtime, update: Update) -> None:
    """Tell the user something went wrong; their stored conversation is untouched by a failed turn."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or chat.type != ChatType.PRIVATE:
        return
    lang = await _language_of(rt, user.id, user.language_code or "")
    try:
        await send(rt, chat.id, [Reply(rt.text("error", lang))])
    except Exception as exc:  # the failure may be the database itself: nothing more to do than log it
        log.warning("could not send the error message: %s", exc.__class__.__name__)


async def _language_of(rt: Runtime, user_id: int, language_code: str) -> str:
    """The user's reply language from their stored state; their Telegram language when unavailable."""
    try:
        record = await rt.store.load_user(user_id)
    except Exception:
        record = None
    if record is not None:
        return State.from_json(record.state).reply_lang()
    return "en" if language_code.startswith("en") else "id"


async def _quietly(awaitable: Awaitable[Any]) -> None:
    """Cosmetic calls (typing, callback acks) must never stop an answer."""
    try:
        await awaitable
    except TelegramError as exc:
        log.warning("cosmetic call failed: %s", exc.__class__.__name__)


def _log_line(
    rt: Runtime, update: Update, person: Person, incoming: Incoming, outcome: Outcome, started: float
) -> None:
    turn = outcome.turn
    log.info(
        "update=%s user=%s kind=%s intent=%s band=%s score=%.0f lang=%s latency_ms=%.1f",
        update.update_id,
        hash_user(person.id, rt.settings.log_salt),
        incoming.kind.value,
        turn.intent,
        turn.band,
        turn.score,
        turn.lang,
        (time.perf_counter() - started) * 1000,
    )


async def on_error(update: object, context: PandoContext) -> None:
    """Log errors PTB caught outside our handler (network trouble while polling, ...)."""
    log.error(
        "telegram error: %s",
        context.error.__class__.__name__ if context.error else "unknown",
        exc_info=context.error,
    )
