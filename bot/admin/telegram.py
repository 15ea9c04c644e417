"""Admin commands over Telegram: /muatulang (/reload), /rollback, /belumterjawab, /statistik, and
knowledge uploads (a .yaml document). Their handlers are in the admin group, before the counsellors'
and the job seeker's dialogue (see ``bot.telegram.groups``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import Application, BaseHandler, CommandHandler, MessageHandler, filters

from bot.dialogue import Reply, parse_command
from bot.knowledge.yamlio import MAX_FILE_BYTES
from bot.privacy import hash_user
from bot.telegram.groups import ADMIN
from bot.telegram.handlers import PandoContext, Runtime, command_in, guarded, handled, send

from . import desk, files, hints, report
from .chart import daily_chart
from .reload import Result, problem_lines
from .service import Change, Knowledge
from .stats import render
from .texts import AdminTexts, admin_texts
from .watch import watch

log = logging.getLogger("pandu.admin")

DEFAULT_DAYS = 30
Command = Callable[[Message, Runtime, str, str], Awaitable[None]]


class Admin:
    """The admins' side: the knowledge folder they change, and its watcher (while the bot runs)."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self.knowledge = Knowledge(rt.holder, rt.settings.knowledge_dir)
        self.watching: tuple[asyncio.Event, asyncio.Task[None]] | None = None

    async def start(self) -> None:
        """on_start: watch the knowledge folder in a background task."""
        stop = asyncio.Event()

        async def notify(result: Result) -> None:
            await notify_admins(self.rt, result)

        task = asyncio.create_task(watch(self.knowledge, notify, stop), name="pandu-knowledge-watch")
        self.watching = (stop, task)

    async def stop(self) -> None:
        """on_stop: end the watcher."""
        if self.watching is None:
            return
        (stop, task), self.watching = self.watching, None
        stop.set()
        try:
            await asyncio.wait_for(task, timeout=5)
        except (TimeoutError, asyncio.CancelledError):
            task.cancel()


def extend(application: Application, rt: Runtime) -> None:  # type: ignore[type-arg]
    """Register the admins' handlers (their group) and the knowledge watcher's start/stop hooks."""
    admin = rt.features.add(Admin(rt))
    application.add_handlers(handlers(rt.settings.admin_ids, rt.settings.counsellor_ids), group=ADMIN)
    rt.on_start.append(admin.start)
    rt.on_stop.append(admin.stop)


def handlers(
    admins: frozenset[int], counsellors: frozenset[int]
) -> list[BaseHandler[Update, PandoContext, None]]:
    """The admin group, first match wins: admins' commands and files; the same commands from anyone
    else are refused; an admin's plain text and a stranger's knowledge file are answered by the desk."""
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    admin = filters.User(admins) & private
    return [
        CommandHandler(list(COMMANDS), guarded(on_command), filters=admin),
        MessageHandler(admin & filters.Document.ALL & ~filters.COMMAND, guarded(on_upload)),
        CommandHandler(list(COMMANDS), guarded(on_refused), filters=private),
        MessageHandler(
            admin & ~filters.User(counsellors) & filters.TEXT & ~filters.COMMAND, guarded(desk.on_staff_text)
        ),
        MessageHandler(
            ~filters.User(admins)
            & private
            & (filters.Document.FileExtension("yaml") | filters.Document.FileExtension("yml")),
            guarded(desk.on_stranger_file),
        ),
    ]


def knowledge(rt: Runtime) -> Knowledge:
    return rt.features.get(Admin).knowledge


def texts(rt: Runtime) -> AdminTexts:
    return admin_texts(rt.holder.dialogue.kb)


def language(message: Message) -> str:
    code = message.from_user.language_code if message.from_user else None
    return "en" if (code or "").startswith("en") else "id"


async def on_command(update: Update, context: PandoContext) -> None:
    """An admin's command (/muatulang, /statistik...)."""
    message = update.message
    command = parse_command(message.text or "") if message is not None else None
    if message is None or command is None:
        return
    name, args = command
    await _act(context.rt, message, name, COMMANDS[name], args)
    await handled(update, context)


async def on_upload(update: Update, context: PandoContext) -> None:
    """An admin's document: a knowledge file to validate and apply."""
    if update.message is not None:
        await _act(context.rt, update.message, "upload", on_document, "")
    await handled(update, context)


async def on_refused(update: Update, context: PandoContext) -> None:
    """An admin command from someone who is not an admin: refused (logged with the id hashed)."""
    found = command_in(update)
    if found is None:
        return
    message, user, command = found
    rt = context.rt
    log.warning("admin command /%s refused for user=%s", command[0], hash_user(user.id, rt.settings.log_salt))
    await say(rt, message.chat.id, texts(rt).get("refused", language(message)))
    await handled(update, context)


async def _act(rt: Runtime, message: Message, name: str, command: Command, args: str) -> None:
    lang = language(message)
    try:
        await command(message, rt, args, lang)
    except Exception:  # an admin action must never take the bot down, nor end in silence
        log.exception("admin action /%s failed", name)
        with contextlib.suppress(TelegramError):
            await say(rt, message.chat.id, texts(rt).get("failed", lang))


async def say(rt: Runtime, chat_id: int, text: str) -> None:
    await send(rt, chat_id, [Reply(text)])


