"""Thin PTB callbacks: translate an Update into the dialogue's terms, and render what comes back."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from telegram import Bot, Message, Update
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import BadRequest, NetworkError, TelegramError
from telegram.ext import ContextTypes

from ..conversation import Conversation, KnowledgeHolder, Person
from ..dialogue import Effect, Incoming, Kind, Outcome, Reply, State
from ..privacy import hash_user
from ..settings import Settings
from ..storage.base import Store
from ..storage.db import Database
from .render import messages

log = logging.getLogger("pandu.update")
SEND_ATTEMPTS, SEND_BACKOFF_S = 3, 0.5  # a reply is tried this often, waiting 0.5 s, then 1 s

MEDIA_FIELDS = ("sticker", "photo", "voice", "audio", "video", "video_note", "animation", "document",
                "location", "contact", "venue", "poll", "dice")

Interceptor = Callable[[Update, "Runtime"], Awaitable[bool]]
EffectHandler = Callable[[Effect, Person, int, "Runtime"], Awaitable[None]]


@dataclass
class Runtime:
    """What the handlers need, built once by ``build_application`` and kept in ``bot_data``."""

    settings: Settings
    db: Database
    store: Store
    holder: KnowledgeHolder
    conversation: Conversation
    bot: Bot | None = None
    interceptors: list[Interceptor] = field(default_factory=list)
    effects: dict[str, EffectHandler] = field(default_factory=dict)
    extras: dict[str, Any] = field(default_factory=dict)

    def text(self, key: str, lang: str, **values: object) -> str:
        return self.holder.dialogue.kb.text(key, lang, **values)


def runtime(context: ContextTypes.DEFAULT_TYPE) -> Runtime:
    rt: Runtime = context.application.bot_data["runtime"]
    return rt


def translate(update: Update) -> tuple[Person, Incoming, int] | None:
    """(who, what they did, chat to answer) for private-chat updates; None for anything else."""
    chat = update.effective_chat
    user = update.effective_user
    if chat is None or user is None or chat.type != ChatType.PRIVATE:
        return None
    person = Person(user.id, user.first_name or "", user.language_code or "")
    if update.callback_query is not None:
        data = update.callback_query.data or ""
        return person, Incoming(Kind.BUTTON, data=data, first_name=person.first_name,
                                label=_label(update.callback_query.message, data)), chat.id
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
    if text.startswith("/") and len(text) > 1:
        name, _, args = text[1:].partition(" ")
        return Incoming(Kind.COMMAND, text=name.split("@")[0].lower(), command_args=args.strip(),
                        first_name=person.first_name, language_code=person.language_code)
    if message.text is None:
        text = message.caption or ""  # a photo of a letter captioned "kenapa ditolak?": the caption is the question
        kind = next((f for f in MEDIA_FIELDS if getattr(message, f, None)), "")
        if kind and not text.strip():
            return Incoming(Kind.MEDIA, text=kind, first_name=person.first_name)
    return Incoming(Kind.TEXT, text=text, first_name=person.first_name, language_code=person.language_code)


async def send(bot: Bot, chat_id: int, replies: Sequence[Reply]) -> list[Message]:
    """Send replies as HTML messages, long ones split, keyboards under the last part."""
    sent = []
    for reply in replies:
        for text, markup in messages(reply):
            sent.append(await _send_message(bot, chat_id, text, markup))
    return sent


async def _send_message(bot: Bot, chat_id: int, text: str, markup: Any) -> Message:
    """One message, tried again after a network failure or a 5xx from the Bot API (the turn is already
    stored, so a reply lost here would be lost for good); flood limits are the rate limiter's."""
    for attempt in range(SEND_ATTEMPTS):
        try:
            return await bot.send_message(chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup)
        except NetworkError as exc:
            if isinstance(exc, BadRequest) or attempt == SEND_ATTEMPTS - 1:
                raise
            log.warning("sendMessage failed (%s), trying again", exc.__class__.__name__)
            await asyncio.sleep(SEND_BACKOFF_S * 2**attempt)
    raise AssertionError("unreachable")


async def on_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every update: interceptors first (counsellors, admins), then the job seeker's dialogue.

    Whatever fails inside, the user gets a polite error message (in their language) instead of silence.
    """
    rt = runtime(context)
    try:
        await _handle(rt, context.bot, update)
    except Exception:
        user = update.effective_user
        log.exception("update=%s user=%s failed", update.update_id,
                      hash_user(user.id, rt.settings.log_salt) if user else "-")
        await _apologise(rt, context.bot, update)


async def _handle(rt: Runtime, bot: Bot, update: Update) -> None:
    started = time.perf_counter()
    for interceptor in rt.interceptors:
        if await interceptor(update, rt):
            return
    translated = translate(update)
    if translated is None:
        return
    person, incoming, chat_id = translated
    if update.callback_query is not None:
        await _quietly(update.callback_query.answer())
    await _quietly(bot.send_chat_action(chat_id, ChatAction.TYPING))
    outcome = await rt.conversation.handle(person, incoming, update_id=update.update_id)
    if outcome is None:
        log.info("update=%s duplicate delivery ignored", update.update_id)
        return
    await send(bot, chat_id, outcome.replies)
    _log_line(rt, update, person, incoming, outcome, started)
    for effect in outcome.effects:
        handler = rt.effects.get(effect.name)
        if handler is not None:
            await handler(effect, person, chat_id, rt)
        elif effect.name in ("handoff", "handoff_button"):
            lang = str(effect.args.get("lang", "id"))
            await send(bot, chat_id, [Reply(rt.text("handoff_unavailable", lang))])


async def _apologise(rt: Runtime, bot: Bot, update: Update) -> None:
    """Tell the user something went wrong; their stored conversation is untouched by a failed turn."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or chat.type != ChatType.PRIVATE:
        return
    lang = await _language_of(rt, user.id, user.language_code or "")
    try:
        await send(bot, chat.id, [Reply(rt.text("error", lang))])
    except Exception as exc:  # the failure may be Telegram itself: nothing more to do than log it
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


def _log_line(rt: Runtime, update: Update, person: Person, incoming: Incoming, outcome: Outcome,
              started: float) -> None:
    turn = outcome.turn
    log.info("update=%s user=%s kind=%s intent=%s band=%s score=%.0f lang=%s latency_ms=%.1f",
             update.update_id, hash_user(person.id, rt.settings.log_salt), incoming.kind.value, turn.intent,
             turn.band, turn.score, turn.lang, (time.perf_counter() - started) * 1000)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log errors PTB caught outside our handler (network trouble while polling, ...)."""
    log.error("telegram error: %s", context.error.__class__.__name__ if context.error else "unknown",
              exc_info=context.error)
