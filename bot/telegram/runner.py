"""Starting and stopping the bot: polling for one instance, webhooks for several."""

from __future__ import annotations

import asyncio
import logging
import signal

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from ..logs import setup_logging
from ..settings import ConfigError, Settings
from .app import build_application
from .webhook import make_app, webhook_path

log = logging.getLogger("pandu")


async def start(application: Application, *, polling: bool = True, poll_timeout: int = 10,  # type: ignore[type-arg]
                poll_interval: float = 0.0) -> None:
    """initialize -> post_init (migrations, commands) -> start -> polling. Used by tests too."""
    await application.initialize()
    if application.post_init:
        await application.post_init(application)
    await application.start()
    if polling and application.updater:
        await application.updater.start_polling(poll_interval=poll_interval, timeout=poll_timeout,
                                                allowed_updates=Update.ALL_TYPES)


async def stop(application: Application) -> None:  # type: ignore[type-arg]
    if application.updater and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    if application.post_shutdown:
        await application.post_shutdown(application)
    await application.shutdown()


def run(settings: Settings, *, webhook: bool) -> int:
    setup_logging(settings)
    if webhook:
        if not settings.webhook_url:
            raise ConfigError("WEBHOOK_URL", "is required for webhook mode (the public https URL Telegram calls)")
        if not settings.webhook_secret:
            raise ConfigError("WEBHOOK_SECRET", "is required for webhook mode (a random string of letters and digits)")
    asyncio.run(_serve(settings, webhook=webhook))
    return 0


async def _serve(settings: Settings, *, webhook: bool) -> None:
    application = build_application(settings, polling=not webhook)
    await start(application, polling=not webhook, poll_timeout=30)
    runner = None
    try:
        if webhook:
            runner = await _start_webhook(application, settings)
        else:
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
    await web.TCPSite(runner, "0.0.0.0", settings.port).start()
    await application.bot.set_webhook(settings.webhook_url, secret_token=settings.webhook_secret,
                                      allowed_updates=Update.ALL_TYPES)
    return runner


async def _wait_for_signal() -> None:
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopped.set)
    await stopped.wait()