def result_text(result: Result, t: AdminTexts, lang: str, *, failed_key: str = "reload.failed") -> str:
    """The reload summary, or the FILE:LINE problems that stopped it."""
    if result.ok:
        names = {k: ", ".join(v) or t.get("none", lang) for k, v in result.changes.items()}
        return t.get("reload.ok", lang, **names)
    more = t.get("reload.more", lang, count=len(result.problems) - 25)
    body = t.get(failed_key, lang, count=len(result.problems), problems=problem_lines(result.problems, more))
    advice = [t.get(key, lang) for key in hints.keys(result.problems)]
    if len({p.file for p in result.problems}) > 1 and hints.unreadable(result.problems[0]):
        advice.append(t.get("hint.follow_on", lang, file=result.problems[0].file))
    return "\n\n".join([body, "\n".join(f"• {line}" for line in advice)]) if advice else body


async def on_reload(message: Message, rt: Runtime, args: str, lang: str) -> None:
    """/muatulang: validate the knowledge folder and switch to it, or report its problems."""
    result = await knowledge(rt).reload()
    await say(rt, message.chat.id, result_text(result, texts(rt), lang))


async def on_document(message: Message, rt: Runtime, args: str, lang: str) -> None:
    """A .yaml document from an admin: validate with it in place, back up, write, reload."""
    doc = message.document
    assert doc is not None and rt.bot is not None
    t = texts(rt)
    try:
        target = files.target_path(knowledge(rt).root, doc.file_name or "", message.caption)
    except files.BadTarget as exc:
        key = "upload.bad_target" if exc.from_caption else "upload.not_yaml"
        await say(rt, message.chat.id, t.get(key, lang, target=exc.path, name=doc.file_name or "-"))
        return
    if (doc.file_size or 0) > MAX_FILE_BYTES:
        await say(rt, message.chat.id, t.get("upload.too_big", lang, kb=MAX_FILE_BYTES // 1024))
        return
    try:
        content = bytes(await (await rt.bot.get_file(doc.file_id)).download_as_bytearray())
    except TelegramError as exc:
        log.warning("knowledge upload could not be downloaded: %s", exc)
        await say(rt, message.chat.id, t.get("upload.download_failed", lang))
        return
    if len(content) > MAX_FILE_BYTES:
        await say(rt, message.chat.id, t.get("upload.too_big", lang, kb=MAX_FILE_BYTES // 1024))
        return
    change = await knowledge(rt).upload(target, content)
    log.info(
        "knowledge upload of %s by user=%s: %s",
        target,
        hash_user(message.chat.id, rt.settings.log_salt),
        "applied" if change.result.ok else "refused",
    )
    await say(rt, message.chat.id, change_text(change, "upload.saved", t, lang))


def change_text(change: Change, key: str, t: AdminTexts, lang: str) -> str:
    if not change.result.ok:
        return result_text(change.result, t, lang)
    return "\n".join(
        [t.get(key, lang, target=change.target, backup=change.backup), result_text(change.result, t, lang)]
    )


async def on_rollback(message: Message, rt: Runtime, args: str, lang: str) -> None:
    """/rollback: restore the last uploaded file's previous version (validated first)."""
    change = await knowledge(rt).rollback()
    if change is None:
        await say(rt, message.chat.id, texts(rt).get("rollback.nothing", lang))
        return
    await say(rt, message.chat.id, change_text(change, "rollback.done", texts(rt), lang))


def period(args: str, today: date) -> tuple[date, date]:
    """``[SINCE [UNTIL]]`` as ISO dates; default: the last 30 days up to today."""
    parts = args.split()
    try:
        since = date.fromisoformat(parts[0]) if parts else today - timedelta(days=DEFAULT_DAYS - 1)
        until = date.fromisoformat(parts[1]) if len(parts) > 1 else today
    except ValueError:
        since, until = today - timedelta(days=DEFAULT_DAYS - 1), today
    return since, until


async def on_unanswered(message: Message, rt: Runtime, args: str, lang: str) -> None:
    """/belumterjawab [SINCE]: the most frequent groups of questions the bot could not answer."""
    since, _ = period(args, datetime.now(UTC).date())
    lines = report.without_staff(await rt.store.unanswered(report.day_start(since)), staff(rt))
    kb = rt.holder.dialogue.kb
    await say(rt, message.chat.id, report.unanswered_text(lines, texts(rt), lang, since, lexicon=kb.lexicon))


async def on_stats(message: Message, rt: Runtime, args: str, lang: str) -> None:
    """/statistik [SINCE [UNTIL]]: the figures as text, and the daily chart as a photo."""
    today = datetime.now(UTC).date()
    since, until = period(args, today)
    kb = rt.holder.dialogue.kb
    figures = await report.figures(rt.db, kb, since, until, today, staff=staff(rt))
    await say(rt, message.chat.id, render(figures, texts(rt), lang))
    if figures.daily and rt.bot is not None:
        png = await asyncio.to_thread(daily_chart, figures.daily, texts(rt), lang)
        await rt.bot.send_photo(message.chat.id, png)


COMMANDS: dict[str, Command] = {
    "muatulang": on_reload,
    "reload": on_reload,
    "rollback": on_rollback,
    "belumterjawab": on_unanswered,
    "statistik": on_stats,
    "coba": desk.on_try,
    "try": desk.on_try,
}


def staff(rt: Runtime) -> frozenset[int]:
    """Counsellors and admins: not users in the figures, never the source of unanswered questions."""
    return rt.settings.counsellor_ids | rt.settings.admin_ids


async def notify_admins(rt: Runtime, result: Result) -> None:
    """Tell every admin what a file change did (each in their stored language)."""
    for admin in sorted(rt.settings.admin_ids):
        record = await rt.store.load_user(admin)
        lang = (record.language if record else None) or "id"
        with contextlib.suppress(TelegramError):
            await say(rt, admin, result_text(result, texts(rt), lang, failed_key="reload.watch_failed"))
