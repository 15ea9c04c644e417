"""Admin commands over Telegram: /muatulang (/reload), /rollback, /belumterjawab, /statistik, and
knowledge uploads (a .yaml document). An interceptor takes these before the job seeker's dialogue.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot.dialogue import Reply
from bot.knowledge.yamlio import MAX_FILE_BYTES
from bot.privacy import hash_user
from bot.telegram.handlers import Runtime, send

from . import desk, files, hints, report
from .chart import daily_chart
from .reload import Result, problem_lines
from .service import Change, Knowledge
from .stats import render
from .texts import AdminTexts, admin_texts
from .watch import watch

log = logging.getLogger("pandu.admin")

KEY = "admin"
DEFAULT_DAYS = 30
Command = Callable[[Message, Runtime, str, str], Awaitable[None]]


def extend(application: object, rt: Runtime) -> None:
    """Register the admin interceptor and the knowledge watcher's start/stop hooks."""
    rt.extras[KEY] = Knowledge(rt.holder, rt.settings.knowledge_dir)
    rt.interceptors.append(intercept)
    rt.extras.setdefault("on_start", []).append(start_watching)
    rt.extras.setdefault("on_stop", []).append(stop_watching)


def knowledge(rt: Runtime) -> Knowledge:
    found: Knowledge = rt.extras[KEY]
    return found


def texts(rt: Runtime) -> AdminTexts:
    return admin_texts(rt.holder.dialogue.kb)


def language(message: Message) -> str:
    code = message.from_user.language_code if message.from_user else None
    return "en" if (code or "").startswith("en") else "id"


async def intercept(update: Update, rt: Runtime) -> bool:
    """Take admin commands (refusing non-admins) and admins' documents; let everything else through."""
    message, user = update.message, update.effective_user
    if message is None or user is None or message.chat.type != ChatType.PRIVATE:
        return False
    is_admin = user.id in rt.settings.admin_ids
    name, _, args = (
        (message.text or "")[1:].partition(" ") if (message.text or "").startswith("/") else ("", "", "")
    )
    command = COMMANDS.get(name.split("@")[0].lower())
    if command is None and not (is_admin and message.document is not None):
        return await desk.not_for_the_dialogue(update, rt, message, is_admin)
    if not await rt.store.claim_update(update.update_id):
        return True  # a redelivery: already done
    lang = language(message)
    if not is_admin:
        log.warning("admin command /%s refused for user=%s", name, hash_user(user.id, rt.settings.log_salt))
        await say(rt, message.chat.id, texts(rt).get("refused", lang))
        return True
    try:
        await (command or on_document)(message, rt, args.strip(), lang)
    except Exception:  # an admin action must never take the bot down, nor end in silence
        log.exception("admin action /%s failed", name or "upload")
        with contextlib.suppress(TelegramError):
            await say(rt, message.chat.id, texts(rt).get("failed", lang))
    return True


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


async def start_watching(application: object, rt: Runtime) -> None:
    """on_start: watch the knowledge folder in a background task."""
    stop = asyncio.Event()

    async def notify(result: Result) -> None:
        await notify_admins(rt, result)

    task = asyncio.create_task(watch(knowledge(rt), notify, stop), name="pandu-knowledge-watch")
    rt.extras["admin_watch"] = (stop, task)


async def stop_watching(application: object, rt: Runtime) -> None:
    """on_stop: end the watcher."""
    stop, task = rt.extras.pop("admin_watch", (None, None))
    if stop is None:
        return
    stop.set()
    try:
        await asyncio.wait_for(task, timeout=5)
    except (TimeoutError, asyncio.CancelledError):
        task.cancel()
