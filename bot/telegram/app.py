"""``build_application(settings)``: the one PTB Application used by production and by the tests."""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import BotCommand, Update
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, TypeHandler

from ..admin.telegram import extend as admin_extend
from ..alerts.telegram import extend as alerts_extend
from ..conversation import Conversation, KnowledgeHolder
from ..dialogue import Dialogue
from ..handoff.wiring import extend as handoff_extend
from ..journey.telegram import extend as journey_extend
from ..knowledge import KnowledgeBase
from ..logs import install_redaction
from ..sections import load_knowledge
from ..services import guided as services
from ..settings import Settings
from ..storage.base import Store
from ..storage.db import Database
from ..storage.outbox import OutboxStore
from ..storage.repo import Repository
from .delivery import BotApi, Delivery, DeliveryConfig
from .groups import DEDUPE, DIALOGUE
from .handlers import (
    CONTEXT_TYPES,
    RUNTIME,
    Runtime,
    guarded,
    on_error,
    on_update,
    runtime_of,
    skip_processed,
)
from .repeating import Repeating
from .retention import extend as retention_extend
from .sink import OutboxSink

log = logging.getLogger("pandu")
KEEP_UPDATE_IDS = timedelta(days=7)


def build_application(
    settings: Settings, *, knowledge: KnowledgeBase | None = None, polling: bool = True
) -> Application:  # type: ignore[type-arg]
    """The bot: PTB Application with rate limiter, the features' handlers in their groups (see
    :mod:`.groups`), and its Runtime in bot_data."""
    if not settings.token:
        raise ValueError("build_application needs TELEGRAM_BOT_TOKEN")
    settings.check_database()
    install_redaction([settings.token, settings.webhook_secret])
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(f"{settings.api_base_url}/bot")
        .base_file_url(f"{settings.api_base_url}/file/bot")
        .rate_limiter(AIORateLimiter(max_retries=3))
        .context_types(CONTEXT_TYPES)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if not polling:
        builder = builder.updater(None)
    application = builder.build()
    kb = knowledge or load_knowledge(settings.knowledge_dir)
    db = Database(settings.database_url)
    holder = KnowledgeHolder(Dialogue(kb, services=services()), load_knowledge)
    store = Repository(db)
    rt = Runtime(
        settings, db, store, holder, Conversation(store, holder), application.bot, outbox=store.outbox
    )
    application.bot_data[RUNTIME] = rt
    rt.proactive_sink = OutboxSink(store.outbox)
    application.add_handler(TypeHandler(Update, skip_processed), group=DEDUPE)
    for extend in EXTENSIONS:
        extend(application, rt)
    application.add_handler(TypeHandler(Update, guarded(on_update)), group=DIALOGUE)
    pruning = Maintenance(rt.store)
    rt.on_start.append(pruning.start)
    rt.on_stop.append(pruning.stop)
    application.add_error_handler(on_error)
    return application


async def _post_init(application: Application) -> None:  # type: ignore[type-arg]
    rt = runtime_of(application.bot_data)
    commands = rt.holder.dialogue.kb.menus.commands
    await application.bot.set_my_commands([BotCommand(name, text) for name, text in commands])
    assert rt.outbox is not None
    rt.delivery = delivery(rt.settings, rt.outbox)
    rt.delivery.start()
    for start in rt.on_start:
        await start()


class Maintenance:
    """Forget processed update ids older than ``keep`` (Telegram never re-delivers that late), hourly
    from the start."""

    def __init__(self, store: Store, *, every: float = 3600.0, keep: timedelta = KEEP_UPDATE_IDS) -> None:
        self.store = store
        self.every = every
        self.keep = keep
        self.job = Repeating("update-id pruning", self.prune, lambda: self.every, first=lambda: 0.0, log=log)

    async def prune(self) -> int:
        removed = await self.store.prune_updates(self.keep)
        if removed:
            log.info("pruned %d processed update ids", removed)
        return removed

    async def start(self) -> None:
        self.job.start()

    async def stop(self) -> None:
        await self.job.stop()


def delivery(settings: Settings, outbox: OutboxStore) -> Delivery:
    """The delivery worker for ``settings`` (not started)."""
    assert settings.token
    o = settings.outbox
    config = DeliveryConfig(
        rate=o.rate,
        horizon=timedelta(hours=o.retry_hours),
        lease=timedelta(seconds=o.lease_seconds),
        timeout=o.timeout_seconds,
        backoff=o.backoff_seconds,
        poll=o.poll_seconds,
        retention=timedelta(days=o.retention_days),
    )
    return Delivery(outbox, BotApi(settings.api_base_url, settings.token, timeout=o.timeout_seconds), config)


async def _post_shutdown(application: Application) -> None:  # type: ignore[type-arg]
    rt = runtime_of(application.bot_data)
    if rt.delivery is not None:
        await rt.delivery.stop()
        rt.delivery = None
    for stop in rt.on_stop:
        await stop()
    await rt.db.dispose()


EXTENSIONS = (admin_extend, handoff_extend, retention_extend, alerts_extend, journey_extend)
"""Features plugged into every Application: ``extend(application, runtime)`` adds their handlers (each
in its group of :mod:`.groups`), effect handlers and start/stop hooks."""
