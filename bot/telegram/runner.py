"""Starting and stopping the bot: polling for one instance, webhooks for several."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from aiohttp import web
from telegram import Update
from telegram.error import InvalidToken
from telegram.ext import Application

from ..knowledge import KnowledgeBase, KnowledgeError
from ..logs import setup_logging
from ..sections import load_knowledge
from ..settings import ConfigError, Settings, StartupError
from .app import build_application
from .handlers import runtime_of
from .webhook import make_app, webhook_path

log = logging.getLogger("pandu")


async def start(
    application: Application,  # type: ignore[type-arg]
    *,
    polling: bool = True,
    poll_timeout: int = 10,
    poll_interval: float = 0.0,
) -> None:
    """migrations -> initialize (getMe) -> post_init (commands) -> start -> polling. Used by tests too.

    The database is checked first; a database or Bot API that cannot be used raises :class:`StartupError`
    naming the variable to fix.
    """
    rt = runtime_of(application.bot_data)
    with blame("DATABASE_URL", "points at a database that cannot be opened or migrated"):
        await rt.db.upgrade()
    with blame("TELEGRAM_API_BASE_URL", "cannot be reached (the Bot API did not answer getMe)"):
        await application.initialize()
    if application.post_init:
        await application.post_init(application)
    await application.start()
    if polling and application.updater:
        await application.updater.start_polling(
            poll_interval=poll_interval, timeout=poll_timeout, allowed_updates=Update.ALL_TYPES
        )


async def stop(application: Application) -> None:  # type: ignore[type-arg]
    if application.updater and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    if application.post_shutdown:
        await application.post_shutdown(application)
    await application.shutdown()


@contextmanager
def blame(variable: str, problem: str) -> Iterator[None]:
    """Turn any failure inside into a one-line :class:`StartupError` about ``variable``."""
    try:
        yield
    except ConfigError:
        raise
    except InvalidToken:  # its message quotes the token: leave it out
        raise StartupError(
            "TELEGRAM_BOT_TOKEN", "was refused by the Bot API; copy it again from @BotFather"
        ) from None
    except Exception as exc:
        raise StartupError(variable, problem, exc) from None


def run(settings: Settings, *, webhook: bool) -> int:
    setup_logging(settings)
    if webhook:
        if not settings.webhook_url:
            raise ConfigError(
                "WEBHOOK_URL", "is required for webhook mode (the public https URL Telegram calls)"
            )
        if not settings.webhook_secret:
            raise ConfigError(
                "WEBHOOK_SECRET", "is required for webhook mode (a random string of letters and digits)"
            )
    try:
        knowledge = load_knowledge(settings.knowledge_dir)
    except KnowledgeError as exc:
        exc.report(
            sys.stderr,
            f"KNOWLEDGE_DIR {settings.knowledge_dir} has {{count}} problem(s); fix them "
            "(python -m bot check)",
        )
        return 1
    asyncio.run(_serve(settings, knowledge, webhook=webhook))
    return 0


async def _serve(settings: Settings, knowledge: KnowledgeBase, *, webhook: bool) -> None:
    with blame("DATABASE_URL", "cannot be used"):
        application = build_application(settings, knowledge=knowledge, polling=not webhook)
    try:
        await start(application, polling=not webhook, poll_timeout=30)
    except BaseException:
        await runtime_of(application.bot_data).db.dispose()
        raise
    runner = None
    try:
        if webhook:
            runner = await _start_webhook(application, settings)
        else:
            with blame("TELEGRAM_API_BASE_URL", "refused deleteWebhook"):
                await application.bot.delete_webhook()
        log.info("pandu running (%s)", "webhook" if webhook else "polling")
        await _wait_for_signal()
    finally:
        if runner is not None:
            await runner.cleanup()
        await stop(application)


async def _start_webhook(application: Application, settings: Settings) -> web.AppRunner:  # type: ignore[type-arg]
    assert settings.webhook_url and settings.webhook_secret
    app = make_app(application, secret=settings.webhook_secret, path=webhook_path(settings.webhook_url))
    runner = web.AppRunner(app)
    await runner.setup()
    try:
        with blame("PORT", f"{settings.port} cannot be listened on"):
            await web.TCPSite(runner, "0.0.0.0", settings.port).start()
        with blame(
            "WEBHOOK_URL", "was refused by the Bot API's setWebhook (Telegram needs a public https URL)"
        ):
            await application.bot.set_webhook(
                settings.webhook_url, secret_token=settings.webhook_secret, allowed_updates=Update.ALL_TYPES
            )
    except BaseException:
        await runner.cleanup()
        raise
    return runner


async def _wait_for_signal() -> None:
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopped.set)
    await stopped.wait()
