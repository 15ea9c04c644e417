"""Staff messages that are not job seekers' questions: an admin's plain text, a stranger's knowledge file,
and ``/coba TEXT`` (see the bot's answer to TEXT without it being stored, counted or proposed).

Counsellors' plain messages are the handoff's (``bot.handoff.counsellor``); these are the admins'.
"""

from __future__ import annotations

import logging

from telegram import Message, Update

from bot.dialogue import Incoming, Kind, Reply, State
from bot.privacy import hash_user
from bot.telegram.handlers import Runtime, send

from .texts import admin_texts

log = logging.getLogger("pandu.admin")

KNOWLEDGE_FILES = (".yaml", ".yml")


async def not_for_the_dialogue(update: Update, rt: Runtime, message: Message, is_admin: bool) -> bool:
    """True (answered here) for an admin's plain text and for a non-admin's knowledge file."""
    user = message.from_user
    if user is None:
        return False
    typed = bool(message.text) and not (message.text or "").startswith("/")
    if is_admin and typed and user.id not in rt.settings.counsellor_ids:
        key = "staff.not_a_question"
    elif not is_admin and message.document is not None and _knowledge_file(message):
        log.warning("knowledge upload refused for user=%s", hash_user(user.id, rt.settings.log_salt))
        key = "upload.refused"
    else:
        return False
    if await rt.store.claim_update(update.update_id):
        await _say(rt, message.chat.id, admin_texts(rt.holder.dialogue.kb).get(key, _lang(message)))
    return True


async def on_try(message: Message, rt: Runtime, args: str, lang: str) -> None:
    """/coba TEXT: the bot's reply to TEXT as a job seeker would get it; nothing is stored."""
    if not args:
        await _say(rt, message.chat.id, admin_texts(rt.holder.dialogue.kb).get("try.usage", lang))
        return
    outcome = rt.holder.dialogue.handle(State(last_lang=lang), Incoming(Kind.TEXT, text=args))
    await send(rt, message.chat.id, outcome.replies)


def _knowledge_file(message: Message) -> bool:
    name = (message.document.file_name if message.document else None) or ""
    return name.lower().endswith(KNOWLEDGE_FILES)


def _lang(message: Message) -> str:
    code = message.from_user.language_code if message.from_user else None
    return "en" if (code or "").startswith("en") else "id"


async def _say(rt: Runtime, chat_id: int, text: str) -> None:
    await send(rt, chat_id, [Reply(text)])
