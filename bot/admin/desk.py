"""Staff messages that are not job seekers' questions: an admin's plain text, a stranger's knowledge file,
and ``/coba TEXT`` (see the bot's answer to TEXT without it being stored, counted or proposed).

Counsellors' plain messages are the handoff's (``bot.handoff.counsellor``); these are the admins'.
"""

from __future__ import annotations

import logging

from telegram import Message, Update

from bot.dialogue import Incoming, Kind, Reply, State
from bot.privacy import hash_user
from bot.telegram.handlers import PandoContext, Runtime, handled, send

from .texts import admin_texts

log = logging.getLogger("pandu.admin")


async def on_staff_text(update: Update, context: PandoContext) -> None:
    """An admin's plain text (not a counsellor's): not a job seeker's question, said so."""
    await _answer(update, context, "staff.not_a_question")


async def on_stranger_file(update: Update, context: PandoContext) -> None:
    """A knowledge file from someone who is not an admin: refused (logged with the id hashed)."""
    user, rt = update.effective_user, context.rt
    if user is not None:
        log.warning("knowledge upload refused for user=%s", hash_user(user.id, rt.settings.log_salt))
    await _answer(update, context, "upload.refused")


async def _answer(update: Update, context: PandoContext, key: str) -> None:
    message, rt = update.message, context.rt
    if message is not None:
        await _say(rt, message.chat.id, admin_texts(rt.holder.dialogue.kb).get(key, _lang(message)))
    await handled(update, context)


async def on_try(message: Message, rt: Runtime, args: str, lang: str) -> None:
    """/coba TEXT: the bot's reply to TEXT as a job seeker would get it; nothing is stored."""
    if not args:
        await _say(rt, message.chat.id, admin_texts(rt.holder.dialogue.kb).get("try.usage", lang))
        return
    outcome = rt.holder.dialogue.handle(State(last_lang=lang), Incoming(Kind.TEXT, text=args))
    await send(rt, message.chat.id, outcome.replies)


def _lang(message: Message) -> str:
    code = message.from_user.language_code if message.from_user else None
    return "en" if (code or "").startswith("en") else "id"


async def _say(rt: Runtime, chat_id: int, text: str) -> None:
    await send(rt, chat_id, [Reply(text)])
